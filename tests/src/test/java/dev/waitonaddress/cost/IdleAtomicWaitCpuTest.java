package dev.waitonaddress.cost;

import com.sun.jna.Memory;
import dev.waitonaddress.AtomicWait;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link AtomicWait} spins briefly before it sleeps: once past the spin, a thread blocked in its
 * {@code await} also uses under 1 % of a core over 2 s (see {@link IdleWaiterCpuTest}).
 */
class IdleAtomicWaitCpuTest {
    @Test
    void idleAtomicWaitUsesNoCpu() throws Exception {
        IdleWaiterCpuTest.assertIdle("woa-idle-atomic", word -> AtomicWait.await32(word, 0), IdleAtomicWaitCpuTest::wake);
    }

    @Test
    void idleTimedAtomicWaitUsesNoCpu() throws Exception {
        IdleWaiterCpuTest.assertIdle("woa-idle-atimed", word -> {
            while (!AtomicWait.await32(word, 0, 1, TimeUnit.HOURS)) {
                // an hour passed: wait on
            }
        }, IdleAtomicWaitCpuTest::wake);
    }

    /** The word was changed with a plain store (JNA): a full fence first, as AtomicWait asks. */
    private static void wake(Memory word) {
        VarHandle.fullFence();
        AtomicWait.wakeAll(word);
    }
}
