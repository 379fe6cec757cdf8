package dev.waitonaddress.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.EveryRun;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The raw-pointer contract: {@code wake} never touches the memory, so a waiter may free its word
 * ({@code Memory.close()}) or unmap it ({@code munmap}) the instant it wakes while its waker is
 * still calling {@code wake} on that address. In a loop, for every (width, scope) the backend
 * accepts, churning pairs do exactly that (the allocator hands the freed addresses straight to the
 * next round, so stale wakes also land on new waiters: spurious wake-ups, which are allowed), next
 * to a bystander pair handing off on a word of its own. Nothing may crash or throw, and no
 * wake-up may be lost, for the churners or for the bystanders. Every backend of the run.
 */
@EveryRun
class ReliabilityRawPointerTest {
    /** @return the backends to test: those of the run */
    private static List<WaitOnAddress> backends() {
        return ReliabilityBackends.ofThisRun();
    }

    @TestFactory
    public Stream<DynamicTest> wakeAfterFreeIsHarmless() {
        List<WaitOnAddress> backends = backends();
        Strict.require(!backends.isEmpty(), "no backend of this kind is available here");
        return backends.stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> churn(b)));
    }

    private enum Release { FREE, UNMAP }

    private void churn(WaitOnAddress woa) throws Exception {
        List<Combos.Combo> combos = Combos.of(woa);
        double seconds = ReliabilityBackends.stressSeconds(3) / 2;
        Tally tally = new Tally();
        AtomicLong rounds = new AtomicLong();
        AtomicLong staleWakes = new AtomicLong();
        AtomicLong staleWoke = new AtomicLong();
        for (Combos.Combo c : combos) {
            for (Release release : Release.values()) {
                if (release == Release.UNMAP && !Mmap.AVAILABLE || release == Release.FREE && c.scope == Scope.SHARED) {
                    continue; // SHARED scope needs MAP_SHARED memory: unmapped, not freed
                }
                long end = System.nanoTime() + (long) (seconds * 1e9 / combos.size());
                Memory bystanderMemory = new Memory(8);
                bystanderMemory.clear();
                Word bystander = new Word(woa, c.scope == Scope.SHARED && Mmap.AVAILABLE ? Mmap.map(true)
                        : bystanderMemory, c.width, c.scope, "bystander");
                AtomicBoolean over = new AtomicBoolean();
                Watchdog.run(Duration.ofSeconds(90), "raw pointers " + woa.name() + " " + c + " " + release, () -> {
                    List<Thread> threads = new ArrayList<>();
                    for (int pair = 0; pair < 2; pair++) {
                        SynchronousQueue<Word> handoff = new SynchronousQueue<>();
                        SynchronousQueue<Boolean> released = new SynchronousQueue<>();
                        threads.add(tally.thread("churn-waiter-" + pair, () -> {
                            while (System.nanoTime() - end < 0 && tally.failure.get() == null) {
                                Memory m = null;
                                Pointer p;
                                if (release == Release.FREE) {
                                    m = new Memory(c.width.bytes());
                                    m.clear();
                                    p = m;
                                } else {
                                    p = Mmap.map(c.scope == Scope.SHARED);
                                }
                                Word w = new Word(woa, p, c.width, c.scope, "churn");
                                handOver(handoff, w, tally);
                                w.awaitChange(0, tally);
                                if (m != null) {
                                    m.close(); // freed the instant it woke; the waker may still be calling wake
                                } else {
                                    Mmap.unmap(p);
                                }
                                handOver(released, Boolean.TRUE, tally);
                                rounds.incrementAndGet();
                            }
                            handOver(handoff, new Word(woa, null, c.width, c.scope, "end"), tally);
                        }));
                        boolean all = pair == 0;
                        threads.add(tally.thread("churn-waker-" + pair, () -> {
                            for (;;) {
                                Word w = handoff.take();
                                if (w.p == null) {
                                    return;
                                }
                                Pointer raw = new Pointer(Pointer.nativeValue(w.p)); // the address, not the owner
                                Thread.yield();
                                // store through the owner (alive until the waiter sees the store), then wake
                                // through the raw address only: the waiter may free its Memory (whose
                                // peer becomes 0) the instant the store is visible
                                w.write(1);
                                if (all) {
                                    woa.wakeAll(raw, c.width, c.scope);
                                } else {
                                    woa.wakeOne(raw, c.width, c.scope);
                                }
                                w.wakeDone(1);
                                while (released.poll() == null) { // racing the waiter's free or unmap
                                    count(woa.wakeOne(raw, c.width, c.scope), staleWakes, staleWoke);
                                    Thread.yield();
                                }
                                for (int i = 0; i < 3; i++) { // surely after the free or unmap
                                    count(woa.wakeAll(raw, c.width, c.scope), staleWakes, staleWoke);
                                }
                            }
                        }));
                    }
                    for (int side = 0; side < 2; side++) {
                        int me = side;
                        threads.add(tally.thread("bystander-" + side, () -> {
                            long seq = 0;
                            for (;;) {
                                while (seq % 2 != me) {
                                    bystander.awaitChange(seq, tally);
                                    seq++;
                                }
                                boolean last = over.get();
                                bystander.publish(++seq, false);
                                tally.handoffs.incrementAndGet();
                                if (last) {
                                    return;
                                }
                            }
                        }));
                    }
                    for (Thread t : threads) {
                        t.start();
                    }
                    for (Thread t : threads.subList(0, 4)) {
                        t.join();
                    }
                    over.set(true);
                    for (Thread t : threads) {
                        t.join();
                    }
                    return null;
                });
                if (tally.failure.get() != null) {
                    throw new AssertionError(c + " " + release, tally.failure.get());
                }
                if (bystander.p != bystanderMemory) {
                    Mmap.unmap(bystander.p);
                }
                bystanderMemory.close();
            }
        }
        ReliabilityBackends.report("raw pointers " + woa.name() + ": freed-or-unmapped-on-wake rounds=" + rounds.get()
                + " wakes-racing-or-after-release=" + staleWakes.get() + " (of which woke a new owner's waiter: "
                + staleWoke.get() + ") bystander-handoffs=" + tally.handoffs.get() + " lost-wake-ups="
                + tally.lost.get());
        assertEquals(0, tally.lost.get(), "lost wake-ups");
        assertTrue(rounds.get() > 0);
    }

    /** Hands {@code item} to the partner, unless the partner died: then its failure ends this thread too. */
    private static <T> void handOver(SynchronousQueue<T> queue, T item, Tally tally) throws InterruptedException {
        while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
            if (tally.failure.get() != null) {
                throw new IllegalStateException("partner thread failed", tally.failure.get());
            }
        }
    }

    private static void count(int woken, AtomicLong wakes, AtomicLong woke) {
        assertTrue(woken >= 0 || woken == WaitOnAddress.COUNT_UNKNOWN, "wake returned " + woken);
        wakes.incrementAndGet();
        if (woken > 0) {
            woke.incrementAndGet();
        }
    }
}
