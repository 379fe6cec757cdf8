package dev.waitonaddress.suite;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitOnAddressException;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.WaitTarget;
import dev.waitonaddress.WakeOp;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link WaitOnAddress}, checked with real threads and real kernel calls. Every
 * backend gets a subclass naming it in its own package, {@code Conformance<Backend>[On<Where>]Test}
 * (on this OS, on its contract emulator, on its real OS); the assertions are the same for all, and
 * adapt only to what {@link Capabilities} declares.
 */
public abstract class ConformanceSuite {
    /** A page below {@code vm.mmap_min_addr}: never mapped. */
    protected static final long UNMAPPED = 0x1000;

    protected WaitOnAddress woa;
    protected Capabilities caps;
    private final List<Memory> memories = new ArrayList<>();

    /** @return the backend under test, bound to its OS or to its contract emulator */
    protected abstract WaitOnAddress backend();

    /** @return whether the OS (or emulator) compares native widths itself, so an unmapped address is an error, not a crash */
    protected boolean osComparesNativeWidths() {
        return true;
    }

    @BeforeEach
    void bind() {
        woa = backend();
        Strict.require(woa.isAvailable(),
                woa.name() + " is unavailable: " + woa.unavailabilityCause().map(Throwable::toString).orElse("?"));
        caps = woa.capabilities();
    }

    @AfterEach
    void free() {
        memories.forEach(Memory::close);
    }

    protected Memory word() {
        Memory m = new Memory(64);
        m.clear();
        memories.add(m);
        return m;
    }

    protected static void set(Pointer p, Width w, long v) {
        switch (w) {
            case INT8: p.setByte(0, (byte) v); break;
            case INT16: p.setShort(0, (short) v); break;
            case INT32: p.setInt(0, (int) v); break;
            default: p.setLong(0, v);
        }
    }

    /** One check of a (width, scope) pair. */
    @FunctionalInterface
    protected interface PerWidthAndScope {
        void check(Width width, Scope scope) throws Exception;
    }

    /** Runs {@code check} for every (width, scope) the backend accepts. */
    protected void forEachSupported(PerWidthAndScope check) throws Exception {
        for (Width w : Width.values()) {
            for (Scope s : Scope.values()) {
                if (caps.supports(w, s)) {
                    check.check(w, s);
                }
            }
        }
    }

    private Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    // ------------------------------------------------------------------ basic results

    @Test
    void mismatchReturnsAtOnceForEveryWidthAndScope() throws Exception {
        forEachSupported((w, s) -> {
            Memory m = word();
            set(m, w, 7);
            assertEquals(WaitResult.MISMATCH, woa.await(m, w, 8, s), w + " " + s + " untimed");
            assertEquals(WaitResult.MISMATCH, woa.await(m, w, 8, s, 10, TimeUnit.SECONDS), w + " " + s + " timed");
            assertEquals(WaitResult.MISMATCH, woa.awaitUntil(m, w, 8, s, System.nanoTime() + 10_000_000_000L));
            assertEquals(WaitResult.MISMATCH, woa.await(m, w, 8, s, 0, TimeUnit.SECONDS), w + " " + s + " poll");
        });
    }

    @Test
    void pollOfEqualValueTimesOutWithoutSleeping() throws Exception {
        forEachSupported((w, s) -> {
            Memory m = word();
            set(m, w, -1); // all bits set: equal to -1 and to the unsigned maximum of the width
            long start = System.nanoTime();
            assertEquals(WaitResult.TIMED_OUT, woa.await(m, w, -1, s, 0, TimeUnit.NANOSECONDS));
            assertEquals(WaitResult.TIMED_OUT, woa.await(m, w, w.maxValue() == Long.MAX_VALUE ? -1 : w.maxValue(), s,
                    -5, TimeUnit.SECONDS), w + " unsigned form");
            assertEquals(WaitResult.TIMED_OUT, woa.awaitUntil(m, w, -1, s, System.nanoTime() - 1_000_000));
            assertEquals(WaitResult.TIMED_OUT, woa.awaitUntil(m, w, -1, s, Long.MIN_VALUE + 1));
            assertEquals(WaitResult.MISMATCH, woa.await(m, w, 0, s, 0, TimeUnit.NANOSECONDS));
            assertTrue(System.nanoTime() - start < 2_000_000_000L, woa.name() + " " + w + " " + s
                    + ": five polls took over 2 s: polls must not sleep");
        });
    }

