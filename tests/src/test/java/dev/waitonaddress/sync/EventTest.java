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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Event}: set, reset, waits, and a set at once undone by a reset still releasing its waiters. */
class EventTest {
    static Stream<Configs.Config> configs() {
        return Configs.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void semantics(Configs.Config c) throws Exception {
        Event e = c.event();
        assertFalse(e.isSet());
        long t0 = System.nanoTime();
        assertFalse(e.await(30, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= 30_000_000L, "never early");
        e.set();
        assertTrue(e.isSet());
        e.set();
        e.await();
        assertTrue(e.await(0, TimeUnit.SECONDS));
        e.reset();
        assertFalse(e.isSet());
        e.reset();
        assertFalse(e.await(0, TimeUnit.SECONDS));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, e::await);
        assertFalse(Thread.currentThread().isInterrupted());
    }

    /**
     * A waiter present at a {@code set} is released by it even if a {@code reset} follows at
     * once: one waiter, known to be inside {@code await} once it has raised the waiters bit,
     * then {@code set(); reset();} — alternately timed and untimed waits.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void setThenResetReleasesAWaiterPresent(Configs.Config c) throws Exception {
        java.nio.ByteBuffer mem = c.memory().order(java.nio.ByteOrder.nativeOrder());
        Event e = Event.wrap(c.futex, mem, 0, c.scope);
        int rounds = 200;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Watchdog.run(Duration.ofSeconds(100), "event set+reset " + c, () -> {
            for (int r = 0; r < rounds; r++) {
                boolean timed = r % 2 == 0;
                Thread t = new Thread(() -> {
                    try {
                        if (timed) {
                            if (!e.await(1, TimeUnit.MINUTES)) {
                                throw new AssertionError("timed out");
                            }
                        } else {
                            e.await();
                        }
                    } catch (Throwable x) {
                        failure.compareAndSet(null, x);
                    }
                });
                t.start();
                while ((mem.getInt(0) & Event.WAITERS_BIT) == 0) {
                    Thread.yield(); // inside await, about to sleep or asleep
                }
                e.set();
                e.reset();
                t.join();
            }
            return null;
        });
        assertNull(failure.get());
        assertFalse(e.isSet());
    }

    /**
     * Waiters (half with short timed waits, time-outs counted) and a setter that pulses the
     * event (set, then reset at once) until every waiter of the round has returned. A waiter that
     * arrives after a pulse waits for the next one; none may be left behind.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void pulsesReleaseEveryWaiter(Configs.Config c) throws Exception {
        Event e = c.event();
        int waiters = 4;
        int rounds = 300;
        AtomicLong timeouts = new AtomicLong();
        AtomicLong pulses = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Watchdog.run(Duration.ofSeconds(100), "event stress " + c, () -> {
            for (int r = 0; r < rounds; r++) {
                List<Thread> ts = new ArrayList<>();
                for (int i = 0; i < waiters; i++) {
                    boolean timed = i % 2 == 0;
                    Thread t = new Thread(() -> {
                        try {
                            if (timed) {
                                while (!e.await(1, TimeUnit.MILLISECONDS)) {
                                    timeouts.incrementAndGet();
                                }
                            } else {
                                e.await();
                            }
                        } catch (Throwable x) {
                            failure.compareAndSet(null, x);
                        }
                    });
                    ts.add(t);
                    t.start();
                }
                if (r % 3 == 0) {
                    Thread.sleep(1); // sometimes they sleep already, sometimes not yet
                }
                for (Thread t : ts) {
                    while (t.isAlive()) {
                        e.set();
                        e.reset();
                        pulses.incrementAndGet();
                        t.join(1);
                    }
                }
            }
            return null;
        });
        assertNull(failure.get());
        assertFalse(e.isSet());
        System.out.println("[woa] event stress " + c + ": " + rounds + " rounds of " + waiters + " waiters, "
                + pulses.get() + " pulses, " + timeouts.get() + " time-outs");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void wordProtocol(Configs.Config c) {
        java.nio.ByteBuffer mem = c.memory().order(java.nio.ByteOrder.nativeOrder());
        Event e = Event.wrap(c.futex, mem, 0, c.scope);
        e.set();
        assertEquals(Event.SET_BIT | 4, mem.getInt(0), "set bit and one set counted");
        e.reset();
        assertEquals(4, mem.getInt(0));
        e.set();
        assertEquals(Event.SET_BIT | 8, mem.getInt(0));
    }
}
