package dev.waitonaddress.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.AtomicWait;
import dev.waitonaddress.Scope;
import dev.waitonaddress.testing.SharedMemory;
import dev.waitonaddress.testing.Watchdog;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The stress of {@link ReliabilityStressTest} through {@link AtomicWait}, whose waker skips the system
 * call when it counts no waiter: ping-pong pairs ({@code wakeOne}) and rings of four
 * ({@code wakeAll}) on 32-bit words (PRIVATE and SHARED) and 64-bit words (PRIVATE, waiting on a
 * proxy word where the OS has no 64-bit wait), side by side. Waits are timed; one that times out
 * although its word changed and the wake completed long before is a lost wake-up, counted; there
 * must be none. {@code -Dwoa.stress.seconds=N} lengthens it.
 */
class ReliabilityAtomicWaitStressTest {
    private static final long DETECT_NANOS = Word.DETECT_NANOS;

    /** A word waited on and woken through AtomicWait, 32 or 64 bits. */
    private static final class AtomicWord {
        final Pointer p;
        final boolean wide;
        final Scope scope;
        final AtomicLong wokenSeq = new AtomicLong(Long.MIN_VALUE);
        volatile long wokenAt;

        AtomicWord(Pointer p, boolean wide, Scope scope) {
            this.p = p;
            this.wide = wide;
            this.scope = scope;
        }

        long read() {
            return wide ? p.getLong(0) : p.getInt(0);
        }

        long truncate(long seq) {
            return wide ? seq : (int) seq;
        }

        void publish(long seq, boolean all) {
            if (wide) {
                p.setLong(0, seq);
            } else {
                p.setInt(0, (int) seq);
            }
            VarHandle.fullFence(); // a JNA store is plain: AtomicWait's rule 2
            if (all) {
                AtomicWait.wakeAll(p, scope);
            } else {
                AtomicWait.wakeOne(p, scope);
            }
            wokenAt = System.nanoTime();
            wokenSeq.accumulateAndGet(seq, Math::max);
        }

        void awaitChange(long seq, Tally tally) throws InterruptedException {
            long expected = truncate(seq);
            while (read() == expected) {
                boolean changed = wide ? AtomicWait.await64(p, expected, scope, DETECT_NANOS, TimeUnit.NANOSECONDS)
                        : AtomicWait.await32(p, (int) expected, scope, DETECT_NANOS, TimeUnit.NANOSECONDS);
                if (!changed) {
                    long now = System.nanoTime();
                    tally.lostIf(read() != expected && wokenSeq.get() > seq && now - wokenAt > Word.GRACE_NANOS,
                            "AtomicWait " + (wide ? "long" : "int") + "/" + scope + " waiting on " + seq);
                }
            }
        }
    }

    @Test
    void noLostWakeUpsThroughAtomicWait() throws Exception {
        double seconds = ReliabilityBackends.stressSeconds(4);
        Tally tally = new Tally();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        Memory block = new Memory(4096);
        block.clear();
        SharedMemory shm = AtomicWait.backend().capabilities().shared() ? SharedMemory.create("woa-atomic-stress", 4096)
                : null;
        List<Thread> threads = new ArrayList<>();
        int slot = 0;
        List<String> parts = new ArrayList<>();
        for (Object[] kind : new Object[][] {{false, Scope.PRIVATE}, {true, Scope.PRIVATE}, {false, Scope.SHARED}}) {
            boolean wide = (Boolean) kind[0];
            Scope scope = (Scope) kind[1];
            if (scope == Scope.SHARED && shm == null) {
                continue;
            }
            Pointer base = scope == Scope.SHARED ? shm.pointer() : block;
            for (int group = 0; group < 3; group++) {
                int members = group < 2 ? 2 : 4;
                AtomicWord w = new AtomicWord(base.share(8L * slot++), wide, scope);
                for (int me = 0; me < members; me++) {
                    threads.add(turnTaker(w, members, me, members > 2, end, tally));
                }
            }
            parts.add((wide ? "long" : "int") + "/" + scope);
        }
        Watchdog.run(Duration.ofSeconds((long) seconds + 90), "AtomicWait stress", () -> {
            for (Thread t : threads) {
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            return null;
        });
        if (tally.failure.get() != null) {
            throw new AssertionError(tally.failure.get());
        }
        ReliabilityBackends.report("stress AtomicWait on " + AtomicWait.backend().name() + ": " + threads.size()
                + " threads, handoffs=" + tally.handoffs.get() + " lost-wake-ups=" + tally.lost.get()
                + " slow-partner-timeouts=" + tally.slow.get() + " " + parts);
        assertEquals(0, tally.lost.get(), "lost wake-ups through AtomicWait");
        assertTrue(tally.handoffs.get() > 0);
        if (shm != null) {
            shm.close();
        }
        block.close();
    }

    private static Thread turnTaker(AtomicWord w, int members, int me, boolean all, long end, Tally tally) {
        Thread t = new Thread(() -> {
            try {
                long seq = 0;
                for (;;) {
                    while (Math.floorMod(seq, members) != me) {
                        w.awaitChange(seq, tally);
                        long diff = w.read() - w.truncate(seq);
                        seq += w.wide ? diff : diff & 0xffff_ffffL;
                    }
                    boolean last = System.nanoTime() - end > 0 || tally.failure.get() != null;
                    w.publish(++seq, all);
                    tally.handoffs.incrementAndGet();
                    if (last) {
                        return;
                    }
                }
            } catch (Throwable e) {
                tally.fail(e);
            }
        }, "atomic-" + me);
        t.setDaemon(true);
        return t;
    }
}
