package dev.waitonaddress.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Capabilities.Support;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitTarget;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.Emulators;
import dev.waitonaddress.testing.EveryRun;
import dev.waitonaddress.testing.SharedMemory;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Many threads hand work to each other over many words at once, for a bounded time and count per
 * backend, with every operation the backend has mixed in one run:
 * <ul>
 * <li><b>ping-pong</b>: pairs on one word, {@code wakeOne}, for every (width, scope) the backend accepts;
 * <li><b>ring</b>: four threads take turns on one word, {@code wakeAll};
 * <li><b>mailbox</b>: a server in {@code awaitAny} over its clients' words of mixed widths, each
 *     client waiting for its acknowledgement ({@code wakeOne});
 * <li><b>gate</b>: waiters released by {@code requeue} to a second word and a {@code wakeAll} there.
 * </ul>
 * Words sit next to each other (several per cache line, many per bucket of the in-process parking
 * lot). Every wait is timed so that a lost wake-up is counted ({@link Word}) rather than hung on;
 * the run prints the handoffs done and the lost wake-ups found, which must be 0. A hang of another
 * kind trips the {@link Watchdog}. {@code -Dwoa.stress.seconds=N} lengthens the run. Every backend
 * of the run ({@link ReliabilityBackends#ofThisRun()}).
 */
@EveryRun
class ReliabilityStressTest {
    /**
     * @return seconds of stress for {@code woa} when {@code -Dwoa.stress.seconds} is not given: 3 for
     *     a backend bound to its emulator (four of them: keep the build's added time bounded), else 6
     */
    private static double defaultSeconds(WaitOnAddress woa) {
        return Emulators.isBound(woa) ? 3 : 6;
    }

    @TestFactory
    public Stream<DynamicTest> stressEveryBackend() {
        List<WaitOnAddress> backends = ReliabilityBackends.ofThisRun();
        Strict.require(!backends.isEmpty(), "no backend of this kind is available here");
        return backends.stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> stress(b)));
    }

    private static final class Stop {
        final long end;
        final long maxHandoffs;
        final Tally tally;

        Stop(double seconds, long maxHandoffs, Tally tally) {
            this.end = System.nanoTime() + (long) (seconds * 1e9);
            this.maxHandoffs = maxHandoffs;
            this.tally = tally;
        }

        boolean now() {
            return System.nanoTime() - end > 0 || tally.handoffs.get() >= maxHandoffs || tally.failure.get() != null;
        }
    }

    /** Hands out 8-byte slots of a PRIVATE block and of a SHARED mapping, side by side. */
    private static final class Slots implements AutoCloseable {
        final Memory privateBlock = new Memory(8192);
        final SharedMemory shared;
        int nextPrivate;
        int nextShared;

        Slots(boolean withShared) throws Exception {
            privateBlock.clear();
            shared = withShared ? SharedMemory.create("woa-stress", 8192) : null;
        }

        Pointer next(Scope scope) {
            if (scope == Scope.PRIVATE) {
                return privateBlock.share(8L * nextPrivate++);
            }
            return shared.pointer().share(8L * nextShared++);
        }

        @Override
        public void close() throws Exception {
            if (shared != null) {
                shared.close();
            }
            privateBlock.close();
        }
    }

    private void stress(WaitOnAddress woa) throws Exception {
        Capabilities caps = woa.capabilities();
        double seconds = ReliabilityBackends.stressSeconds(defaultSeconds(woa));
        long maxHandoffs = ReliabilityBackends.scaled(2_000_000);
        Tally tally = new Tally();
        Stop stop = new Stop(seconds, maxHandoffs, tally);
        AtomicLong requeued = new AtomicLong();
        List<String> parts = new ArrayList<>();
        Watchdog.run(Duration.ofSeconds((long) seconds + 90), "stress " + woa.name(), () -> {
            // not try-with-resources: if a thread fails, the others may still touch the words; they leak then
            Slots slots = new Slots(caps.shared());
            {
                List<Thread> threads = new ArrayList<>();
                for (Scope scope : Scope.values()) {
                    for (Width width : Width.values()) {
                        if (!caps.supports(width, scope)) {
                            continue;
                        }
                        for (int pair = 0; pair < 2; pair++) {
                            Word w = new Word(woa, slots.next(scope), width, scope, "ping-pong-" + pair);
                            for (int side = 0; side < 2; side++) {
                                threads.add(turnTaker(w, 2, side, false, stop));
                            }
                        }
                        parts.add("ping-pong " + width + "/" + scope);
                    }
                    List<Width> widths = new ArrayList<>();
                    for (Width width : Width.values()) {
                        if (caps.supports(width, scope)) {
                            widths.add(width);
                        }
                    }
                    if (widths.isEmpty()) {
                        continue;
                    }
                    for (Width width : new Width[] {widths.get(0), widths.get(widths.size() - 1)}) {
                        Word ring = new Word(woa, slots.next(scope), width, scope, "ring");
                        for (int member = 0; member < 4; member++) {
                            threads.add(turnTaker(ring, 4, member, true, stop));
                        }
                        parts.add("ring " + width + "/" + scope);
                    }
                    if (awaitAnyWorks(caps, scope)) {
                        List<Width> anyWidths = new ArrayList<>();
                        for (Width width : widths) {
                            if (scope == Scope.PRIVATE || caps.width(width) == Support.NATIVE) {
                                anyWidths.add(width);
                            }
                        }
                        int clients = Math.min(3, caps.maxAwaitAnyTargets());
                        threads.addAll(mailbox(woa, slots, scope, anyWidths, clients, stop));
                        parts.add("mailbox(awaitAny) " + anyWidths + "/" + scope);
                    }
                    if (caps.requeue() && caps.supports(Width.INT32, scope)
                            && caps.width(Width.INT32) == Support.NATIVE) {
                        threads.addAll(gate(woa, slots, scope, 3, stop, requeued));
                        parts.add("gate(requeue) INT32/" + scope);
                    }
                }
                for (Thread t : threads) {
                    t.start();
                }
                for (Thread t : threads) {
                    while (t.isAlive()) {
                        t.join(100);
                        if (tally.failure.get() != null) {
                            throw new AssertionError("a stress thread failed", tally.failure.get());
                        }
                    }
                }
                ReliabilityBackends.report("stress " + woa.name() + ": " + threads.size() + " threads, "
                        + String.format("%.1f", seconds) + " s budget: handoffs=" + tally.handoffs.get()
                        + " lost-wake-ups=" + tally.lost.get() + " slow-partner-timeouts=" + tally.slow.get()
                        + (caps.requeue() ? " requeued=" + requeued.get() : "") + " [" + String.join(", ", parts) + "]");
                slots.close();
            }
            return null;
        });
        if (tally.failure.get() != null) {
            throw new AssertionError(tally.failure.get());
        }
        assertEquals(0, tally.lost.get(), "lost wake-ups on " + woa.name());
        assertTrue(tally.handoffs.get() > 0, "no handoff was done");
    }

    private static boolean awaitAnyWorks(Capabilities caps, Scope scope) {
        return caps.awaitAny() != Support.NONE && (scope == Scope.PRIVATE || caps.awaitAny() == Support.NATIVE);
    }

    /**
     * One of {@code members} threads that take turns on {@code w}: member {@code me} acts when the
     * sequence is {@code me} modulo {@code members}, then publishes the next. Only the member whose
     * turn it is writes, so the next value is always {@code seq + 1}. At its first turn after the
     * stop, each member passes the turn on and leaves; so every member leaves.
     */
    private static Thread turnTaker(Word w, int members, int me, boolean all, Stop stop) {
        Tally tally = stop.tally;
        return tally.thread(w + "-" + me, () -> {
            long seq = 0;
            for (;;) {
                while (Math.floorMod(seq, members) != me) {
                    w.awaitChange(seq, tally);
                    long advanced = w.advance(seq);
                    if (advanced < 1 || advanced >= members) {
                        throw new AssertionError(w + ": moved " + advanced + " turns past " + seq + " while member "
                                + me + " of " + members + " waited");
                    }
                    seq += advanced;
                }
                boolean last = stop.now();
                w.publish(++seq, all);
                tally.handoffs.incrementAndGet();
                if (last) {
                    return;
                }
            }
        });
    }

    /** A server in {@code awaitAny} over one word per client, and the clients waiting for acknowledgements. */
    private static List<Thread> mailbox(WaitOnAddress woa, Slots slots, Scope scope, List<Width> widths, int clients,
            Stop stop) {
        Tally tally = stop.tally;
        Word[] inbox = new Word[clients];
        Word[] ack = new Word[clients];
        AtomicBoolean[] leaving = new AtomicBoolean[clients];
        for (int c = 0; c < clients; c++) {
            inbox[c] = new Word(woa, slots.next(scope), widths.get(c % widths.size()), scope, "inbox-" + c);
            ack[c] = new Word(woa, slots.next(scope), widths.get((c + 1) % widths.size()), scope, "ack-" + c);
            leaving[c] = new AtomicBoolean();
        }
        List<Thread> threads = new ArrayList<>();
        threads.add(tally.thread("mailbox-server/" + scope, () -> {
            long[] seen = new long[clients];
            boolean[] gone = new boolean[clients];
            int left = clients;
            List<WaitTarget> targets = new ArrayList<>();
            List<Integer> owners = new ArrayList<>();
            while (left > 0) {
                targets.clear();
                owners.clear();
                for (int c = 0; c < clients; c++) {
                    if (!gone[c]) {
                        targets.add(new WaitTarget(inbox[c].p, inbox[c].width, inbox[c].truncate(seen[c]), scope));
                        owners.add(c);
                    }
                }
                int r = woa.awaitAny(targets, Word.DETECT_NANOS, TimeUnit.NANOSECONDS);
                if (r == WaitOnAddress.AWAIT_ANY_TIMED_OUT) {
                    long now = System.nanoTime();
                    boolean missed = false;
                    for (int c : owners) {
                        missed |= inbox[c].missed(seen[c], now);
                    }
                    tally.lostIf(missed, "mailbox server " + scope);
                } else {
                    assertTrue(r >= 0 && r < targets.size(), "awaitAny returned " + r);
                }
                for (int c : owners) {
                    if (inbox[c].read() != inbox[c].truncate(seen[c])) {
                        boolean bye = leaving[c].get();
                        ack[c].publish(++seen[c], false);
                        if (bye) {
                            gone[c] = true;
                            left--;
                        }
                    }
                }
            }
        }));
        for (int c = 0; c < clients; c++) {
            int me = c;
            threads.add(tally.thread("mailbox-client-" + c + "/" + scope, () -> {
                long seq = 0;
                for (;;) {
                    boolean last = stop.now();
                    leaving[me].set(last);
                    inbox[me].publish(seq + 1, false);
                    ack[me].awaitChange(seq, tally);
                    seq++;
                    tally.handoffs.incrementAndGet();
                    if (last) {
                        return;
                    }
                }
            }));
        }
        return threads;
    }

    /**
     * A releaser and {@code waiters} threads, round after round: the waiters sleep on the gate
     * word; the releaser bumps it, {@code requeue}s them (one woken, the rest moved to a second
     * word) and wakes the second word. Every waiter must leave every round.
     */
    private static List<Thread> gate(WaitOnAddress woa, Slots slots, Scope scope, int waiters, Stop stop,
            AtomicLong requeued) {
        Tally tally = stop.tally;
        Word gate = new Word(woa, slots.next(scope), Width.INT32, scope, "gate");
        Pointer parking = slots.next(scope);
        Phaser barrier = new Phaser(waiters + 1);
        // the round after which everyone stops; a waiter still leaving round r must not see a stop
        // that the releaser decided in round r + 1, or it would leave and the releaser wait for ever
        AtomicLong lastRound = new AtomicLong(Long.MAX_VALUE);
        List<Thread> threads = new ArrayList<>();
        threads.add(tally.thread("gate-releaser/" + scope, () -> {
            for (long round = 0;; round++) {
                Thread.yield(); // let the waiters reach the kernel (or not: both orders are valid)
                gate.write(gate.truncate(round + 1));
                int n = woa.requeue(gate.p, parking, scope, (int) (round + 1), 1, WaitOnAddress.ALL);
                assertNotEquals(WaitOnAddress.REQUEUE_MISMATCH, n, "only the releaser writes the gate");
                if (n > 0) {
                    requeued.addAndGet(n);
                }
                woa.wakeAll(parking, Width.INT32, scope);
                gate.wakeDone(round + 1);
                if (stop.now()) {
                    lastRound.set(round);
                }
                barrier.arriveAndAwaitAdvance();
                if (lastRound.get() == round) {
                    return;
                }
            }
        }));
        for (int i = 0; i < waiters; i++) {
            threads.add(tally.thread("gate-waiter-" + i + "/" + scope, () -> {
                for (long round = 0;; round++) {
                    gate.awaitChange(round, tally);
                    tally.handoffs.incrementAndGet();
                    barrier.arriveAndAwaitAdvance();
                    if (lastRound.get() == round) {
                        return;
                    }
                }
            }));
        }
        return threads;
    }
}
