package dev.waitonaddress.suite;

import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.Emulators;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-off of virtual threads' native waits on the foreign backends, bound to their C contract
 * emulators: {@link VirtualThreadHandOffProbe} with 1,000 virtual threads on two carriers, all
 * woken from Java (the emulators have no cross-process peer), timed out and interrupted.
 */
@EmulatorRun
class EmulatedVirtualThreadHandOffTest {
    @ParameterizedTest
    @ValueSource(strings = {"windows", "macos-os-sync", "macos-ulock", "openbsd-futex"})
    void virtualThreadsOnEmulatorsLeaveTheCarriersFree(String backend) throws Exception {
        Emulators.boundBackend(backend);
        List<String> args = new ArrayList<>();
        for (String b : new String[] {"windows", "macos-os-sync", "macos-ulock", "openbsd-futex"}) {
            String key = "dev.waitonaddress." + b + ".library";
            String v = System.getProperty(key);
            if (v != null) {
                args.add("-D" + key + "=" + v);
            }
        }
        ReliabilityVirtualThreadHandOffTest.run(backend, 1_000, "-", args);
    }
}
