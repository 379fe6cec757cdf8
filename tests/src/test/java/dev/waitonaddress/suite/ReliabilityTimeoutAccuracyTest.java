package dev.waitonaddress.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.WaitTarget;
import dev.waitonaddress.testing.EveryRun;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Thousands of short timed waits on words nobody changes, 1 µs to 50 ms (log-uniform), relative
 * (in nanoseconds, microseconds and milliseconds) and absolute ({@code awaitUntil}), plus timed
 * {@code awaitAny}, on every (width, scope) the backend accepts, from several threads at once.
 * None may return TIMED_OUT before its deadline; the lateness distribution is printed. The count
 * is {@code 3000 * -Dwoa.stress.scale} per backend (a few seconds). Every backend of the run.
 */
@EveryRun
class ReliabilityTimeoutAccuracyTest {
    private static final long MIN_NANOS = 1_000;
    private static final long MAX_NANOS = 50_000_000;
    private static final int THREADS = 8;

    /** @return the backends to measure: those of the run */
    private static List<WaitOnAddress> backends() {
        return ReliabilityBackends.ofThisRun();
    }

    @TestFactory
    public Stream<DynamicTest> noTimeOutIsEverEarly() {
        List<WaitOnAddress> backends = backends();
        Strict.require(!backends.isEmpty(), "no backend of this kind is available here");
        return backends.stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> measure(b)));
    }

    private enum Kind { RELATIVE, ABSOLUTE, AWAIT_ANY }

    private void measure(WaitOnAddress woa) throws Exception {
        int total = ReliabilityBackends.scaled(3000);
        List<Combos.Combo> combos = Combos.of(woa);
        Stats[] stats = new Stats[Kind.values().length];
        for (int i = 0; i < stats.length; i++) {
            stats[i] = new Stats(total);
        }
        AtomicLong early = new AtomicLong();
        AtomicLong spurious = new AtomicLong();
        AtomicLong done = new AtomicLong();
        List<String> earlies = new ArrayList<>();
        String[] latest = new String[Kind.values().length]; // the (width, scope) of each kind's latest time-out
        long[] latestNanos = new long[Kind.values().length];
        Combos.Words words = new Combos.Words(THREADS * (combos.size() + 2), woa.capabilities().shared());
        Watchdog.run(Duration.ofSeconds(120), "time-outs " + woa.name(), () -> {
            List<Thread> threads = new ArrayList<>();
            AtomicLong failures = new AtomicLong();
            for (int t = 0; t < THREADS; t++) {
                long seed = 0x5eed + t;
                List<Pointer> mine = new ArrayList<>();
                for (Combos.Combo c : combos) {
                    mine.add(words.next(c.scope));
                }
                Pointer any1 = words.next(dev.waitonaddress.Scope.PRIVATE);
                Pointer any2 = words.next(dev.waitonaddress.Scope.PRIVATE);
                Thread thread = new Thread(() -> {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    try {
                        for (int i = 0; done.incrementAndGet() <= total; i++) {
                            long nanos = (long) Math.exp(Math.log(MIN_NANOS)
                                    + rnd.nextDouble() * (Math.log(MAX_NANOS) - Math.log(MIN_NANOS)));
                            int k = i % combos.size();
                            Combos.Combo c = combos.get(k);
                            Pointer p = mine.get(k);
                            Kind kind = Kind.values()[rnd.nextInt(Combos.awaitAny(woa,
                                    dev.waitonaddress.Scope.PRIVATE) ? 3 : 2)];
                            long start;
                            long deadline;
                            boolean timedOut;
                            switch (kind) {
                                case RELATIVE: {
                                    TimeUnit unit = nanos < 1_000_000 ? (i % 2 == 0 ? TimeUnit.NANOSECONDS
                                            : TimeUnit.MICROSECONDS) : (i % 2 == 0 ? TimeUnit.MICROSECONDS
                                            : TimeUnit.MILLISECONDS);
                                    long amount = Math.max(1, unit.convert(nanos, TimeUnit.NANOSECONDS));
                                    start = System.nanoTime();
                                    deadline = start + unit.toNanos(amount);
                                    timedOut = woa.await(p, c.width, 0, c.scope, amount, unit) == WaitResult.TIMED_OUT;
                                    break;
                                }
                                case ABSOLUTE:
                                    deadline = System.nanoTime() + nanos;
                                    timedOut = woa.awaitUntil(p, c.width, 0, c.scope, deadline)
                                            == WaitResult.TIMED_OUT;
                                    break;
                                default:
                                    start = System.nanoTime();
                                    deadline = start + nanos;
                                    timedOut = woa.awaitAny(List.of(WaitTarget.ofInt(any1, 0,
                                            dev.waitonaddress.Scope.PRIVATE), WaitTarget.ofInt(any2, 0,
                                            dev.waitonaddress.Scope.PRIVATE)), nanos, TimeUnit.NANOSECONDS)
                                            == WaitOnAddress.AWAIT_ANY_TIMED_OUT;
                            }
                            long end = System.nanoTime();
                            if (!timedOut) {
                                spurious.incrementAndGet(); // WOKEN with nobody waking: allowed, rare
                                continue;
                            }
                            long late = end - deadline;
                            if (late < 0) {
                                early.incrementAndGet();
                                synchronized (earlies) {
                                    earlies.add(kind + " " + c + " " + nanos + " ns: " + (-late) + " ns early");
                                }
                            } else {
                                stats[kind.ordinal()].add(late);
                                synchronized (latest) {
                                    if (late > latestNanos[kind.ordinal()]) {
                                        latestNanos[kind.ordinal()] = late;
                                        latest[kind.ordinal()] = (kind == Kind.AWAIT_ANY ? "INT32 PRIVATE" : c.toString()) + ", " + nanos + " ns";
                                    }
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failures.incrementAndGet();
                        e.printStackTrace();
                    }
                }, "timeouts-" + t);
                thread.start();
                threads.add(thread);
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(0, failures.get(), "a timing thread failed (stack printed)");
            return null;
        });
        words.close();
        StringBuilder line = new StringBuilder("time-outs " + woa.name() + ": tried=" + total + " early=" + early.get()
                + " spurious-wakeups=" + spurious.get());
        for (Kind k : Kind.values()) {
            if (stats[k.ordinal()].count() > 0) {
                line.append(" | ").append(k).append(" lateness ").append(stats[k.ordinal()].summary());
            }
        }
        ReliabilityBackends.report(line.toString());
        assertEquals(0, early.get(), woa.name() + ": time-outs returned before their deadline: " + earlies);
        for (Kind k : Kind.values()) {
            assertTrue(latestNanos[k.ordinal()] < 10_000_000_000L, woa.name() + " " + k + " " + latest[k.ordinal()]
                    + ": a time-out came " + latestNanos[k.ordinal()] / 1_000_000 + " ms late (bound 10 s)");
        }
    }
}
