package dev.waitonaddress.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.waitonaddress.testing.FutexTrace;
import org.junit.jupiter.api.Test;

/**
 * With the kernel as witness: the uncontended operations of every synchronizer (lock and unlock,
 * PRIVATE and SHARED; signals with nobody waiting; semaphore acquire and release; a latch counted
 * down and awaited; an event set, awaited and reset) make no system call. A second JVM runs
 * {@link UncontendedLoopChild} under {@code strace -f -e trace=futex}, and the futex calls of the
 * loop thread are counted between two markers ({@link FutexTrace}). The control shows the count
 * sees every raw wake.
 */
class NoSystemCallUncontendedTest {
    private static final int ROUNDS = 100_000;
    private static final int CONTROL_WAKES = 10_000;

    @Test
    void uncontendedOperationsMakeNoSystemCall() throws Exception {
        FutexTrace.requireLinuxStrace();
        int calls = FutexTrace.futexCalls(UncontendedLoopChild.class, "idle", Integer.toString(ROUNDS));
        assertTrue(calls <= 4, "the loop thread made " + calls + " futex calls in " + ROUNDS
                + " rounds of uncontended operations");
    }

    @Test
    void controlEveryRawWakeReachesTheKernel() throws Exception {
        FutexTrace.requireLinuxStrace();
        int calls = FutexTrace.futexCalls(UncontendedLoopChild.class, "control", Integer.toString(CONTROL_WAKES));
        assertTrue(calls >= CONTROL_WAKES, CONTROL_WAKES + " raw wakes made only " + calls + " futex calls");
    }
}