    @Test
    void onlyTheWidthsBytesAreCompared() throws Exception {
        forEachSupported((w, s) -> {
            if (w == Width.INT64) {
                return;
            }
            Memory m = word();
            m.setLong(0, 0x7f7f7f7f_7f7f7f7fL);
            set(m, w, 5); // the neighbouring bytes stay non-zero
            assertEquals(WaitResult.TIMED_OUT, woa.await(m, w, 5, s, 0, TimeUnit.SECONDS), w + " " + s);
        });
    }

    // ------------------------------------------------------------------ wake-ups

    @Test
    void waiterSleepsUntilWokenAcrossThreads() throws Exception {
        forEachSupported((w, s) -> {
            Watchdog.run(Duration.ofSeconds(30), "wake across threads " + w + " " + s, () -> {
                Memory m = word();
                set(m, w, 1);
                AtomicReference<Object> result = new AtomicReference<>();
                Thread waiter = start("waiter", () -> {
                    try {
                        result.set(woa.await(m, w, 1, s));
                    } catch (Throwable e) {
                        result.set(e);
                    }
                });
                Thread.sleep(50);
                assertTrue(waiter.isAlive(), "the waiter must sleep while the value is unchanged");
                assertNull(result.get());
                set(m, w, 2);
                while (waiter.isAlive()) {
                    woa.wakeAll(m, w, s);
                    waiter.join(10);
                }
                assertTrue(result.get() == WaitResult.WOKEN || result.get() == WaitResult.MISMATCH,
                        "result " + result.get());
                return null;
            });
        });
    }

