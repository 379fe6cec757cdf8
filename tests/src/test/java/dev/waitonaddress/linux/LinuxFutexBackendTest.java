package dev.waitonaddress.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Capabilities.Support;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.WaitTarget;
import dev.waitonaddress.WakeOp;
import dev.waitonaddress.WakeOp.Comparison;
import dev.waitonaddress.WakeOp.Operation;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.ChildJvm;
import dev.waitonaddress.testing.SharedMemory;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** linux-futex beyond the conformance suite: its capabilities here, requeue, wake-op, widths, the futex_waitv fallback. */
class LinuxFutexBackendTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final long SELF = KernelWaiters.self();

    private final WaitOnAddress futex = Backend.named("linux-futex");
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "linux-waiter");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    // ------------------------------------------------------------------ capabilities

    @Test
    void capabilitiesOnThisMachine() {
        Strict.require(futex.isAvailable(), "linux-futex is unavailable: " + futex.unavailabilityCause());
        assertEquals("linux-futex", WaitOnAddress.system().name(), "the system backend on Linux");
        Capabilities c = futex.capabilities();
        assertEquals(EnumSet.of(Width.INT32), c.nativeWidths());
        assertEquals(EnumSet.of(Width.INT8, Width.INT16, Width.INT64), c.emulatedWidths());
        assertTrue(c.shared());
        assertTrue(c.requeue());
        assertTrue(c.compareRequeue());
        assertTrue(c.wakeOp());
        assertTrue(c.wakeCountReported(Width.INT32));
        assertTrue(c.nativeAbsoluteDeadlines(), "CLOCK_MONOTONIC is System.nanoTime()'s clock on Linux");
        if (c.awaitAny() != Support.NATIVE) {
            assertEquals(Support.EMULATED, c.awaitAny());
            assertTrue(futex.toString().contains("awaitAny emulated in-process: "), "it says why: " + futex);
            Strict.require(false, "futex_waitv cannot be used here: " + futex);
        }
        assertEquals(128, c.maxAwaitAnyTargets());
        assertTrue(futex.toString().startsWith("linux-futex (bound to libc through "), futex.toString());
        assertFalse(futex.toString().contains("awaitAny"), "nothing to explain: " + futex);
    }

    @Test
    void withoutFutexWaitvAwaitAnyIsEmulatedAndSaysWhy() throws Exception {
        Process child = ChildJvm.start(WaitvFallbackMain.class,
                List.of("-D" + LinuxFutexWaitOnAddress.FUTEX_WAITV_PROPERTY + "=false"));
        String out = Watchdog.within(LIMIT, "fallback child", () -> {
            String s = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            child.waitFor();
            return s;
        });
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.contains("; awaitAny emulated in-process: futex_waitv turned off by -D"
                + LinuxFutexWaitOnAddress.FUTEX_WAITV_PROPERTY + "=false)"), out);
        assertTrue(out.contains("awaitAny EMULATED 1024"), out);
        assertTrue(out.trim().endsWith("OK"), out);
    }

    // ------------------------------------------------------------------ awaitAny details

    @Test
    void awaitAnyTakesExpectedValuesWithTheTopBitSetInBothForms() throws Exception {
        Memory m = new Memory(8);
        m.setInt(0, -1);
        m.setInt(4, 0x8000_0000);
        for (Scope scope : futex.capabilities().awaitAny() == Support.NATIVE ? Scope.values()
                : new Scope[] {Scope.PRIVATE}) {
            // futex_waitv compares 32-bit values: expected must reach it zero-extended (else EINVAL or a false mismatch)
            for (long minusOne : new long[] {-1L, 0xffff_ffffL}) {
                List<WaitTarget> targets = List.of(
                        new WaitTarget(m, Width.INT32, minusOne, scope),
                        new WaitTarget(m.share(4), Width.INT32, Integer.MIN_VALUE, scope));
                assertEquals(WaitOnAddress.AWAIT_ANY_TIMED_OUT, futex.awaitAny(targets, 1, TimeUnit.MILLISECONDS));
                assertEquals(WaitResult.TIMED_OUT, futex.await(m, Width.INT32, minusOne, scope, 0, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void pollsAnswerFromTheKernelForFewAndManyWords() throws Exception {
        // few words are compared one by one (FUTEX_CMP_REQUEUE of nobody), many by one expired futex_waitv
        Memory m = new Memory(4 * 60);
        m.clear();
        for (int n : new int[] {1, 3, 4, 5, 60}) {
            List<WaitTarget> targets = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                targets.add(WaitTarget.ofInt(m.share(4L * i), 0, i % 2 == 0 ? Scope.PRIVATE : Scope.SHARED));
            }
            if (futex.capabilities().awaitAny() != Support.NATIVE) {
                targets.replaceAll(t -> WaitTarget.ofInt(t.address(), 0, Scope.PRIVATE));
            }
            assertEquals(WaitOnAddress.AWAIT_ANY_TIMED_OUT, futex.awaitAny(targets, 0, TimeUnit.SECONDS), n + " equal words");
            for (int k : new int[] {0, n / 2, n - 1}) {
                m.setInt(4L * k, 7);
                assertEquals(k, futex.awaitAny(targets, 0, TimeUnit.SECONDS), "word " + k + " of " + n + " differs");
                m.setInt(4L * k, 0);
            }
        }
        Pointer none = Libc.INSTANCE.mmap(null, Libc.PAGE, 0, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        try {
            for (Scope scope : Scope.values()) {
                dev.waitonaddress.WaitOnAddressException e = assertThrows(dev.waitonaddress.WaitOnAddressException.class,
                        () -> futex.await(none, Width.INT32, 0, scope, 0, TimeUnit.SECONDS));
                assertTrue(e.getMessage().contains("EFAULT"), e.getMessage());
            }
        } finally {
            Libc.INSTANCE.munmap(none, Libc.PAGE);
        }
    }

    @Test
    void awaitAnyNamesOnlyAWordThatChangedOrWasWoken() throws Exception {
        // word 0 flips 0 -> 1 -> 0 with wakes; word 1 never changes and is never woken. When futex_waitv
        // refuses to sleep because word 0 differed, it has often flipped back before the words are read:
        // the answer must then be "wait again", never index 1.
        Memory m = new Memory(8);
        m.clear();
        List<WaitTarget> targets = List.of(WaitTarget.ofInt(m, 0, Scope.PRIVATE),
                WaitTarget.ofInt(m.share(4), 0, Scope.PRIVATE));
        AtomicBoolean stop = new AtomicBoolean();
        Future<Integer> flipper = threads.submit(() -> {
            int flips = 0;
            while (!stop.get()) {
                m.setInt(0, 1);
                m.setInt(0, 0);
                futex.wakeAll(m, Width.INT32, Scope.PRIVATE);
                flips++;
            }
            return flips;
        });
        Watchdog.run(LIMIT, "awaitAny against a flipping word", () -> {
            int[] seen = new int[3];
            long end = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() - end < 0) {
                int r = futex.awaitAny(targets, 1, TimeUnit.MILLISECONDS);
                assertTrue(r == 0 || r == WaitOnAddress.AWAIT_ANY_TIMED_OUT, "awaitAny returned " + r);
                seen[r == 0 ? 0 : 2]++;
            }
            stop.set(true);
            assertTrue(flipper.get() > 0);
            assertTrue(seen[0] > 0, "woken or found changed at least once");
            return null;
        });
    }

    // ------------------------------------------------------------------ requeue

    private List<Future<WaitResult>> sleepers(Pointer word, long expected, Scope scope, int n) throws Exception {
        List<Future<WaitResult>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(threads.submit(() -> futex.await(word, Width.INT32, expected, scope, 30, TimeUnit.SECONDS)));
        }
        KernelWaiters.awaitInFutex(SELF, Pointer.nativeValue(word), n, LIMIT);
        return all;
    }

    private void inEachScope(Function<Scope, Pointer> twoWords) throws Exception {
        for (Scope scope : Scope.values()) {
            Pointer base = twoWords.apply(scope);
            requeueMismatch(base, base.share(256), scope);
            wakeOpArithmetic(base, base.share(256), scope);
            wakeOpComparisons(base, base.share(256), scope);
        }
    }

    @Test
    void requeueAndWakeOpInBothScopes() throws Exception {
        try (SharedMemory file = SharedMemory.create("woa-wakeop-", 4096)) {
            Memory m = new Memory(512);
            m.clear();
            inEachScope(scope -> scope == Scope.PRIVATE ? m : file.pointer());
        }
    }

    private void requeueMismatch(Pointer f1, Pointer f2, Scope scope) throws Exception {
        f1.setInt(0, 0);
        Watchdog.run(LIMIT, "requeue mismatch " + scope, () -> {
            List<Future<WaitResult>> waiters = sleepers(f1, 0, scope, 2);
            assertEquals(WaitOnAddress.REQUEUE_MISMATCH, futex.requeue(f1, f2, scope, 1, 1, 1), "a result");
            assertEquals(0, futex.wakeAll(f2, Width.INT32, scope), "nothing was moved");
            assertEquals(2, futex.wakeAll(f1, Width.INT32, scope), "nothing was woken");
            for (Future<WaitResult> w : waiters) {
                assertEquals(WaitResult.WOKEN, w.get());
            }
            assertEquals(0, futex.requeue(f1, f2, scope, 0, Integer.MAX_VALUE, Integer.MAX_VALUE), "nobody there");
            return null;
        });
    }

    // ------------------------------------------------------------------ wakeOp

    /** The kernel's arithmetic on the word equals {@link WakeOp#apply}, for every operation, both argument forms. */
    private void wakeOpArithmetic(Pointer wake, Pointer op, Scope scope) {
        int[] olds = {0, 1, -1, 7, 0x5555_5555, Integer.MIN_VALUE, Integer.MAX_VALUE, 2047, -2048};
        int[] args = {0, 1, -1, 5, 2047, -2048, 0x3ff};
        for (Operation operation : Operation.values()) {
            for (int old : olds) {
                for (int arg : args) {
                    check(wake, op, scope, WakeOp.of(operation, arg, Comparison.EQ, 0), old);
                }
                for (int shift : new int[] {0, 1, 12, 31}) {
                    check(wake, op, scope, WakeOp.ofShifted(operation, shift, Comparison.NE, -1), old);
                }
            }
        }
    }

    private void check(Pointer wake, Pointer op, Scope scope, WakeOp w, int old) {
        op.setInt(0, old);
        assertEquals(0, futex.wakeOp(wake, op, scope, 1, 1, w), "nobody waits");
        assertEquals(w.apply(old), op.getInt(0), w + " on " + old + " " + scope);
    }

    /** Waiters of the op word are woken exactly when the kernel's comparison of the old value holds. */
    private void wakeOpComparisons(Pointer wake, Pointer op, Scope scope) throws Exception {
        int[][] oldAndCmparg = {{5, 5}, {5, 6}, {-3, 2}, {2, -3}};
        for (Comparison comparison : Comparison.values()) {
            for (int[] c : oldAndCmparg) {
                int old = c[0];
                WakeOp w = WakeOp.of(Operation.ADD, 0, comparison, c[1]); // the word keeps its value
                wake.setInt(0, 0);
                op.setInt(0, old);
                Watchdog.run(LIMIT, "wakeOp " + w + " " + scope, () -> {
                    List<Future<WaitResult>> onWake = sleepers(wake, 0, scope, 1);
                    List<Future<WaitResult>> onOp = sleepers(op, old, scope, 1);
                    int expected = 1 + (w.test(old) ? 1 : 0);
                    assertEquals(expected, futex.wakeOp(wake, op, scope, 1, 1, w), w + " with old " + old);
                    assertEquals(WaitResult.WOKEN, onWake.get(0).get());
                    assertEquals(w.test(old) ? 0 : 1, futex.wakeAll(op, Width.INT32, scope));
                    assertEquals(WaitResult.WOKEN, onOp.get(0).get());
                    return null;
                });
            }
        }
    }

    // ------------------------------------------------------------------ widths other than 32 bits

    @Test
    void otherWidthsAreEmulatedPrivatelyAndRefusedShared() throws Exception {
        Memory m = new Memory(16);
        m.clear();
        for (Width w : new Width[] {Width.INT8, Width.INT16, Width.INT64}) {
            Watchdog.run(LIMIT, w + " PRIVATE", () -> {
                Future<WaitResult> waiter = threads.submit(() -> {
                    WaitResult r;
                    do {
                        r = futex.await(m, w, 0, Scope.PRIVATE, 30, TimeUnit.SECONDS);
                    } while (r == WaitResult.WOKEN && m.getByte(0) == 0);
                    return r;
                });
                Thread.sleep(20);
                m.setByte(0, (byte) 1);
                futex.wakeAll(m, w, Scope.PRIVATE);
                WaitResult r = waiter.get();
                assertTrue(r == WaitResult.WOKEN || r == WaitResult.MISMATCH, w + ": " + r);
                m.setByte(0, (byte) 0);
                return null;
            });
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> futex.await(m, w, 0, Scope.SHARED, 0, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("linux-futex") && e.getMessage().contains("SHARED"), e.getMessage());
            assertThrows(UnsupportedOperationException.class, () -> futex.wakeAll(m, w, Scope.SHARED));
            assertFalse(futex.capabilities().supports(w, Scope.SHARED));
            assertEquals(Support.EMULATED, futex.capabilities().width(w));
        }
    }
}
