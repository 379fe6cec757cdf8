package dev.waitonaddress.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.waitonaddress.testing.Jdks;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Virtual threads that await: run {@link VirtualThreadProbe} in a JDK 21+ JVM (the running one if
 * it is 21+, else {@code -Dwoa.jdk21=DIR} or {@code WOA_JDK21=DIR}, else one found by
 * {@link Jdks}). Wake-ups, time-outs and interrupts must work in virtual threads on every backend;
 * the carrier pinning of each kind of wait is printed.
 */
class ReliabilityVirtualThreadTest {
    @Test
    void virtualThreadsWaitWakeTimeOutAndTakeInterrupts() throws Exception {
        VirtualThreadJvm.Run run = VirtualThreadJvm.run("virtual-thread probe", Duration.ofSeconds(120), List.of(),
                line -> { }, VirtualThreadProbe.class);
        long ok = run.lines.stream().filter(l -> l.startsWith("OK ")).count();
        run.lines.stream().filter(l -> l.startsWith("PINNING") || l.startsWith("FAIL") || l.startsWith("java "))
                .forEach(l -> ReliabilityBackends.report("virtual threads: " + l));
        ReliabilityBackends.report("virtual threads: " + ok + " checks passed");
        assertEquals(0, run.exit, "the probe failed:\n" + run.output());
        assertTrue(ok > 0, run.output());
    }
}
