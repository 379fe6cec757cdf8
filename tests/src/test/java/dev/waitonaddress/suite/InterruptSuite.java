package dev.waitonaddress.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitTarget;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Interrupts, on every (width, scope) the backend accepts and on {@code awaitAny}:
 * <ul>
 * <li>a blocked wait (timed or not) that is interrupted leaves with {@link InterruptedException}
 *     promptly (the latency's p99 is printed), with its interrupt status cleared;
 * <li>a wake-up racing with an interrupt is not lost: of two waiters, when one {@code wakeOne}
 *     races an interrupt of the first, the second is woken or the first returned normally (and
 *     then keeps its interrupt status, as the JDK's convention wants).
 * </ul>
 * Run by {@link ReliabilityInterruptTest} (every backend of the run) and
 * {@link ReliabilityAtomicWaitInterruptTest} (through {@code AtomicWait}), which say what to block on.
 */
public abstract class InterruptSuite {
    /** @return the backends to test */
    protected abstract List<WaitOnAddress> backends();

    @TestFactory
    public Stream<DynamicTest> interruptsEndWaitsPromptly() {
        List<WaitOnAddress> backends = backends();
        Strict.require(!backends.isEmpty(), "no backend of this kind is available here");
        return backends.stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> latency(b)));
    }

    @TestFactory
    public Stream<DynamicTest> aWakeUpRacingAnInterruptIsNotLost() {
        List<WaitOnAddress> backends = backends();
        Strict.require(!backends.isEmpty(), "no backend of this kind is available here");
        return backends.stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> race(b)));
    }

    /** One way to block: a plain or timed await of one word, or an awaitAny of two. */
    @FunctionalInterface
    protected interface Blocker {
        void block(WaitOnAddress woa, Pointer p, Pointer other) throws InterruptedException;
    }

    /** How the waiters of a way of blocking are woken. */
    @FunctionalInterface
    protected interface Waker {
        void wakeOne(WaitOnAddress woa, Pointer p);
    }

    /** A way to block on a word (and its partner), and to wake one blocked that way. */
    protected static final class Way {
        final String name;
        final Scope scope;
        final Width width;
        final Blocker blocker;
        final Waker waker;

        protected Way(String name, Scope scope, Width width, Blocker blocker, Waker waker) {
            this.name = name;
            this.scope = scope;
            this.width = width;
            this.blocker = blocker;
            this.waker = waker;
        }
    }

    /** @return every way of blocking to test on {@code woa}: await and awaitAny, timed and not */
    protected List<Way> ways(WaitOnAddress woa) {
        List<Way> out = new ArrayList<>();
        for (Combos.Combo c : Combos.of(woa)) {
            Waker waker = (w, p) -> w.wakeOne(p, c.width, c.scope);
            out.add(new Way("await " + c, c.scope, c.width, (w, p, o) -> w.await(p, c.width, 0, c.scope), waker));
            out.add(new Way("timed await " + c, c.scope, c.width,
                (w, p, o) -> w.await(p, c.width, 0, c.scope, 1, TimeUnit.HOURS), waker));
        }
        for (Scope s : Scope.values()) {
            if (Combos.awaitAny(woa, s)) {
                Waker waker = (w, p) -> w.wakeOne(p, Width.INT32, s);
                out.add(new Way("awaitAny INT32/" + s, s, Width.INT32, (w, p, o) ->
                        w.awaitAny(List.of(WaitTarget.ofInt(o, 0, s), WaitTarget.ofInt(p, 0, s))), waker));
                out.add(new Way("timed awaitAny INT32/" + s, s, Width.INT32, (w, p, o) ->
                        w.awaitAny(List.of(WaitTarget.ofInt(o, 0, s), WaitTarget.ofInt(p, 0, s)), 1, TimeUnit.HOURS),
                        waker));
            }
        }
        return out;
    }

    /** More spurious returns than this in one round of the latency test is a failure, not chance. */
    private static final int SPURIOUS_LIMIT = 1000;

    private void latency(WaitOnAddress woa) throws Exception {
        int rounds = ReliabilityBackends.scaled(50);
        Stats all = new Stats(100_000);
        List<String> lines = new ArrayList<>();
        try (Combos.Words words = new Combos.Words(64, woa.capabilities().shared())) {
            for (Way way : ways(woa)) {
                String name = way.name;
                Scope scope = way.scope;
                Blocker blocker = way.blocker;
                Pointer p = words.next(scope);
                Pointer other = words.next(scope);
                Stats stats = new Stats(rounds);
                Watchdog.run(Duration.ofSeconds(60), "interrupt latency " + woa.name() + " " + name, () -> {
                    Semaphore ready = new Semaphore(0);
                    SynchronousQueue<Object> outcome = new SynchronousQueue<>();
                    Thread waiter = new Thread(() -> {
                        for (int i = 0; i < rounds; i++) {
                            Object result = null;
                            ready.release();
                            // the word never changes, so a normal return is a spurious wake-up, which the
                            // contract allows (Windows: an alert left pending by an earlier wake-all): block again
                            for (int spurious = 0; result == null; spurious++) {
                                try {
                                    blocker.block(woa, p, other);
                                    if (spurious == SPURIOUS_LIMIT) {
                                        result = "returned normally " + SPURIOUS_LIMIT + " times in a row";
                                    }
                                } catch (InterruptedException e) {
                                    long at = System.nanoTime();
                                    result = Thread.currentThread().isInterrupted() ? "status not cleared" : (Long) at;
                                } catch (Throwable e) {
                                    result = e;
                                }
                            }
                            try {
                                outcome.put(result);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }, "interruptee");
                    waiter.setDaemon(true);
                    waiter.start();
                    for (int i = 0; i < rounds; i++) {
                        ready.acquire();
                        Thread.sleep(1 + i % 3); // into the kernel (or the parking lot), mostly
                        long at = System.nanoTime();
                        waiter.interrupt();
                        Object result = outcome.take();
                        if (!(result instanceof Long)) {
                            fail(name + ": round " + i + ": " + result);
                        }
                        stats.add((Long) result - at);
                        all.add((Long) result - at);
                    }
                    waiter.join();
                    return null;
                });
                lines.add(name + " " + stats.summary());
                assertTrue(stats.percentile(100) < 2_000_000_000L, woa.name() + " " + name + ": an interrupt took "
                        + stats.percentile(100) / 1_000_000 + " ms to end the wait (bound 2 s); " + stats.summary());
            }
        }
        ReliabilityBackends.report("interrupt latency " + woa.name() + ": all " + all.summary());
        for (String l : lines) {
            ReliabilityBackends.report("  " + l);
        }
    }

    private void race(WaitOnAddress woa) throws Exception {
        int rounds = ReliabilityBackends.scaled(40);
        int[] outcomes = new int[3]; // interrupted-first woke other, first returned normally, both returned
        try (Combos.Words words = new Combos.Words(64, woa.capabilities().shared())) {
            for (Way way : ways(woa)) {
                String name = way.name;
                Scope scope = way.scope;
                Blocker blocker = way.blocker;
                if (name.startsWith("timed")) {
                    continue; // same paths as untimed; keep the run short
                }
                Pointer p = words.next(scope);
                Pointer other = words.next(scope);
                Width width = way.width;
                SplittableRandom rnd = new SplittableRandom(42);
                Watchdog.run(Duration.ofSeconds(120), "wake/interrupt race " + woa.name() + " " + name, () -> {
                    for (int i = 0; i < rounds; i++) {
                        p.setLong(0, 0);
                        other.setLong(0, 0);
                        CountDownLatch interruptDone = new CountDownLatch(1);
                        AtomicReference<Object> first = new AtomicReference<>();
                        AtomicReference<Object> second = new AtomicReference<>();
                        CountDownLatch secondDone = new CountDownLatch(1);
                        CountDownLatch firstDone = new CountDownLatch(1);
                        CountDownLatch started = new CountDownLatch(2);
                        Thread w1 = new Thread(() -> {
                            started.countDown();
                            try {
                                blocker.block(woa, p, other);
                                first.set("normal");
                                firstDone.countDown();
                                while (interruptDone.getCount() > 0) {
                                    Thread.onSpinWait(); // not await(): that would consume the status we check
                                }
                                // the interrupt that came too late to end the wait must still be visible
                                first.set(Thread.interrupted() ? "normal, status kept" : "normal, STATUS LOST");
                            } catch (InterruptedException e) {
                                first.set(Thread.currentThread().isInterrupted() ? "STATUS NOT CLEARED" : "interrupted");
                                firstDone.countDown();
                            } catch (Throwable e) {
                                first.set(e);
                                firstDone.countDown();
                            }
                        }, "w1");
                        Thread w2 = new Thread(() -> {
                            started.countDown();
                            try {
                                blocker.block(woa, p, other);
                                second.set("normal");
                            } catch (Throwable e) {
                                second.set(e);
                            }
                            secondDone.countDown();
                        }, "w2");
                        w1.setDaemon(true);
                        w2.setDaemon(true);
                        w1.start();
                        w2.start();
                        started.await();
                        Thread.sleep(2);
                        setWord(p, width, 1);
                        java.lang.invoke.VarHandle.fullFence(); // a JNA store is plain: order it before the wake
                        Thread waker = new Thread(() -> way.waker.wakeOne(woa, p), "waker");
                        int spin = rnd.nextInt(200);
                        waker.start();
                        for (int s = 0; s < spin; s++) {
                            Thread.onSpinWait();
                        }
                        w1.interrupt();
                        interruptDone.countDown();
                        waker.join();
                        assertTrue(firstDone.await(10, TimeUnit.SECONDS), name + ": the interrupted waiter never left");
                        boolean secondWoken = firstNormal(first) ? secondDone.getCount() == 0
                                : secondDone.await(5_000, TimeUnit.MILLISECONDS);
                        if (!secondWoken && !firstNormal(first)) {
                            fail(name + ": round " + i + ": the wake-up was lost: the interrupted waiter left with "
                                    + first.get() + " and the other waiter still sleeps (spin " + spin + ") "
                                    + java.util.Arrays.toString(w2.getStackTrace()).replace(", ", "\n  "));
                        }
                        while (w1.isAlive() || w2.isAlive()) {
                            woa.wakeAll(p, width, scope); // release the one that legitimately still sleeps
                            w1.join(5);
                            w2.join(5);
                        }
                        Object f = first.get();
                        assertTrue("interrupted".equals(f) || "normal, status kept".equals(f),
                                name + ": round " + i + ": first waiter: " + f);
                        assertEquals("normal", second.get(), name + ": round " + i + ": second waiter");
                        outcomes[secondWoken ? ("interrupted".equals(f) ? 0 : 2) : 1]++;
                    }
                    return null;
                });
            }
        }
        ReliabilityBackends.report("wake/interrupt race " + woa.name() + ": interrupted-and-other-woken=" + outcomes[0]
                + " first-returned-normally=" + outcomes[1] + " both-returned=" + outcomes[2] + " lost=0");
        assertFalse(Thread.currentThread().isInterrupted());
    }

    private static boolean firstNormal(AtomicReference<Object> first) {
        Object f = first.get();
        return f instanceof String && ((String) f).startsWith("normal");
    }

    private static void setWord(Pointer p, Width w, long v) {
        switch (w) {
            case INT8: p.setByte(0, (byte) v); break;
            case INT16: p.setShort(0, (short) v); break;
            case INT32: p.setInt(0, (int) v); break;
            default: p.setLong(0, v);
        }
    }
}
