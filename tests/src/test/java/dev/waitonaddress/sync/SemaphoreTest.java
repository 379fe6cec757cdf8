package dev.waitonaddress.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Semaphore}: counting, release(n) waking n sleepers, time-outs and interrupts, a stress. */
class SemaphoreTest {
    static Stream<Configs.Config> configs() {
        return Configs.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void counting(Configs.Config c) throws Exception {
        Semaphore s = c.semaphore(2);
        assertEquals(2, s.availablePermits());
        assertTrue(s.tryAcquire());
        assertTrue(s.tryAcquire());
        assertFalse(s.tryAcquire());
        long t0 = System.nanoTime();
        assertFalse(s.tryAcquire(30, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= 30_000_000L, "never early");
        assertFalse(s.tryAcquire(0, TimeUnit.SECONDS));
        s.release(3);
        assertEquals(3, s.drainPermits());
        assertThrows(IllegalArgumentException.class, () -> s.release(0));
        s.release(Integer.MAX_VALUE);
        assertThrows(IllegalStateException.class, s::release, "overflow");
        assertEquals(Integer.MAX_VALUE, s.availablePermits());
        assertEquals(Integer.MAX_VALUE, s.drainPermits());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, s::acquire);
        assertFalse(Thread.currentThread().isInterrupted());
        assertThrows(IllegalArgumentException.class, () -> Semaphore.allocate(-1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void releaseOfNWakesNSleepers(Configs.Config c) throws Exception {
        Semaphore s = c.semaphore(0);
        int sleepers = 6;
        Watchdog.run(Duration.ofSeconds(30), "release(n) " + c, () -> {
            AtomicInteger acquired = new AtomicInteger();
            AtomicInteger interrupted = new AtomicInteger();
            List<Thread> ts = new ArrayList<>();
            for (int i = 0; i < sleepers + 1; i++) {
                Thread t = new Thread(() -> {
                    try {
                        s.acquire();
                        acquired.incrementAndGet();
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                    }
                });
                ts.add(t);
                t.start();
            }
            Thread.sleep(50);
            ts.get(0).interrupt(); // one leaves by interrupt, taking no permit
            ts.get(0).join();
            s.release(sleepers);
            for (Thread t : ts) {
                t.join();
            }
            assertEquals(sleepers, acquired.get());
            assertEquals(1, interrupted.get());
            assertEquals(0, s.availablePermits());
            return null;
        });
    }

    /**
     * Threads take one of 3 permits with short timed waits (time-outs counted, then retried), check
     * that no more than 3 hold one at a time, and give it back. A lost wake-up shows as a hang or
     * as time-outs with permits free; the final count must be 3 again.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void stressWithTimedWaits(Configs.Config c) throws Exception {
        int permits = 3;
        Semaphore s = c.semaphore(permits);
        int threads = 8;
        int rounds = 5_000;
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger overuse = new AtomicInteger();
        AtomicLong timeouts = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Watchdog.run(Duration.ofSeconds(100), "semaphore stress " + c, () -> {
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    SplittableRandom rnd = new SplittableRandom(Thread.currentThread().getId());
                    try {
                        for (int i = 0; i < rounds; i++) {
                            while (!s.tryAcquire(rnd.nextInt(3), TimeUnit.MILLISECONDS)) {
                                timeouts.incrementAndGet();
                            }
                            if (holders.incrementAndGet() > permits) {
                                overuse.incrementAndGet();
                            }
                            if (rnd.nextInt(8) == 0) {
                                Thread.yield();
                            }
                            holders.decrementAndGet();
                            s.release();
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) {
                th.join();
            }
            return null;
        });
        assertNull(failure.get());
        assertEquals(0, overuse.get());
        assertEquals(permits, s.availablePermits());
        System.out.println("[woa] semaphore stress " + c + ": " + threads * rounds + " acquisitions, "
                + timeouts.get() + " time-outs");
    }
}