    @Test
    void wakeReportsHowManyItWoke() throws Exception {
        if (!caps.wakeCountReported(Width.INT32)) {
            Memory m = word();
            assertEquals(WaitOnAddress.COUNT_UNKNOWN, woa.wakeOne(m, Width.INT32, Scope.PRIVATE));
            return;
        }
        Watchdog.run(Duration.ofSeconds(30), "wake counts", () -> {
            Memory m = word();
            assertEquals(0, woa.wakeAll(m, Width.INT32, Scope.PRIVATE), "nobody waits yet");
            AtomicInteger returned = new AtomicInteger();
            List<Thread> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiters.add(start("waiter-" + i, () -> {
                    try {
                        woa.await(m, Width.INT32, 0, Scope.PRIVATE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    returned.incrementAndGet();
                }));
            }
            Thread.sleep(300);
            assertEquals(0, returned.get(), "all three sleep on an unchanged word");
            assertEquals(2, woa.wake(m, Width.INT32, Scope.PRIVATE, 2));
            assertEquals(1, woa.wakeAll(m, Width.INT32, Scope.PRIVATE));
            assertEquals(0, woa.wakeAll(m, Width.INT32, Scope.PRIVATE));
            for (Thread t : waiters) {
                t.join();
            }
            assertEquals(3, returned.get());
            return null;
        });
    }

    @Test
    void aWakeOfOneWidthLeavesWaitersOfAnotherWidthAsleep() throws Exception {
        Width wide = Width.INT64;
        for (Width narrow : new Width[] {Width.INT8, Width.INT16, Width.INT32}) {
            if (!caps.supports(narrow, Scope.PRIVATE) || !caps.supports(wide, Scope.PRIVATE)
                    || caps.width(narrow) == Capabilities.Support.NATIVE && caps.width(wide) == Capabilities.Support.NATIVE) {
                continue; // where the OS serves both widths, it decides (Windows wakes by address alone)
            }
            Watchdog.run(Duration.ofSeconds(30), narrow + " wake beside an " + wide + " waiter", () -> {
                Memory m = word(); // the narrow word is the low part of the wide one: same address
                AtomicReference<WaitResult> wideResult = new AtomicReference<>();
                AtomicReference<WaitResult> narrowResult = new AtomicReference<>();
                Thread wideWaiter = start("wide", () -> {
                    try {
                        wideResult.set(woa.await(m, wide, 0, Scope.PRIVATE, 20, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                Thread narrowWaiter = start("narrow", () -> {
                    try {
                        narrowResult.set(woa.await(m, narrow, 0, Scope.PRIVATE, 20, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                Thread.sleep(200);
                int woken = 0;
                while (narrowWaiter.isAlive()) { // one wake each time, until the narrow waiter has gone to sleep and taken one
                    int n = woa.wake(m, narrow, Scope.PRIVATE, 1);
                    woken += Math.max(n, 0);
                    narrowWaiter.join(50);
                }
                assertEquals(WaitResult.WOKEN, narrowResult.get(), "the " + narrow + " waiter takes the " + narrow + " wake");
                if (caps.wakeCountReported(narrow)) {
                    assertEquals(1, woken, "the count names the " + narrow + " waiter only");
                }
                assertTrue(wideWaiter.isAlive(), "the " + wide + " waiter is not woken by " + narrow + " wakes: "
                        + wideResult.get());
                while (wideWaiter.isAlive()) {
                    woa.wakeAll(m, wide, Scope.PRIVATE);
                    wideWaiter.join(50);
                }
                assertEquals(WaitResult.WOKEN, wideResult.get());
                return null;
            });
        }
    }

    @Test
    void wakeAllWakesEveryWaiter() throws Exception {
        forEachSupported((w, s) -> {
            Watchdog.run(Duration.ofSeconds(30), "wakeAll of 16 " + w + " " + s, () -> {
                Memory m = word();
                CountDownLatch started = new CountDownLatch(16);
                CountDownLatch done = new CountDownLatch(16);
                for (int i = 0; i < 16; i++) {
                    start("waiter-" + i, () -> {
                        started.countDown();
                        try {
                            while (m.getByte(0) == 0) {
                                woa.await(m, w, 0, s);
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                        done.countDown();
                    });
                }
                started.await();
                Thread.sleep(50);
                set(m, w, 1);
                woa.wakeAll(m, w, s);
                assertTrue(done.await(10, TimeUnit.SECONDS), "one wakeAll must release all 16 waiters");
                return null;
            });
        });
    }

    @Test
    void wakeNeverTouchesTheMemory() throws Exception {
        forEachSupported((w, s) -> {
            Memory m = new Memory(8);
            Pointer p = new Pointer(Pointer.nativeValue(m));
            m.close(); // freed: the raw-pointer contract says wake is still fine
            int r = woa.wakeAll(p, w, s);
            assertTrue(r == 0 || r == WaitOnAddress.COUNT_UNKNOWN, "freed word: " + r);
            r = woa.wakeOne(new Pointer(UNMAPPED), w, s);
            assertTrue(r == 0 || r == WaitOnAddress.COUNT_UNKNOWN, "never mapped: " + r);
        });
    }

    @Test
    void awaitOnUnmappedNativeWordIsAnErrorNotACrash() {
        if (!osComparesNativeWidths()) {
            return; // the library compares in Java: a readable address is the caller's duty (documented)
        }
        for (Width w : caps.nativeWidths()) {
            WaitOnAddressException e = assertThrows(WaitOnAddressException.class,
                    () -> woa.await(new Pointer(UNMAPPED), w, 0, Scope.PRIVATE, 0, TimeUnit.SECONDS));
            assertEquals(woa.name(), e.backend());
        }
    }

    // ------------------------------------------------------------------ time-outs

    @Test
    void timeOutsAreNeverEarly() throws Exception {
        long[][] cases = {
            {1, TimeUnit.MILLISECONDS.ordinal()}, {2_500, TimeUnit.MICROSECONDS.ordinal()},
            {15_000_000, TimeUnit.NANOSECONDS.ordinal()}, {40, TimeUnit.MILLISECONDS.ordinal()},
        };
        forEachSupported((w, s) -> {
            Memory m = word();
            for (long[] c : cases) {
                TimeUnit unit = TimeUnit.values()[(int) c[1]];
                long nanos = unit.toNanos(c[0]);
                long start = System.nanoTime();
                assertEquals(WaitResult.TIMED_OUT, woa.await(m, w, 0, s, c[0], unit));
                long took = System.nanoTime() - start;
                assertTrue(took >= nanos, woa.name() + " " + w + " " + s + ": " + c[0] + " " + unit + " returned after " + took + " ns");
                assertTrue(took < nanos + 10_000_000_000L, woa.name() + " " + w + " " + s + ": " + c[0] + " " + unit
                        + " far too late (10 s bound for a loaded 2-core VM): " + took + " ns");

                long deadline = System.nanoTime() + nanos;
                assertEquals(WaitResult.TIMED_OUT, woa.awaitUntil(m, w, 0, s, deadline));
                assertTrue(System.nanoTime() - deadline >= 0, woa.name() + " " + w + " " + s + ": awaitUntil returned before its deadline");
            }
        });
    }

    @Test
    void hugeTimeOutsDoNotOverflowIntoPolls() throws Exception {
        Memory m = word();
        Watchdog.run(Duration.ofSeconds(20), "huge time-outs", () -> {
            for (long t : new long[] {Long.MAX_VALUE, Long.MAX_VALUE / 2, 1L << 62}) {
                for (TimeUnit unit : new TimeUnit[] {TimeUnit.NANOSECONDS, TimeUnit.DAYS}) {
                    AtomicReference<Object> result = new AtomicReference<>();
                    Thread waiter = start("huge", () -> {
                        try {
                            result.set(woa.await(m, Width.INT32, 0, Scope.PRIVATE, t, unit));
                        } catch (Throwable e) {
                            result.set(e);
                        }
                    });
                    Thread.sleep(30);
                    assertNull(result.get(), t + " " + unit + " must sleep, not poll");
                    waiter.interrupt();
                    waiter.join();
                    assertTrue(result.get() instanceof InterruptedException, String.valueOf(result.get()));
                }
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ interrupts

    @Test
    void interruptEndsABlockedAwaitPromptly() throws Exception {
        forEachSupported((w, s) -> {
            for (boolean timed : new boolean[] {false, true}) {
                Watchdog.run(Duration.ofSeconds(20), "interrupt " + w + " " + s, () -> {
                    Memory m = word();
                    AtomicReference<Object> result = new AtomicReference<>();
                    AtomicLong leftAt = new AtomicLong();
                    CountDownLatch ready = new CountDownLatch(1);
                    Thread waiter = start("interruptee", () -> {
                        ready.countDown();
                        try {
                            result.set(timed ? woa.await(m, w, 0, s, 1, TimeUnit.HOURS) : woa.await(m, w, 0, s));
                        } catch (Throwable e) {
                            leftAt.set(System.nanoTime());
                            result.set(Thread.currentThread().isInterrupted() ? new AssertionError("status not cleared") : e);
                        }
                    });
                    ready.await();
                    Thread.sleep(50);
                    long interruptedAt = System.nanoTime();
                    waiter.interrupt();
                    waiter.join();
                    assertTrue(result.get() instanceof InterruptedException, w + " " + s + ": " + result.get());
                    assertTrue(leftAt.get() - interruptedAt < 1_000_000_000L, woa.name() + " " + w + " " + s + (timed ? " timed" : "")
                            + ": the interrupted wait left " + (leftAt.get() - interruptedAt) / 1_000_000 + " ms after the interrupt (bound 1 s)");
                    return null;
                });
            }
        });
    }

    @Test
    void awaitEnteredInterruptedThrowsAtOnceAndClearsTheStatus() throws Exception {
        forEachSupported((w, s) -> {
            Memory m = word();
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> woa.await(m, w, 0, s));
            assertFalse(Thread.interrupted(), "status cleared");
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> woa.await(m, w, 1, s, 1, TimeUnit.SECONDS));
            assertFalse(Thread.interrupted());
        });
    }

    @Test
    void interruptorsAreReusableAfterAnInterrupt() throws Exception {
        // after an interrupt closes a thread's interruptor, the next wait of that thread must block and wake normally
        Watchdog.run(Duration.ofSeconds(20), "interrupt then wait again", () -> {
            Memory m = word();
            AtomicReference<Object> second = new AtomicReference<>();
            CountDownLatch interrupted = new CountDownLatch(1);
            Thread waiter = start("twice", () -> {
                try {
                    woa.await(m, Width.INT32, 0, Scope.PRIVATE);
                } catch (InterruptedException expected) {
                    interrupted.countDown();
                }
                try {
                    second.set(woa.await(m, Width.INT32, 0, Scope.PRIVATE, 5, TimeUnit.SECONDS));
                } catch (Throwable e) {
                    second.set(e);
                }
            });
            Thread.sleep(30);
            waiter.interrupt();
            interrupted.await();
            Thread.sleep(30);
            m.setInt(0, 1);
            while (waiter.isAlive()) {
                woa.wakeAll(m, Width.INT32, Scope.PRIVATE);
                waiter.join(10);
            }
            assertTrue(second.get() == WaitResult.WOKEN || second.get() == WaitResult.MISMATCH, "" + second.get());
            return null;
        });
    }

    // ------------------------------------------------------------------ awaitAny

    @Test
    void awaitAnyReturnsTheChangedOrWokenIndex() throws Exception {
        if (caps.awaitAny() == Capabilities.Support.NONE) {
            assertThrows(UnsupportedOperationException.class,
                    () -> woa.awaitAny(List.of(WaitTarget.ofInt(word(), 0, Scope.PRIVATE))));
            return;
        }
        Watchdog.run(Duration.ofSeconds(30), "awaitAny", () -> {
            List<WaitTarget> targets = new ArrayList<>();
            List<Memory> words = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Memory m = word();
                words.add(m);
                targets.add(WaitTarget.ofInt(m, 0, Scope.PRIVATE));
            }
            words.get(5).setInt(0, 9);
            assertEquals(5, woa.awaitAny(targets), "found changed");
            words.get(5).setInt(0, 0);
            assertEquals(WaitOnAddress.AWAIT_ANY_TIMED_OUT, woa.awaitAny(targets, 0, TimeUnit.SECONDS));
            long start = System.nanoTime();
            assertEquals(WaitOnAddress.AWAIT_ANY_TIMED_OUT, woa.awaitAny(targets, 20, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - start >= 20_000_000L, woa.name() + " awaitAny INT32 PRIVATE: 20 ms time-out returned early");
            AtomicReference<Object> result = new AtomicReference<>();
            Thread waiter = start("any", () -> {
                try {
                    result.set(woa.awaitAny(targets));
                } catch (Throwable e) {
                    result.set(e);
                }
            });
            Thread.sleep(50);
            assertNull(result.get(), "sleeps while all eight are unchanged");
            words.get(3).setInt(0, 1);
            while (waiter.isAlive()) {
                woa.wakeAll(words.get(3), Width.INT32, Scope.PRIVATE);
                waiter.join(10);
            }
            assertEquals(3, result.get());
            return null;
        });
    }

    @Test
    void awaitAnyIsInterruptible() throws Exception {
        if (caps.awaitAny() == Capabilities.Support.NONE) {
            return;
        }
        Watchdog.run(Duration.ofSeconds(20), "awaitAny interrupt", () -> {
            List<WaitTarget> targets = List.of(WaitTarget.ofInt(word(), 0, Scope.PRIVATE),
                    WaitTarget.ofInt(word(), 0, Scope.PRIVATE));
            AtomicReference<Object> result = new AtomicReference<>();
            Thread waiter = start("any", () -> {
                try {
                    result.set(woa.awaitAny(targets));
                } catch (Throwable e) {
                    result.set(e);
                }
            });
            Thread.sleep(50);
            waiter.interrupt();
            waiter.join();
            assertTrue(result.get() instanceof InterruptedException, "" + result.get());
            return null;
        });
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badInputGetsClearExceptions() {
        Memory m = word();
        Pointer odd = m.share(1);
        assertThrows(NullPointerException.class, () -> woa.await(null, Width.INT32, 0, Scope.PRIVATE));
        assertThrows(NullPointerException.class, () -> woa.await(m, null, 0, Scope.PRIVATE));
        assertThrows(NullPointerException.class, () -> woa.await(m, Width.INT32, 0, null));
        assertThrows(NullPointerException.class, () -> woa.await(m, Width.INT32, 0, Scope.PRIVATE, 1, null));
        assertThrows(NullPointerException.class, () -> woa.wake(null, Width.INT32, Scope.PRIVATE, 1));
        assertThrows(NullPointerException.class, () -> woa.wake(m, Width.INT32, null, 1));
        assertThrows(NullPointerException.class, () -> woa.awaitAny(null));
        assertThrows(NullPointerException.class, () -> woa.awaitAny(Collections.singletonList(null)));
        assertThrows(NullPointerException.class, () -> woa.requeue(null, m, Scope.PRIVATE, 0, 1, 1));
        assertThrows(NullPointerException.class, () -> woa.wakeOp(m, m, Scope.PRIVATE, 1, 1, null));

        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> woa.await(Pointer.NULL == null ? new Pointer(0) : Pointer.NULL, Width.INT32, 0, Scope.PRIVATE));
        assertTrue(zero.getMessage().contains("0"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> woa.wake(new Pointer(0), Width.INT32, Scope.PRIVATE, 1));
        for (Width w : new Width[] {Width.INT16, Width.INT32, Width.INT64}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> woa.await(odd, w, 0, Scope.PRIVATE, 0, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("aligned"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> woa.wake(odd, w, Scope.PRIVATE, 1));
        }
        long[][] outOfRange = {{0, 256}, {0, -129}, {1, 65536}, {1, -32769}, {2, 1L << 32}, {2, Integer.MIN_VALUE - 1L}};
        for (long[] c : outOfRange) {
            Width w = Width.values()[(int) c[0]];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> woa.await(m, w, c[1], Scope.PRIVATE, 0, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains(Long.toString(c[1])), e.getMessage());
        }
        for (int count : new int[] {0, -1, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> woa.wake(m, Width.INT32, Scope.PRIVATE, count));
            assertTrue(e.getMessage().contains(Integer.toString(count)), e.getMessage());
        }
        if (caps.awaitAny() != Capabilities.Support.NONE) {
            assertThrows(IllegalArgumentException.class, () -> woa.awaitAny(List.of()));
            List<WaitTarget> tooMany = Collections.nCopies(caps.maxAwaitAnyTargets() + 1,
                    WaitTarget.ofInt(m, 0, Scope.PRIVATE));
            assertThrows(IllegalArgumentException.class, () -> woa.awaitAny(tooMany));
        }
        assertThrows(IllegalArgumentException.class, () -> woa.requeue(m, m, Scope.PRIVATE, 0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> woa.requeue(m, m, Scope.PRIVATE, 0, 0, -1));
        WakeOp op = WakeOp.of(WakeOp.Operation.ADD, 1, WakeOp.Comparison.EQ, 0);
        assertThrows(IllegalArgumentException.class, () -> woa.wakeOp(m, m, Scope.PRIVATE, -1, 0, op));
        if (!caps.requeue()) {
            assertUnsupported(() -> woa.requeue(m, word(), Scope.PRIVATE, 0, 1, 1));
        }
        if (!caps.wakeOp()) {
            assertUnsupported(() -> woa.wakeOp(m, word(), Scope.PRIVATE, 1, 1, op));
        }
    }

    @Test
    void refusedScopesAndWidthsNameTheBackend() {
        Memory m = word();
        for (Width w : Width.values()) {
            if (!caps.supports(w, Scope.SHARED)) {
                assertUnsupported(() -> woa.await(m, w, 1, Scope.SHARED, 0, TimeUnit.SECONDS));
                assertUnsupported(() -> woa.wakeAll(m, w, Scope.SHARED));
            }
            if (!caps.supports(w, Scope.PRIVATE)) {
                assertUnsupported(() -> woa.await(m, w, 1, Scope.PRIVATE, 0, TimeUnit.SECONDS));
            }
        }
    }

    private void assertUnsupported(org.junit.jupiter.api.function.Executable call) {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, call);
        assertTrue(e.getMessage().contains(woa.name()), e.getMessage());
    }

    // ------------------------------------------------------------------ stress

    /** Pairs of threads pass a token back and forth; a lost wake-up hangs a pair and the watchdog names it. */
    @Test
    void noLostWakeUpsInPingPong() throws Exception {
        int rounds = Integer.getInteger("woa.stress.rounds", 2_000);
        forEachSupported((w, s) -> {
            Watchdog.run(Duration.ofSeconds(60), "ping-pong " + w + " " + s, () -> {
                int pairs = 3;
                List<Thread> threads = new ArrayList<>();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                for (int p = 0; p < pairs; p++) {
                    Memory m = word();
                    boolean all = p % 2 == 0;
                    for (int side = 0; side < 2; side++) {
                        int mine = side;
                        threads.add(start("pp-" + p + "-" + side, () -> {
                            try {
                                for (int i = 0; i < rounds; i++) {
                                    long v;
                                    while ((v = m.getByte(0)) != mine) {
                                        woa.await(m, w, v, s);
                                    }
                                    set(m, w, 1 - mine);
                                    if (all) {
                                        woa.wakeAll(m, w, s);
                                    } else {
                                        woa.wakeOne(m, w, s);
                                    }
                                }
                            } catch (Throwable e) {
                                failure.compareAndSet(null, e);
                            }
                        }));
                    }
                }
                for (Thread t : threads) {
                    t.join();
                }
                assertNull(failure.get());
                return null;
            });
        });
    }
}
