package dev.waitonaddress.suite;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.EmulatorRun;
import java.util.List;

/** {@link AbstractStressTest} against every foreign backend bound to its contract emulator (the {@code emulators} run). */
@EmulatorRun
class EmulatedStressTest extends AbstractStressTest {
    @Override
    protected List<WaitOnAddress> backends() {
        return ReliabilityBackends.emulated();
    }

    @Override
    protected double defaultSeconds() {
        return 3; // four emulated backends: keep the build's added time bounded
    }
}
