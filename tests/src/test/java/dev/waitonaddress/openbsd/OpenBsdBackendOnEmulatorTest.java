package dev.waitonaddress.openbsd;

import static dev.waitonaddress.testing.Emulators.startWaiter;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitOnAddressException;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.Emulators;
import dev.waitonaddress.testing.NativeArtefacts;
import dev.waitonaddress.testing.SharedMemory;
import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the {@code openbsd-futex} backend passes to and makes of {@code futex(2)}, seen through the
 * contract emulator's hooks: never a zero time-out, EINTR and ECANCELED retried with the deadline
 * kept, other errno values named with OpenBSD's numbers, and {@code requeue} over FUTEX_REQUEUE.
 */
@EmulatorRun
class OpenBsdBackendOnEmulatorTest {
    static final int EINTR = 4;
    static final int EINVAL = 22;
    static final int ENOSYS = 78;
    static final int ECANCELED = 88;

    /** The emulator's test hooks, bound directly (the same loaded library as the backend's). */
    static final class Hooks {
        static native void woa_emulator_inject_errno(int errno);

        static native int woa_emulator_injection_pending();

        static native int woa_emulator_sleepers();

        static native long woa_emulator_last_timeout_ns();

        static native void woa_emulator_errno_as_result(int on);
    }

    private WaitOnAddress woa;
    private final List<Memory> memories = new ArrayList<>();

    @BeforeAll
    static void bind() throws Exception {
        Native.register(Hooks.class, NativeLibrary.getInstance(NativeArtefacts.require("libwoa-openbsd.so").toString()));
    }

    @BeforeEach
    void backend() {
        woa = Emulators.boundBackend("openbsd-futex");
    }

    @AfterEach
    void free() {
        Hooks.woa_emulator_inject_errno(0);
        memories.forEach(Memory::close);
    }

    private Memory word() {
        Memory m = new Memory(16);
        m.clear();
        memories.add(m);
        return m;
    }

    /** Waits until at least {@code n} threads sleep in the emulator's wait, and a little more. */
    private static void awaitSleepers(int n) throws InterruptedException {
        Emulators.awaitAtLeast("sleepers", Hooks::woa_emulator_sleepers, n);
        Thread.sleep(50); // from entering the call to being queued in the kernel
    }

    @Test
    void capabilitiesSayWhatOpenBsdDoes() {
        Capabilities c = woa.capabilities();
        assertEquals(java.util.Set.of(Width.INT32), c.nativeWidths());
        assertTrue(c.shared());
        assertTrue(c.requeue(), "FUTEX_REQUEUE");
        assertFalse(c.compareRequeue(), "OpenBSD's requeue compares nothing");
        assertTrue(c.wakeCountReported(Width.INT32));
        assertFalse(c.wakeOp());
        assertEquals(100, woa.priority());
    }

    @Test
    void aZeroTimeOutIsNeverPassedAndNoTimeOutIsNull() throws Exception {
        Memory m = word();
        assertEquals(WaitResult.TIMED_OUT, woa.await(m, Width.INT32, 0, Scope.PRIVATE, 0, TimeUnit.SECONDS));
        assertEquals(1, Hooks.woa_emulator_last_timeout_ns(), "a poll passes 1 ns, so the kernel still compares");
        assertEquals(WaitResult.TIMED_OUT, woa.awaitUntil(m, Width.INT32, 0, Scope.SHARED, Long.MIN_VALUE));
        assertEquals(1, Hooks.woa_emulator_last_timeout_ns());
        assertEquals(WaitResult.TIMED_OUT, woa.await(m, Width.INT32, 0, Scope.PRIVATE, 20, TimeUnit.MILLISECONDS));
        long last = Hooks.woa_emulator_last_timeout_ns();
        assertTrue(last > 0 && last <= 20_000_000L, "relative, at most what was asked: " + last);

        AtomicReference<Object> result = new AtomicReference<>();
        Thread waiter = startWaiter(() -> {
            try {
                result.set(woa.await(m, Width.INT32, 0, Scope.PRIVATE));
            } catch (Throwable e) {
                result.set(e);
            }
        });
        awaitSleepers(1);
        assertEquals(-1, Hooks.woa_emulator_last_timeout_ns(), "an untimed wait passes NULL");
        waiter.interrupt();
        waiter.join();
        assertTrue(result.get() instanceof InterruptedException, String.valueOf(result.get()));
    }

