package dev.waitonaddress.cost;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.waitonaddress.testing.FutexTrace;
import org.junit.jupiter.api.Test;

/**
 * Proves, with the kernel as witness, that a PRIVATE wake with nobody waiting makes no system
 * call, nor a SHARED wake of a counted ({@code wrapShared}) word with no process asleep: a second
 * JVM runs {@link WakeLoopChild} under {@code strace -f -e trace=futex}, and the futex calls of the
 * thread that wakes are counted between two markers, after a warm-up ({@link FutexTrace}). The
 * control run, with a sleeping waiter, shows that the same count sees every wake that does reach
 * the kernel.
 */
class NoSystemCallWithoutWaitersTest {
    private static final int WAKES = 200_000;
    /** Traced system calls are slow (a ptrace stop each): the control makes fewer. */
    private static final int CONTROL_WAKES = 20_000;

    @Test
    void wakeWithNobodyWaitingMakesNoSystemCall() throws Exception {
        FutexTrace.requireLinuxStrace();
        int calls = FutexTrace.futexCalls(WakeLoopChild.class, "idle", Integer.toString(WAKES));
        // 9 wake forms (7 PRIVATE, 2 SHARED counted) x 200 000 calls; allow a safepoint or two of the JVM's own in the window
        assertTrue(calls <= 4, "the wake loop thread made " + calls + " futex calls for " + 9 * WAKES
                + " wakes with nobody waiting");
    }

    @Test
    void controlEveryWakeWithAWaiterReachesTheKernel() throws Exception {
        FutexTrace.requireLinuxStrace();
        int calls = FutexTrace.futexCalls(WakeLoopChild.class, "waiter", Integer.toString(CONTROL_WAKES));
        assertTrue(calls >= CONTROL_WAKES, "with a waiter asleep, " + CONTROL_WAKES + " wakes made only " + calls
                + " futex calls: the count does not see system calls");
    }
}
