package dev.waitonaddress.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.NativeArtefacts;
import dev.waitonaddress.testing.Jdks;
import dev.waitonaddress.testing.Strict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 10,000 virtual threads in native INT32 waits on linux-futex, with two carriers: the hand-off to
 * platform helpers keeps the carriers free, and every waiter returns — woken (half from Java, half
 * by a C process's raw FUTEX_WAKE on a SHARED word), timed out never early, or interrupted. Runs
 * {@link VirtualThreadHandOffProbe} in a JDK 21+ JVM found by {@link Jdks} (the running one if 21+,
 * else {@code -Dwoa.jdk21} / {@code WOA_JDK21}, else one found on the machine).
 * Skips without one (fails with {@code -Dwoa.strict=true}).
 */
class ReliabilityVirtualThreadHandOffTest {
    static final int N = 10_000;

    @Test
    void tenThousandVirtualThreadsInKernelWaitsLeaveTheCarriersFree() throws Exception {
        boolean linux = WaitOnAddress.installed().stream().anyMatch(w -> w.name().equals("linux-futex")
                && w.isAvailable());
        Strict.require(linux, "linux-futex is not available here");
        run("linux-futex", N, NativeArtefacts.require("futex-peer").toString(), new ArrayList<>());
    }

    /**
     * Runs the probe in a JDK 21+ child JVM with two carriers.
     *
     * @param backend the backend's name
     * @param n how many virtual threads
     * @param peer futex-peer, or "-" to wake all from Java
     * @param jvmArgs more arguments for the child JVM (library overrides)
     */
    static void run(String backend, int n, String peer, List<String> jvmArgs) throws Exception {
        VirtualThreadJvm.Run run = VirtualThreadJvm.run("virtual-thread hand-off probe", Duration.ofSeconds(400), jvmArgs,
                line -> ReliabilityBackends.report("virtual-thread hand-off: " + line), VirtualThreadHandOffProbe.class,
                backend, Integer.toString(n), peer);
        assertEquals(0, run.exit, "the probe failed:\n" + run.output());
        assertTrue(run.lines.stream().anyMatch(l -> l.startsWith("OK all ")), run.output());
    }
}
