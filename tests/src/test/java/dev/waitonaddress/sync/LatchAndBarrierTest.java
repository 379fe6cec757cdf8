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
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Latch} and {@link Barrier}: semantics and stress with timed waits that count. */
class LatchAndBarrierTest {
    static Stream<Configs.Config> configs() {
        return Configs.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void latch(Configs.Config c) throws Exception {
        Latch l = c.latch(2);
        assertEquals(2, l.count());
        assertFalse(l.tryAwait());
        long t0 = System.nanoTime();
        assertFalse(l.await(30, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= 30_000_000L, "never early");
        l.countDown();
        assertEquals(1, l.count());
        l.countDown();
        assertTrue(l.tryAwait());
        l.countDown(); // stays 0
        assertEquals(0, l.count());
        l.await();
        assertTrue(l.await(0, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> l.initialize(-1));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, l::await, "status set on entry");
        assertFalse(Thread.currentThread().isInterrupted());
    }

    /**
     * Rounds of a fresh latch: counters count down after random pauses, waiters wait with short
     * timed waits (time-outs counted) or arrive and wait; every waiter must be released once the
     * count is zero, and none before.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void latchStress(Configs.Config c) throws Exception {
        int rounds = 300;
        int counters = 3;
        int waiters = 3;
        AtomicLong timeouts = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Watchdog.run(Duration.ofSeconds(100), "latch stress " + c, () -> {
            SplittableRandom rnd = new SplittableRandom(3);
            for (int r = 0; r < rounds; r++) {
                Latch l = c.latch(counters + waiters);
                AtomicInteger counted = new AtomicInteger();
                List<Thread> ts = new ArrayList<>();
                int pause = rnd.nextInt(3);
                for (int i = 0; i < counters; i++) {
                    ts.add(new Thread(() -> {
                        if (pause > 0) {
                            Thread.yield();
                        }
                        counted.incrementAndGet();
                        l.countDown();
                    }));
                }
                for (int i = 0; i < waiters; i++) {
                    boolean arrive = i == 0;
                    ts.add(new Thread(() -> {
                        try {
                            counted.incrementAndGet();
                            if (arrive) {
                                l.arriveAndWait();
                            } else {
                                l.countDown();
                                while (!l.await(1, TimeUnit.MILLISECONDS)) {
                                    timeouts.incrementAndGet();
                                }
                            }
                            if (counted.get() != counters + waiters) {
                                throw new AssertionError("released before the count reached zero");
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    }));
                }
                for (Thread t : ts) {
                    t.start();
                }
                for (Thread t : ts) {
                    t.join();
                }
            }
            return null;
        });
        assertNull(failure.get());
        System.out.println("[woa] latch stress " + c + ": " + rounds + " rounds, " + timeouts.get() + " time-outs");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void barrierSemantics(Configs.Config c) throws Exception {
        Barrier b = c.barrier(2);
        assertEquals(0, b.phase());
        assertEquals(2, b.parties());
        assertEquals(0, b.arrive());
        assertEquals(1, b.remaining());
        long t0 = System.nanoTime();
        assertFalse(b.awaitAdvance(0, 30, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= 30_000_000L, "never early");
        assertEquals(0, b.arriveAndDrop());
        assertEquals(1, b.phase());
        assertEquals(1, b.parties());
        assertEquals(1, b.remaining());
        b.awaitAdvance(0); // already past
        assertEquals(1, b.arriveAndWait(), "one party: the arrival ends the phase");
        assertEquals(2, b.phase());
        assertEquals(2, b.arriveAndDrop());
        assertThrows(IllegalStateException.class, b::arrive, "no parties left");
        assertThrows(IllegalStateException.class, b::arriveAndDrop);
        assertThrows(IllegalArgumentException.class, () -> b.initialize(0));
    }

    /**
     * Parties go through many phases; in each, every party adds to the phase's tally before it
     * arrives and checks after the phase ends that the tally is complete. Half of them wait with
     * short timed waits (time-outs counted); one party drops out halfway.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void barrierStress(Configs.Config c) throws Exception {
        int parties = 4;
        int phases = 2_000;
        int dropAt = phases / 2;
        Barrier b = c.barrier(parties);
        AtomicIntegerArray tally = new AtomicIntegerArray(phases);
        AtomicLong timeouts = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Watchdog.run(Duration.ofSeconds(100), "barrier stress " + c, () -> {
            List<Thread> ts = new ArrayList<>();
            for (int p = 0; p < parties; p++) {
                int party = p;
                Thread t = new Thread(() -> {
                    try {
                        for (int k = 0; k < phases; k++) {
                            tally.incrementAndGet(k);
                            if (party == 0 && k == dropAt) {
                                assertEquals(k, b.arriveAndDrop());
                                return;
                            }
                            int phase;
                            if (party % 2 == 0) {
                                phase = b.arriveAndWait();
                            } else {
                                phase = b.arrive();
                                while (!b.awaitAdvance(phase, 1, TimeUnit.MILLISECONDS)) {
                                    timeouts.incrementAndGet();
                                }
                            }
                            if (phase != k) {
                                throw new AssertionError("party " + party + " arrived at phase " + phase + ", expected " + k);
                            }
                            int expected = k <= dropAt ? parties : parties - 1;
                            if (tally.get(k) != expected) {
                                throw new AssertionError("phase " + k + " ended with " + tally.get(k) + " of " + expected);
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                ts.add(t);
                t.start();
            }
            for (Thread t : ts) {
                t.join();
            }
            return null;
        });
        assertNull(failure.get());
        assertEquals(phases, b.phase());
        System.out.println("[woa] barrier stress " + c + ": " + phases + " phases, " + timeouts.get() + " time-outs");
    }
}
