package dev.waitonaddress.suite;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitTarget;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.EveryRun;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * An interrupt reaches a waiter that a requeue moved: a thread blocked on word A, moved by
 * {@code requeue(A → B)} (and on to C by {@code requeue(B → C)}), is interrupted and must leave
 * with {@link InterruptedException}, although nothing wakes B or C but the interrupt. Without the
 * policy's bookkeeping of requeues, the interrupt wakes only A, which the waiter has left, and the
 * wait ends only at the next wake of the word it was moved to: here, never; each round therefore
 * waits a bounded time, then wakes every word and fails naming the round.
 *
 * <p>On every backend of the run that can requeue ({@link ReliabilityBackends#ofThisRun()}):
 * {@code linux-futex} ({@code FUTEX_CMP_REQUEUE}) in the default run, {@code openbsd-futex} on its
 * contract emulator ({@code FUTEX_REQUEUE}, no compare) in the run {@code emulators}; PRIVATE and,
 * where the backend has it, SHARED words (requeued by this process, which the library sees);
 * {@code await}, timed {@code await}, and a native {@code awaitAny} where there is one. A bounded
 * stress (1,000 rounds per backend) then races the interrupt with the requeue and with chains of
 * requeues, under a watchdog.
 */
@EveryRun
class ReliabilityRequeueInterruptTest {
    /** How long a round may wait for its waiter before it is declared lost. */
    private static final long ROUND_LIMIT_MILLIS = 5_000;

    /**
     * @return the backends of the run that can requeue INT32 words natively; none in a run whose
     *     backends cannot requeue (the emulated Windows and macOS backends), which has nothing to prove here
     */
    private static List<WaitOnAddress> backends() {
        List<WaitOnAddress> run = ReliabilityBackends.ofThisRun();
        Strict.require(!run.isEmpty(), "no backend is available in this run");
        return run.stream()
                .filter(b -> b.capabilities().requeue() && b.capabilities().supports(Width.INT32, Scope.PRIVATE)
                        && b.capabilities().width(Width.INT32) == dev.waitonaddress.Capabilities.Support.NATIVE)
                .collect(Collectors.toList());
    }

    @TestFactory
    Stream<DynamicTest> anInterruptReachesAWaiterMovedByARequeue() {
        return backends().stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> movedThenInterrupted(b)));
    }

    @TestFactory
    Stream<DynamicTest> stressInterruptsRacingRequeues() {
        return backends().stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> stress(b)));
    }

    /** A way to block on word A (the other word of an awaitAny is never woken or requeued). */
    @FunctionalInterface
    private interface Blocker {
        void block(Pointer a, Pointer other) throws InterruptedException;
    }

    private static final class Way {
        final String name;
        final Scope scope;
        final Blocker blocker;

        Way(String name, Scope scope, Blocker blocker) {
            this.name = name;
            this.scope = scope;
            this.blocker = blocker;
        }
    }

    private static List<Way> ways(WaitOnAddress woa) {
        List<Way> out = new ArrayList<>();
        for (Scope s : Scope.values()) {
            if (!woa.capabilities().supports(Width.INT32, s)) {
                continue;
            }
            out.add(new Way("await INT32/" + s, s, (a, o) -> woa.await(a, Width.INT32, 0, s)));
            out.add(new Way("timed await INT32/" + s, s, (a, o) -> woa.await(a, Width.INT32, 0, s, 1, TimeUnit.HOURS)));
            if (woa.capabilities().awaitAny() == dev.waitonaddress.Capabilities.Support.NATIVE) {
                out.add(new Way("awaitAny INT32/" + s, s,
                    (a, o) -> woa.awaitAny(List.of(WaitTarget.ofInt(o, 0, s), WaitTarget.ofInt(a, 0, s)))));
            }
        }
        return out;
    }

    /** A waiter thread that blocks once per request and reports how each wait ended. */
    private static final class Waiter implements AutoCloseable {
        final Thread thread;
        final BlockingQueue<Boolean> go = new ArrayBlockingQueue<>(1);
        final BlockingQueue<Object> outcome = new ArrayBlockingQueue<>(1);
        /** Released when the thread has taken a request: an interrupt from then on is one of the round. */
        final java.util.concurrent.Semaphore started = new java.util.concurrent.Semaphore(0);

        Waiter(Way way, Pointer a, Pointer other) {
            thread = new Thread(() -> {
                try {
                    while (go.take()) {
                        started.release();
                        Object result = null;
                        // nothing changes the words: a normal return is a spurious wake-up; block again
                        for (int spurious = 0; result == null; spurious++) {
                            try {
                                way.blocker.block(a, other);
                                if (spurious == 1_000) {
                                    result = "returned normally 1,000 times in a row";
                                }
                            } catch (InterruptedException e) {
                                long at = System.nanoTime();
                                result = Thread.currentThread().isInterrupted() ? "status not cleared" : (Object) at;
                            } catch (Throwable e) {
                                result = e;
                            }
                        }
                        outcome.put(result);
                    }
                } catch (InterruptedException e) {
                    // closed
                }
            }, "requeued-waiter");
            thread.setDaemon(true);
            thread.start();
        }

        /** @return whether the thread sits in the policy's OS call (it may not have entered the kernel yet) */
        boolean inOsCall() {
            for (StackTraceElement e : thread.getStackTrace()) {
                if (e.getClassName().equals("dev.waitonaddress.Policy") && e.getMethodName().equals("once")) {
                    return true;
                }
            }
            return false;
        }

        void awaitInOsCall() throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!inOsCall()) {
                if (System.nanoTime() - until > 0) {
                    fail("the waiter never reached its OS call: " + outcome.peek());
                }
                Thread.sleep(0, 100_000);
            }
        }

        @Override
        public void close() throws InterruptedException {
            go.clear();
            go.offer(false);
            thread.join(ROUND_LIMIT_MILLIS);
        }
    }

    private static void movedThenInterrupted(WaitOnAddress woa) throws Exception {
        int rounds = ReliabilityBackends.scaled(20);
        List<String> lines = new ArrayList<>();
        try (Combos.Words words = new Combos.Words(16, woa.capabilities().shared())) {
            for (Way way : ways(woa)) {
                Pointer a = words.next(way.scope);
                Pointer b = words.next(way.scope);
                Pointer other = words.next(way.scope);
                Stats stats = new Stats(rounds);
                int[] unknownCounts = {0};
                Watchdog.run(Duration.ofSeconds(60), "interrupt after requeue " + woa.name() + " " + way.name, () -> {
                    try (Waiter w = new Waiter(way, a, other)) {
                        for (int i = 0; i < rounds; i++) {
                            w.go.put(true);
                            w.started.acquire();
                            w.awaitInOsCall();
                            Thread.sleep(2); // into the kernel, mostly: the requeue says whether it moved it
                            int moved = 0;
                            for (int tries = 0; moved == 0; tries++) {
                                moved = woa.requeue(a, b, way.scope, 0, 0, WaitOnAddress.ALL);
                                if (moved == 0) {
                                    assertTrue(tries < 1_000, way.name + ": the waiter never slept on A");
                                    Thread.sleep(1);
                                }
                            }
                            assertTrue(moved == 1 || moved == WaitOnAddress.COUNT_UNKNOWN,
                                    way.name + ": requeue answered " + moved);
                            if (moved == WaitOnAddress.COUNT_UNKNOWN) {
                                unknownCounts[0]++;
                            }
                            long at = System.nanoTime();
                            interruptFromAnotherThread(w.thread);
                            Object result = w.outcome.poll(ROUND_LIMIT_MILLIS, TimeUnit.MILLISECONDS);
                            if (result == null) {
                                woa.wakeAll(b, Width.INT32, way.scope); // let the waiter (and the interrupter) go
                                result = w.outcome.poll(ROUND_LIMIT_MILLIS, TimeUnit.MILLISECONDS);
                                fail(woa.name() + " " + way.name + ": round " + i + ": an interrupt did not reach a"
                                        + " waiter moved from A to B in " + ROUND_LIMIT_MILLIS + " ms; it left only"
                                        + " when B was woken (" + result + ")");
                            }
                            if (!(result instanceof Long)) {
                                fail(woa.name() + " " + way.name + ": round " + i + ": " + result);
                            }
                            stats.add((Long) result - at);
                        }
                    }
                    return null;
                });
                lines.add(way.name + " " + stats.summary()
                        + (unknownCounts[0] > 0 ? " (" + unknownCounts[0] + " requeues without a count)" : ""));
            }
        }
        ReliabilityBackends.report("interrupt after requeue " + woa.name() + ": interrupt to InterruptedException");
        for (String l : lines) {
            ReliabilityBackends.report("  " + l);
        }
    }

    /** Interrupts {@code t} from a fresh thread, so that the test thread can still clean up if it hangs. */
    private static Thread interruptFromAnotherThread(Thread t) {
        Thread i = new Thread(t::interrupt, "interrupter");
        i.setDaemon(true);
        i.start();
        return i;
    }

    /**
     * Rounds of: the waiter blocks on A; the test requeues A → B, or A → B → C, or nothing, while
     * an interrupter interrupts the waiter after a random spin, so that the interrupt lands before
     * the waiter sleeps, while it sleeps on A, between the requeues, or after them. Every round must
     * end in {@link InterruptedException}: nothing else wakes the words.
     */
    private static void stress(WaitOnAddress woa) throws Exception {
        int rounds = ReliabilityBackends.scaled(1_000);
        try (Combos.Words words = new Combos.Words(16, false)) {
            Way way = ways(woa).get(0); // await INT32/PRIVATE
            Pointer a = words.next(Scope.PRIVATE);
            Pointer b = words.next(Scope.PRIVATE);
            Pointer c = words.next(Scope.PRIVATE);
            Pointer other = words.next(Scope.PRIVATE);
            SplittableRandom rnd = new SplittableRandom(7);
            int[] plans = new int[3];
            long[] moved = new long[1];
            Watchdog.run(Duration.ofSeconds(100), "interrupts racing requeues " + woa.name(), () -> {
                try (Waiter w = new Waiter(way, a, other)) {
                    for (int i = 0; i < rounds; i++) {
                        int plan = rnd.nextInt(3); // 0: no requeue, 1: A → B, 2: A → B → C
                        int spin = rnd.nextInt(20_000);
                        boolean waitForSleep = rnd.nextBoolean();
                        plans[plan]++;
                        w.go.put(true);
                        w.started.acquire();
                        if (waitForSleep) {
                            w.awaitInOsCall();
                        }
                        CountDownLatch start = new CountDownLatch(1);
                        Thread interrupter = new Thread(() -> {
                            try {
                                start.await();
                            } catch (InterruptedException e) {
                                return;
                            }
                            for (int s = 0; s < spin; s++) {
                                Thread.onSpinWait();
                            }
                            w.thread.interrupt();
                        }, "interrupter");
                        interrupter.setDaemon(true);
                        interrupter.start();
                        start.countDown();
                        if (plan >= 1) {
                            int r = woa.requeue(a, b, Scope.PRIVATE, 0, 0, WaitOnAddress.ALL);
                            moved[0] += Math.max(0, r);
                        }
                        if (plan == 2) {
                            int r = woa.requeue(b, c, Scope.PRIVATE, 0, 0, WaitOnAddress.ALL);
                            moved[0] += Math.max(0, r);
                        }
                        Object result = w.outcome.poll(ROUND_LIMIT_MILLIS, TimeUnit.MILLISECONDS);
                        if (result == null) {
                            for (Pointer p : new Pointer[] {a, b, c}) {
                                woa.wakeAll(p, Width.INT32, Scope.PRIVATE);
                            }
                            result = w.outcome.poll(ROUND_LIMIT_MILLIS, TimeUnit.MILLISECONDS);
                            fail(woa.name() + ": round " + i + " (plan " + plan + ", spin " + spin + "): the interrupt"
                                    + " did not end the wait in " + ROUND_LIMIT_MILLIS + " ms; it left when its words"
                                    + " were woken (" + result + ")");
                        }
                        if (!(result instanceof Long)) {
                            fail(woa.name() + ": round " + i + " (plan " + plan + "): " + result);
                        }
                        interrupter.join();
                    }
                }
                return null;
            });
            ReliabilityBackends.report("interrupts racing requeues " + woa.name() + ": " + rounds + " rounds (no requeue "
                    + plans[0] + ", A→B " + plans[1] + ", A→B→C " + plans[2] + "), " + moved[0]
                    + " waiters moved, every round interrupted");
        }
    }
}