    @Test
    void eintrAndEcanceledAreRetriedWithTheDeadlineKept() throws Exception {
        Memory m = word();
        for (int errno : new int[] {EINTR, ECANCELED}) {
            Hooks.woa_emulator_inject_errno(errno);
            long start = System.nanoTime();
            assertEquals(WaitResult.TIMED_OUT, woa.await(m, Width.INT32, 0, Scope.PRIVATE, 50, TimeUnit.MILLISECONDS));
            long took = System.nanoTime() - start;
            assertEquals(0, Hooks.woa_emulator_injection_pending(), "the injected errno was returned");
            assertTrue(took >= 50_000_000L, "never early after a retry: " + took + " ns");
            assertTrue(took < 2_000_000_000L, "the deadline is kept, not restarted forever: " + took + " ns");
        }
    }

    @Test
    void otherErrnosBecomeExceptionsWithOpenBsdsNumbers() {
        Memory m = word();
        int[][] cases = {{ENOSYS, 0}, {EINVAL, 0}};
        String[] names = {"ENOSYS", "EINVAL"};
        for (int i = 0; i < cases.length; i++) {
            Hooks.woa_emulator_inject_errno(cases[i][0]);
            WaitOnAddressException e = assertThrows(WaitOnAddressException.class,
                    () -> woa.await(m, Width.INT32, 0, Scope.PRIVATE, 10, TimeUnit.SECONDS));
            assertEquals("openbsd-futex", e.backend());
            assertEquals(cases[i][0], e.errorCode());
            assertEquals(names[i], e.errorName());
        }
    }

    @Test
    void errnoNumbersReturnedByTheFirstFutexKernelsAreReadToo() throws Exception {
        Memory m = word();
        Hooks.woa_emulator_errno_as_result(1);
        try {
            m.setInt(0, 3);
            assertEquals(WaitResult.MISMATCH, woa.await(m, Width.INT32, 4, Scope.PRIVATE), "EAGAIN (35) as the result");
            long start = System.nanoTime();
            assertEquals(WaitResult.TIMED_OUT, woa.await(m, Width.INT32, 3, Scope.PRIVATE, 20, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - start >= 20_000_000L, "ETIMEDOUT (60) as the result, never early");
            Hooks.woa_emulator_inject_errno(ECANCELED);
            assertEquals(WaitResult.TIMED_OUT, woa.await(m, Width.INT32, 3, Scope.PRIVATE, 20, TimeUnit.MILLISECONDS));
            assertEquals(0, Hooks.woa_emulator_injection_pending());
        } finally {
            Hooks.woa_emulator_errno_as_result(0);
        }
    }

    @Test
    void requeueWakesMovesAndComparesFirstInJava() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "requeue", () -> {
            Memory from = word();
            Memory to = word();
            AtomicInteger returned = new AtomicInteger();
            List<Thread> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiters.add(startWaiter(() -> {
                    try {
                        woa.await(from, Width.INT32, 0, Scope.PRIVATE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    returned.incrementAndGet();
                }));
            }
            awaitSleepers(3);
            from.setInt(0, 5);
            assertEquals(WaitOnAddress.REQUEUE_MISMATCH, woa.requeue(from, to, Scope.PRIVATE, 0, 1, 2));
            Thread.sleep(50);
            assertEquals(0, returned.get(), "a mismatch does nothing");
            from.setInt(0, 0);
            assertEquals(3, woa.requeue(from, to, Scope.PRIVATE, 0, 1, 2), "woken plus moved");
            long until = System.nanoTime() + 10_000_000_000L;
            while (returned.get() < 1 && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            Thread.sleep(50);
            assertEquals(1, returned.get(), "one woken, two moved");
            assertEquals(0, woa.wakeAll(from, Width.INT32, Scope.PRIVATE), "nobody left on from");
            assertEquals(2, woa.wakeAll(to, Width.INT32, Scope.PRIVATE), "the two moved wait on to");
            for (Thread t : waiters) {
                t.join();
            }
            assertEquals(3, returned.get());
            return null;
        });
    }

    @Test
    void sharedScopeWorksOnMappedMemory() throws Exception {
        try (SharedMemory shm = SharedMemory.create("woa-openbsd", 4096)) {
            Watchdog.run(Duration.ofSeconds(30), "shared wake", () -> {
                AtomicReference<Object> result = new AtomicReference<>();
                Thread waiter = startWaiter(() -> {
                    try {
                        result.set(woa.await(shm.pointer(), Width.INT32, 0, Scope.SHARED));
                    } catch (Throwable e) {
                        result.set(e);
                    }
                });
                awaitSleepers(1);
                assertNull(result.get(), "sleeps on the shared word");
                shm.pointer().setInt(0, 1);
                int woken = 0;
                while (waiter.isAlive()) {
                    woken += woa.wakeAll(shm.pointer(), Width.INT32, Scope.SHARED);
                    waiter.join(10);
                }
                assertEquals(1, woken, "the shared wake found the shared waiter");
                assertEquals(WaitResult.WOKEN, result.get());
                return null;
            });
        }
    }
}
