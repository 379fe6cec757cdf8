package dev.waitonaddress.atomic;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.AtomicWait;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.NativeAtomicInteger;
import dev.waitonaddress.NativeAtomicLong;
import dev.waitonaddress.Scope;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.Rounds;
import dev.waitonaddress.testing.Watchdog;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The C++20 atomic::wait layer with real threads and real kernel waits: no lost wake-up, 64-bit
 * values whose low half never changes, time-outs never early, interrupts, refusals.
 */
class AtomicWaitTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final int ROUNDS = 20_000;
    /** A ping-pong stops after ROUNDS round trips or this long, whichever is first ({@link Rounds}). */
    private static final Duration BUDGET = Duration.ofSeconds(20);
    /** The value that tells the pong side to stop (all bits set, odd: never a round's value). */
    private static final long STOP = -1L;

    /** A thread whose body may throw; its failure is rethrown by {@link #join}. */
    private static final class Worker extends Thread {
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        interface Body {
            void run() throws Exception;
        }

        Worker(String name, Body body) {
            super(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    throw new RuntimeException(t);
                }
            }, name);
            setDaemon(true);
            setUncaughtExceptionHandler((t, e) -> failure.set(e));
        }

        Worker begin() {
            start();
            return this;
        }

        void finish() throws Exception {
            join();
            if (failure.get() != null) {
                throw new AssertionError(getName() + " failed", failure.get());
            }
        }
    }

    // ---------------------------------------------------------------------------- ping-pong

    /** Waits while a ping-pong's word holds {@code current}. */
    private interface Await {
        void await(long current) throws InterruptedException;
    }

    @Test
    void pingPongThroughPointers32() throws Exception {
        Memory m = new Memory(64);
        m.setInt(0, 0);
        pingPong("AtomicWait ping-pong, INT32 PRIVATE Pointer", 0, () -> m.getInt(0), v -> {
            m.setInt(0, (int) v);
            VarHandle.fullFence(); // a plain JNA store: fence before the wake (the documented rule)
            AtomicWait.wakeOne(m);
        }, v -> AtomicWait.await32(m, (int) v));
    }

    @Test
    void pingPongNativeAtomicInteger() throws Exception {
        pingPong32(NativeAtomicInteger.allocate(), "default spin");
    }

    @Test
    void pingPongNativeAtomicIntegerWithoutSpinning() throws Exception {
        pingPong32(NativeAtomicInteger.allocate().withSpins(0), "no spin");
    }

    private static void pingPong32(NativeAtomicInteger word, String what) throws Exception {
        pingPong("NativeAtomicInteger (INT32 PRIVATE) ping-pong, " + what, 0, word::get, v -> {
            word.set((int) v);
            word.wakeOne();
        }, v -> word.await((int) v));
    }

    /** The low 32 bits never change: a wait that compared them only would never end. */
    @Test
    void pingPongNativeAtomicLongChangingOnlyTheHighHalf() throws Exception {
        pingPong64(NativeAtomicLong.allocate(), "default spin");
        pingPong64(NativeAtomicLong.allocate().withSpins(0), "no spin");
    }

    private static void pingPong64(NativeAtomicLong word, String what) throws Exception {
        pingPong("NativeAtomicLong (INT64 PRIVATE) ping-pong (high half only), " + what, 32, word::get, v -> {
            word.set(v);
            word.wakeOne();
        }, word::await);
    }

    /**
     * Ping (this thread) stores the odd round values, pong (a worker) the even ones, each waiting for
     * the other's; a round's value is shifted left by {@code shift} bits. Stops after ROUNDS round
     * trips or BUDGET ({@link Rounds}), then stores STOP for pong.
     *
     * @param get reads the word (a 32-bit one sign-extended, so that STOP reads as STOP)
     * @param publish stores a value and wakes one waiter
     */
    private static void pingPong(String what, int shift, LongSupplier get, LongConsumer publish, Await await)
            throws Exception {
        Watchdog.run(LIMIT, AtomicWait.backend().name() + " " + what, () -> {
            Worker other = new Worker("pong", () -> {
                for (long i = 0;; i++) {
                    if (awaitValue(get, await, (2 * i + 1) << shift) == STOP) {
                        return;
                    }
                    publish.accept((2 * i + 2) << shift);
                }
            }).begin();
            Rounds rounds = new Rounds(ROUNDS, BUDGET);
            for (long i = 0; rounds.next(); i++) {
                publish.accept((2 * i + 1) << shift);
                awaitValue(get, await, (2 * i + 2) << shift);
            }
            publish.accept(STOP);
            other.finish();
            assertTrue(rounds.started() > 0, "no round trip in " + BUDGET);
            return null;
        });
    }

    /** @return {@code want}, or {@link #STOP} once the other side has stopped the ping-pong */
    private static long awaitValue(LongSupplier get, Await await, long want) throws InterruptedException {
        long v;
        while ((v = get.getAsLong()) != want && v != STOP) {
            await.await(v);
        }
        return v;
    }

    @Test
    void int64WaitThroughPointerWakesWhenOnlyTheHighHalfChanges() throws Exception {
        Memory m = new Memory(64);
        Pointer p = m.share(8); // 8-aligned: Memory is at least 8-aligned
        p.setLong(0, 0x1_0000_0000L);
        Watchdog.run(LIMIT, "64-bit wait, high half", () -> {
            CountDownLatch started = new CountDownLatch(1);
            Worker waiter = new Worker("waiter", () -> {
                started.countDown();
                AtomicWait.await64(p, 0x1_0000_0000L);
                assertEquals(0x2_0000_0000L, p.getLong(0));
            }).begin();
            started.await();
            awaitSleeping(waiter);
            p.setLong(0, 0x2_0000_0000L);
            VarHandle.fullFence();
            AtomicWait.wakeAll(p); // the width-less wake reaches 64-bit waiters too
            waiter.finish();
            return null;
        });
    }

    /** Several 64-bit words whose waiters share proxy words: waking one must never strand another. */
    @Test
    void manyInt64WordsInTheSameBucketsDoNotLoseWakeUps() throws Exception {
        ByteBuffer memory = ByteBuffer.allocateDirect(64 * 1024).alignedSlice(64);
        List<NativeAtomicLong> words = sameBucketWords(memory, 4);
        Watchdog.run(LIMIT, AtomicWait.backend().name() + " INT64 PRIVATE ping-pong on colliding words", () -> {
            List<Worker> workers = new ArrayList<>();
            for (NativeAtomicLong w : words) {
                workers.add(new Worker("pong", () -> {
                    for (long i = 0; i < ROUNDS / 4; i++) {
                        long v;
                        while ((v = w.get()) != (2 * i + 1) << 32) {
                            w.await(v);
                        }
                        w.set((2 * i + 2) << 32);
                        w.wakeOne();
                    }
                }).begin());
                workers.add(new Worker("ping", () -> {
                    for (long i = 0; i < ROUNDS / 4; i++) {
                        w.set((2 * i + 1) << 32);
                        w.wakeOne();
                        long v;
                        while ((v = w.get()) != (2 * i + 2) << 32) {
                            w.await(v);
                        }
                    }
                }).begin());
            }
            for (Worker w : workers) {
                w.finish();
            }
            return null;
        });
    }

    /**
     * {@code n} 8-aligned words of {@code memory} that fall in one bucket of the waiter table,
     * by the table's hash (if the hash changes, the words merely collide less).
     */
    private static List<NativeAtomicLong> sameBucketWords(ByteBuffer memory, int n) {
        long base = Pointer.nativeValue(NativeAtomicLong.wrap(memory, 0).pointer());
        List<NativeAtomicLong> found = new ArrayList<>();
        long bucket = (base * 0x9E3779B97F4A7C15L) >>> 56;
        for (int off = 0; off + 8 <= memory.capacity() && found.size() < n; off += 8) {
            if (((base + off) * 0x9E3779B97F4A7C15L) >>> 56 == bucket) {
                found.add(NativeAtomicLong.wrap(memory, off));
            }
        }
        assertEquals(n, found.size());
        return found;
    }

    @Test
    void wakesThroughRawAddressesReachWaitersOfBothWidths() throws Exception {
        Memory m = new Memory(64);
        Pointer p32 = m.share(0);
        Pointer p64 = m.share(8);
        p32.setInt(0, 0);
        p64.setLong(0, 1L << 32);
        Watchdog.run(LIMIT, "wakes by raw address", () -> {
            Worker w32 = new Worker("waiter32", () -> AtomicWait.await32(p32, 0)).begin();
            Worker w64 = new Worker("waiter64", () -> AtomicWait.await64(p64, 1L << 32)).begin();
            awaitSleeping(w32);
            awaitSleeping(w64);
            p32.setInt(0, 1);
            p64.setLong(0, 2L << 32);
            VarHandle.fullFence(); // plain JNA stores
            AtomicWait.wakeOne(Pointer.nativeValue(p32));
            AtomicWait.wakeAll(Pointer.nativeValue(p64), Scope.PRIVATE);
            w32.finish();
            w64.finish();
            return null;
        });
    }

    @Test
    void wakeAllWakesEveryWaiter() throws Exception {
        NativeAtomicInteger i32 = NativeAtomicInteger.allocate();
        NativeAtomicLong i64 = NativeAtomicLong.allocate(7L << 32);
        Watchdog.run(LIMIT, "wakeAll", () -> {
            List<Worker> waiters = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                waiters.add(new Worker("waiter32-" + k, () -> i32.await(0)).begin());
                waiters.add(new Worker("waiter64-" + k, () -> i64.await(7L << 32)).begin());
            }
            for (Worker w : waiters) {
                awaitSleeping(w);
            }
            i32.set(1);
            i32.wakeAll();
            i64.set(8L << 32);
            i64.wakeAll();
            for (Worker w : waiters) {
                w.finish();
            }
            return null;
        });
    }

    // ---------------------------------------------------------------------------- time-outs

    @Test
    void timedAwaitNeverReturnsEarly() throws Exception {
        NativeAtomicInteger i32 = NativeAtomicInteger.allocate();
        NativeAtomicLong i64 = NativeAtomicLong.allocate(1L << 32);
        Memory m = new Memory(8);
        m.setLong(0, 0);
        AtomicBoolean stop = new AtomicBoolean();
        // spurious wake-ups all along: the value never changes, so every wake is spurious
        Worker spurious = new Worker("spurious waker", () -> {
            while (!stop.get()) {
                i32.wakeAll();
                i64.wakeAll();
                AtomicWait.wakeAll(m);
                Thread.sleep(1);
            }
        }).begin();
        try {
            for (long millis : new long[] {1, 20, 60}) {
                assertNotEarly("NativeAtomicInteger INT32 PRIVATE", millis, () -> i32.await(0, millis, TimeUnit.MILLISECONDS));
                assertNotEarly("NativeAtomicLong INT64 PRIVATE", millis, () -> i64.await(1L << 32, millis, TimeUnit.MILLISECONDS));
                assertNotEarly("AtomicWait INT32 PRIVATE", millis, () -> AtomicWait.await32(m, 0, millis, TimeUnit.MILLISECONDS));
                assertNotEarly("AtomicWait INT64 PRIVATE, no spin", millis,
                        () -> AtomicWait.await64(m, 0L, Scope.PRIVATE, 0, millis, TimeUnit.MILLISECONDS));
            }
            // a time-out in another unit
            assertNotEarly("NativeAtomicInteger INT32 PRIVATE (us)", 30, () -> i32.await(0, 30_000, TimeUnit.MICROSECONDS));
        } finally {
            stop.set(true);
            spurious.finish();
        }
    }

    private interface TimedWait {
        boolean await() throws InterruptedException;
    }

    private static void assertNotEarly(String what, long millis, TimedWait wait) throws InterruptedException {
        what = AtomicWait.backend().name() + " " + what;
        long start = System.nanoTime();
        boolean changed = wait.await();
        long elapsed = System.nanoTime() - start;
        assertFalse(changed, what + ": the value never changed, yet await returned true");
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(millis),
                what + ": await of " + millis + " ms timed out after " + elapsed + " ns: early");
        assertTrue(elapsed < TimeUnit.MILLISECONDS.toNanos(millis) + TimeUnit.SECONDS.toNanos(20),
                what + ": await of " + millis + " ms took " + elapsed + " ns (bound: 20 s late)");
    }

    @Test
    void timedAwaitReturnsTrueOnceTheValueChanges() throws Exception {
        NativeAtomicLong word = NativeAtomicLong.allocate(5L << 32);
        Watchdog.run(LIMIT, "timed await, woken", () -> {
            Worker waiter = new Worker("waiter", () -> assertTrue(word.await(5L << 32, 30, TimeUnit.SECONDS))).begin();
            awaitSleeping(waiter);
            word.set(6L << 32);
            word.wakeOne();
            waiter.finish();
            return null;
        });
    }

    @Test
    void zeroOrNegativeTimeOutPolls() throws Exception {
        NativeAtomicInteger word = NativeAtomicInteger.allocate(3);
        assertFalse(word.await(3, 0, TimeUnit.SECONDS));
        assertFalse(word.await(3, -5, TimeUnit.SECONDS));
        assertTrue(word.await(4, 0, TimeUnit.SECONDS));
        Memory m = new Memory(8);
        m.setLong(0, 9);
        assertFalse(AtomicWait.await64(m, 9L, 0, TimeUnit.NANOSECONDS));
        assertTrue(AtomicWait.await64(m, 8L, 0, TimeUnit.NANOSECONDS));
        assertFalse(AtomicWait.await32(m, 9, Scope.PRIVATE, -1, TimeUnit.DAYS));
    }

    @Test
    void awaitReturnsAtOnceWhenTheValueDiffers() throws Exception {
        Watchdog.run(LIMIT, "await of a changed value", () -> {
            NativeAtomicInteger.allocate(1).await(0);
            NativeAtomicLong.allocate(1L << 32).await(0);
            Memory m = new Memory(8);
            m.setLong(0, 1L << 40);
            AtomicWait.await64(m, 0L);
            AtomicWait.await32(m, 5);
            return null;
        });
    }

    // ---------------------------------------------------------------------------- interrupts

    @Test
    void interruptOnEntryThrowsAndClearsTheStatus() {
        NativeAtomicInteger word = NativeAtomicInteger.allocate(1);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> word.await(0)); // even though the value differs
        assertFalse(Thread.currentThread().isInterrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> NativeAtomicLong.allocate().await(0, 1, TimeUnit.SECONDS));
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void interruptEndsASleepingWaitPromptly() throws Exception {
        NativeAtomicInteger i32 = NativeAtomicInteger.allocate();
        NativeAtomicLong i64 = NativeAtomicLong.allocate();
        Watchdog.run(LIMIT, "interrupt a sleeping await", () -> {
            for (Worker.Body wait : List.<Worker.Body>of(() -> i32.await(0), () -> i64.await(0L),
                    () -> i32.await(0, 1, TimeUnit.HOURS))) {
                AtomicBoolean interrupted = new AtomicBoolean();
                Worker waiter = new Worker("waiter", () -> {
                    try {
                        wait.run();
                        fail("await returned without a change");
                    } catch (InterruptedException e) {
                        interrupted.set(!Thread.currentThread().isInterrupted());
                    }
                }).begin();
                awaitSleeping(waiter);
                waiter.interrupt();
                waiter.finish();
                assertTrue(interrupted.get(), "InterruptedException with the status cleared");
            }
            // the counts went back down: a wake of each word still works for a new waiter
            Worker again = new Worker("again", () -> i32.await(0)).begin();
            awaitSleeping(again);
            i32.set(1);
            i32.wakeOne();
            again.finish();
            return null;
        });
    }

    // ---------------------------------------------------------------------------- scopes

    @Test
    void sharedScope64BitIsRefusedUnlessTheBackendWaitsOn64BitsAcrossProcesses() throws Exception {
        Capabilities caps = AtomicWait.backend().capabilities();
        NativeAtomicLong shared = NativeAtomicLong.wrap(ByteBuffer.allocateDirect(128).alignedSlice(64), 0,
                Scope.SHARED);
        shared.set(1L << 32); // the atomics work in any scope
        assertEquals(1L << 32, shared.getAndAdd(1));
        if (caps.supports(Width.INT64, Scope.SHARED)) {
            assertFalse(shared.await(shared.get(), 10, TimeUnit.MILLISECONDS)); // unchanged: times out
            shared.wakeAll();
            return;
        }
        String name = AtomicWait.backend().name();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> shared.await(0));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("INT64"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, shared::wakeOne);
        assertThrows(UnsupportedOperationException.class, shared::wakeAll);
        assertThrows(UnsupportedOperationException.class,
                () -> AtomicWait.await64(shared.pointer(), 5L, Scope.SHARED, 1, TimeUnit.SECONDS));
        // the width-less SHARED wake only reaches widths that can wait across processes: no refusal
        if (caps.supports(Width.INT32, Scope.SHARED)) {
            AtomicWait.wakeOne(shared.pointer(), Scope.SHARED);
        }
    }

    @Test
    void sharedScope32BitWorksInProcess() throws Exception {
        Capabilities caps = AtomicWait.backend().capabilities();
        org.junit.jupiter.api.Assumptions.assumeTrue(caps.supports(Width.INT32, Scope.SHARED),
                "the backend cannot wait across processes");
        NativeAtomicInteger word = NativeAtomicInteger.wrap(ByteBuffer.allocateDirect(128).alignedSlice(64), 0,
                Scope.SHARED);
        Watchdog.run(LIMIT, "SHARED 32-bit in one process", () -> {
            Worker waiter = new Worker("waiter", () -> word.await(0)).begin();
            awaitSleeping(waiter);
            word.set(1);
            word.wakeOne();
            waiter.finish();
            return null;
        });
    }

    /**
     * Waits until {@code t} is in a backend's sleep: inside {@code waitNative}, the primitive every
     * backend implements (a thread in native code shows as RUNNABLE), or parked by the in-process
     * parking lot. Gives up quietly after 5 s: the test then merely races more.
     */
    static void awaitSleeping(Thread t) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end && t.isAlive()) {
            for (StackTraceElement e : t.getStackTrace()) {
                if (e.getMethodName().equals("waitNative") || e.getMethodName().equals("park")) {
                    Thread.sleep(5);
                    return;
                }
            }
            Thread.sleep(1);
        }
    }
}
