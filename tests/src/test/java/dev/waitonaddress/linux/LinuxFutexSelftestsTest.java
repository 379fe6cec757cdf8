package dev.waitonaddress.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitOnAddressException;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.WaitTarget;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.SharedMemory;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scenarios of the kernel's own futex self-tests ({@code tools/testing/selftests/futex/functional}
 * in the Linux tree), replayed through the SPI with the results those tests expect. Where a
 * self-test sleeps for a guessed time before it wakes, these tests instead watch
 * {@code /proc/self/task/*}{@code /syscall} until the waiter sleeps in the kernel, so the wake
 * counts are exact on a loaded machine.
 */
class LinuxFutexSelftestsTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final long SELF = KernelWaiters.self();

    private final WaitOnAddress futex = Backend.named("linux-futex");
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "selftest-waiter");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private <T> Future<T> inThread(Callable<T> body) {
        return threads.submit(body);
    }

    /**
     * @return whether awaitAny takes words of {@code scope}: always with futex_waitv; without it
     *     (old kernels, qemu-user) SHARED words are refused, which this checks too
     */
    private boolean awaitAnyServes(Scope scope) {
        if (futex.capabilities().awaitAny() == Capabilities.Support.NATIVE || scope == Scope.PRIVATE) {
            return true;
        }
        Memory m = words(1);
        assertThrows(UnsupportedOperationException.class,
                () -> futex.awaitAny(List.of(WaitTarget.ofInt(m, 0, scope)), 0, TimeUnit.SECONDS));
        return false;
    }

    private static Memory words(int n) {
        Memory m = new Memory(4L * n);
        m.clear();
        return m;
    }

    // ------------------------------------------------------------------ futex_wait_timeout, futex_wait_wouldblock

    @Test
    void waitTimeout() throws Exception {
        Memory f1 = words(1);
        for (Scope scope : Scope.values()) {
            long start = System.nanoTime();
            assertEquals(WaitResult.TIMED_OUT, futex.await(f1, Width.INT32, 0, scope, 100, TimeUnit.MICROSECONDS));
            assertTrue(System.nanoTime() - start >= 100_000, "never early");

            long deadline = System.nanoTime() + 10_000_000; // FUTEX_WAIT_BITSET, absolute CLOCK_MONOTONIC
            assertEquals(WaitResult.TIMED_OUT, futex.awaitUntil(f1, Width.INT32, 0, scope, deadline));
            assertTrue(System.nanoTime() >= deadline, "never early");

            if (awaitAnyServes(scope)) {
                start = System.nanoTime(); // futex_waitv, absolute CLOCK_MONOTONIC
                assertEquals(WaitOnAddress.AWAIT_ANY_TIMED_OUT,
                        futex.awaitAny(List.of(WaitTarget.ofInt(f1, 0, scope)), 10, TimeUnit.MILLISECONDS));
                assertTrue(System.nanoTime() - start >= 10_000_000, "never early");
            }
        }
    }

    @Test
    void waitWouldblock() throws Exception {
        Memory f1 = words(1);
        for (Scope scope : Scope.values()) {
            assertEquals(WaitResult.MISMATCH, futex.await(f1, Width.INT32, 1, scope, 100, TimeUnit.MICROSECONDS));
            assertEquals(WaitResult.MISMATCH, futex.await(f1, Width.INT32, 1, scope));
            if (awaitAnyServes(scope)) {
                assertEquals(0, futex.awaitAny(List.of(WaitTarget.ofInt(f1, 1, scope)), 100, TimeUnit.MICROSECONDS));
            }
        }
    }

    // ------------------------------------------------------------------ futex_wait: private, shared anonymous, file-backed

    /** One thread sleeps on the word holding 0; a single wake finds it and reports 1. */
    private void wakeFindsTheSleeper(Pointer word, Scope scope) throws Exception {
        Watchdog.run(LIMIT, "wake a sleeper on " + scope + " memory", () -> {
            Future<WaitResult> waiter = inThread(() -> futex.await(word, Width.INT32, 0, scope, 30, TimeUnit.SECONDS));
            KernelWaiters.awaitInFutex(SELF, Pointer.nativeValue(word), 1, LIMIT);
            assertEquals(1, futex.wakeOne(word, Width.INT32, scope));
            assertEquals(WaitResult.WOKEN, waiter.get());
            return null;
        });
    }

    @Test
    void waitOnPrivateMemory() throws Exception {
        wakeFindsTheSleeper(words(1), Scope.PRIVATE);
    }

    @Test
    void waitOnSharedAnonymousMemory() throws Exception {
        Pointer page = Libc.anonymousPage(Libc.MAP_SHARED);
        try {
            page.setInt(0, 0);
            wakeFindsTheSleeper(page, Scope.SHARED);
        } finally {
            Libc.INSTANCE.munmap(page, Libc.PAGE);
        }
    }

    @Test
    void waitOnSharedFileMemory() throws Exception {
        try (SharedMemory file = SharedMemory.create("woa-selftest-", 4096)) {
            wakeFindsTheSleeper(file.pointer(), Scope.SHARED);
        }
    }

    // ------------------------------------------------------------------ futex_wait_uninitialized_heap

    @Test
    void waitOnAnUntouchedZeroPageForOneReturnsAtOnce() throws Exception {
        Pointer page = Libc.anonymousPage(Libc.MAP_PRIVATE); // never written: the kernel's shared zero page
        try {
            Watchdog.run(Duration.ofSeconds(10), "wait on the zero page", () -> {
                for (Scope scope : Scope.values()) {
                    assertEquals(WaitResult.MISMATCH, futex.await(page, Width.INT32, 1, scope));
                    if (awaitAnyServes(scope)) {
                        assertEquals(0, futex.awaitAny(List.of(WaitTarget.ofInt(page, 1, scope))));
                    }
                }
                return null;
            });
        } finally {
            Libc.INSTANCE.munmap(page, Libc.PAGE);
        }
    }

    // ------------------------------------------------------------------ futex_wait_private_mapped_file

    @Test
    void privateFileMappingAfterCopyOnWrite() throws Exception {
        Path file = Files.createTempFile("woa-private-mapping-", ".bin");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer content = ByteBuffer.allocate(3 * 4096).order(java.nio.ByteOrder.nativeOrder());
            content.putInt(4096, 1); // the word, alone on its page, as in the self-test
            ch.write(content, 0);
            MappedByteBuffer mapping = ch.map(FileChannel.MapMode.PRIVATE, 0, 3 * 4096); // MAP_PRIVATE
            Pointer word = Native.getDirectBufferPointer(mapping).share(4096);
            Watchdog.run(LIMIT, "private file mapping", () -> {
                // the waiter sleeps on a page still backed by the file (the self-test passes no private flag)
                Future<WaitResult> waiter = inThread(() -> futex.await(word, Width.INT32, 1, Scope.SHARED, 30,
                        TimeUnit.SECONDS));
                KernelWaiters.awaitInFutex(SELF, Pointer.nativeValue(word), 1, LIMIT);
                word.setInt(0, 2); // copy-on-write: the page becomes anonymous
                assertEquals(1, futex.wakeOne(word, Width.INT32, Scope.SHARED), "the wake found the waiter");
                assertEquals(WaitResult.WOKEN, waiter.get());
                return null;
            });
            ByteBuffer onDisk = ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder());
            ch.read(onDisk, 4096);
            assertEquals(1, onDisk.getInt(0), "a private mapping never writes the file");
            java.lang.ref.Reference.reachabilityFence(mapping);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // ------------------------------------------------------------------ futex_requeue

    private List<Future<WaitResult>> sleepers(Pointer word, Scope scope, int n) throws InterruptedException {
        List<Future<WaitResult>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(inThread(() -> futex.await(word, Width.INT32, 0, scope, 30, TimeUnit.SECONDS)));
        }
        KernelWaiters.awaitInFutex(SELF, Pointer.nativeValue(word), n, LIMIT);
        return all;
    }

    private void requeueSingle(Pointer f1, Pointer f2, Scope scope) throws Exception {
        Watchdog.run(LIMIT, "requeue_single " + scope, () -> {
            List<Future<WaitResult>> waiters = sleepers(f1, scope, 1);
            assertEquals(1, futex.requeue(f1, f2, scope, 0, 0, 1));
            assertEquals(1, futex.wakeOne(f2, Width.INT32, scope));
            assertEquals(WaitResult.WOKEN, waiters.get(0).get());
            return null;
        });
    }

    private void requeueMultiple(Pointer f1, Pointer f2, Scope scope) throws Exception {
        Watchdog.run(LIMIT, "requeue_multiple " + scope, () -> {
            List<Future<WaitResult>> waiters = sleepers(f1, scope, 10);
            assertEquals(10, futex.requeue(f1, f2, scope, 0, 3, 7), "wake 3 + requeue 7");
            assertEquals(7, futex.wake(f2, Width.INT32, scope, Integer.MAX_VALUE), "exactly the 7 requeued");
            for (Future<WaitResult> w : waiters) {
                assertEquals(WaitResult.WOKEN, w.get());
            }
            return null;
        });
    }

    @Test
    void cmpRequeuePrivate() throws Exception {
        Memory m = words(2);
        requeueSingle(m, m.share(4), Scope.PRIVATE);
        requeueMultiple(m, m.share(4), Scope.PRIVATE);
    }

    @Test
    void cmpRequeueShared() throws Exception {
        try (SharedMemory file = SharedMemory.create("woa-requeue-", 4096)) {
            requeueSingle(file.pointer(), file.pointer().share(2048), Scope.SHARED);
            requeueMultiple(file.pointer(), file.pointer().share(2048), Scope.SHARED);
        }
    }

    // ------------------------------------------------------------------ futex_waitv

    /** One thread waits on every word for 0; waking the last one's single waiter names its index. */
    private void waitvWakeTheLast(List<Pointer> words, Scope... scopes) throws Exception {
        List<WaitTarget> targets = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            targets.add(WaitTarget.ofInt(words.get(i), 0, scopes[i * scopes.length / words.size()]));
        }
        WaitTarget last = targets.get(targets.size() - 1);
        Strict.require(futex.capabilities().awaitAny() == Capabilities.Support.NATIVE,
                "awaitAny is not futex_waitv here: " + futex);
        Watchdog.run(LIMIT, "futex_waitv over " + words.size(), () -> {
            Future<Integer> waiter = inThread(() -> futex.awaitAny(targets, 30, TimeUnit.SECONDS));
            KernelWaiters.awaitInFutexWaitv(SELF, 1, LIMIT);
            assertEquals(1, futex.wakeOne(last.address(), Width.INT32, last.scope()));
            assertEquals(words.size() - 1, waiter.get(), "the index woken");
            return null;
        });
    }

    private static List<Pointer> privateWords(int n) {
        Memory m = words(n);
        List<Pointer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(m.share(4L * i));
        }
        return all;
    }

    @Test
    void waitvOverThirtyPrivateWords() throws Exception {
        waitvWakeTheLast(privateWords(30), Scope.PRIVATE);
    }

    @Test
    void waitvOverThirtySharedWords() throws Exception {
        List<Pointer> pages = new ArrayList<>(); // one shared anonymous page each, as the self-test's 30 segments
        try {
            for (int i = 0; i < 30; i++) {
                Pointer p = Libc.anonymousPage(Libc.MAP_SHARED);
                p.setInt(0, 0);
                pages.add(p);
            }
            waitvWakeTheLast(pages, Scope.SHARED);
        } finally {
            for (Pointer p : pages) {
                Libc.INSTANCE.munmap(p, Libc.PAGE);
            }
        }
    }

    @Test
    void waitvOverThirtyPrivateAndThirtySharedWords() throws Exception {
        try (SharedMemory file = SharedMemory.create("woa-waitv-", 4096)) {
            List<Pointer> words = new ArrayList<>(privateWords(30));
            for (int i = 0; i < 30; i++) {
                words.add(file.pointer().share(64L * i));
            }
            waitvWakeTheLast(words, Scope.PRIVATE, Scope.SHARED);
        }
    }

    @Test
    void waitvBadInputs() throws Exception {
        Memory m = words(2);
        // unaligned address
        assertThrows(IllegalArgumentException.class, () -> WaitTarget.ofInt(m.share(1), 0, Scope.PRIVATE));
        // NULL address in a waiter, NULL waiter array, no waiters, too many
        assertThrows(IllegalArgumentException.class, () -> WaitTarget.ofInt(Pointer.createConstant(0), 0, Scope.PRIVATE));
        assertThrows(NullPointerException.class, () -> WaitTarget.ofInt(null, 0, Scope.PRIVATE));
        assertThrows(NullPointerException.class, () -> futex.awaitAny(null));
        assertThrows(NullPointerException.class, () -> futex.awaitAny(Collections.singletonList(null)));
        assertThrows(IllegalArgumentException.class, () -> futex.awaitAny(List.of()));
        int max = futex.capabilities().maxAwaitAnyTargets(); // 128 with futex_waitv
        List<WaitTarget> tooMany = Collections.nCopies(max + 1, WaitTarget.ofInt(m, 0, Scope.PRIVATE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> futex.awaitAny(tooMany));
        assertTrue(e.getMessage().contains(Integer.toString(max)), e.getMessage());
        // a word without the 32-bit size flag: SHARED is refused, PRIVATE is emulated in-process
        Memory wide = words(2);
        assertThrows(UnsupportedOperationException.class, () -> futex.awaitAny(
                List.of(new WaitTarget(wide, Width.INT64, 1, Scope.SHARED), WaitTarget.ofInt(m, 0, Scope.SHARED))));
        assertEquals(0, futex.awaitAny(
                List.of(new WaitTarget(wide, Width.INT64, 1, Scope.PRIVATE), WaitTarget.ofInt(m, 0, Scope.PRIVATE))));
        // (an invalid clock cannot be expressed: the deadline is always CLOCK_MONOTONIC)
        // memory the kernel cannot read: an error, not a crash (the in-process emulation reads words itself,
        // so readable memory is the caller's duty there)
        Strict.require(futex.capabilities().awaitAny() == Capabilities.Support.NATIVE,
                "awaitAny is not futex_waitv here: " + futex);
        Pointer none = Libc.INSTANCE.mmap(null, Libc.PAGE, 0, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        try {
            for (Scope scope : Scope.values()) {
                WaitOnAddressException x = assertThrows(WaitOnAddressException.class,
                        () -> futex.awaitAny(List.of(WaitTarget.ofInt(none, 0, scope)), 0, TimeUnit.SECONDS));
                assertTrue(x.getMessage().contains("EFAULT"), x.getMessage());
            }
        } finally {
            Libc.INSTANCE.munmap(none, Libc.PAGE);
        }
    }
}
