package dev.waitonaddress.freebsd;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the {@code freebsd-umtx} backend passes to and makes of {@code _umtx_op(2)}, seen through
 * the contract emulator's hooks: the traits FreeBSD has, a relative {@code _umtx_time} on
 * CLOCK_MONOTONIC, a zero time-out for a poll, 4-byte values zero-extended, spurious returns of 0
 * absorbed by the policy's re-read, EINTR retried with the deadline kept, other errno values named
 * with FreeBSD's numbers, and wakes that report no count.
 */
@EmulatorRun
class FreeBsdBackendOnEmulatorTest {
    static final int EINTR = 4;
    static final int EINVAL = 22;
    static final int ENOSYS = 78;
    /** {@code woa_emulator_last_timeout_form}: a struct _umtx_time, relative, on CLOCK_MONOTONIC. */
    static final int RELATIVE_UMTX_TIME_MONOTONIC = 1 | 4;

    /** The emulator's test hooks, bound directly (the same loaded library as the backend's). */
    static final class Hooks {
        static native void woa_emulator_inject_errno(int errno);

        static native int woa_emulator_injection_pending();

        static native void woa_emulator_inject_spurious(int n);

        static native int woa_emulator_sleepers();

        static native long woa_emulator_last_timeout_ns();

        static native int woa_emulator_last_timeout_form();
    }

    private WaitOnAddress woa;
    private final List<Memory> memories = new ArrayList<>();

    @BeforeAll
    static void bind() throws Exception {
        Native.register(Hooks.class, NativeLibrary.getInstance(NativeArtefacts.require("libwoa-freebsd.so").toString()));
    }

    @BeforeEach
    void backend() {
        woa = Emulators.boundBackend("freebsd-umtx");
    }

    @AfterEach
    void free() {
        Hooks.woa_emulator_inject_errno(0);
        Hooks.woa_emulator_inject_spurious(0);
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
    void capabilitiesSayWhatFreeBsdDoes() {
        Capabilities c = woa.capabilities();
        assertEquals(Set.of(Width.INT32, Width.INT64), c.nativeWidths());
        assertTrue(c.shared());
        assertTrue(c.supports(Width.INT64, Scope.SHARED), "8 bytes across processes through UMTX_OP_WAIT");
        assertFalse(c.supports(Width.INT16, Scope.SHARED), "emulated widths are PRIVATE only");
        assertFalse(c.requeue());
        assertFalse(c.wakeOp());
        assertFalse(c.wakeCountReported(Width.INT32), "kern_umtx_wake returns 0");
        assertFalse(c.wakeCountReported(Width.INT64));
        assertEquals(100, woa.priority());
    }

    @Test
    void timeOutsAreARelativeUmtxTimeOnTheMonotonicClockAndAPollPassesZero() throws Exception {
        Memory m = word();
        assertEquals(WaitResult.TIMED_OUT, woa.await(m, Width.INT32, 0, Scope.PRIVATE, 0, TimeUnit.SECONDS));
        assertEquals(0, Hooks.woa_emulator_last_timeout_ns(), "a poll passes 0: the kernel still compares");
        assertEquals(RELATIVE_UMTX_TIME_MONOTONIC, Hooks.woa_emulator_last_timeout_form());
        assertEquals(WaitResult.TIMED_OUT, woa.awaitUntil(m, Width.INT64, 0, Scope.SHARED, Long.MIN_VALUE));
        assertEquals(0, Hooks.woa_emulator_last_timeout_ns());
        assertEquals(WaitResult.TIMED_OUT, woa.await(m, Width.INT64, 0, Scope.PRIVATE, 20, TimeUnit.MILLISECONDS));
        long last = Hooks.woa_emulator_last_timeout_ns();
        assertTrue(last > 0 && last <= 20_000_000L, "relative, at most what was asked: " + last);
        assertEquals(RELATIVE_UMTX_TIME_MONOTONIC, Hooks.woa_emulator_last_timeout_form());

        AtomicReference<Object> result = new AtomicReference<>();
        Thread waiter = startWaiter(() -> {
            try {
                result.set(woa.await(m, Width.INT32, 0, Scope.PRIVATE));
            } catch (Throwable e) {
                result.set(e);
            }
        });
        awaitSleepers(1);
        assertEquals(-1, Hooks.woa_emulator_last_timeout_ns(), "an untimed wait passes no time-out");
        waiter.interrupt();
        waiter.join();
        assertTrue(result.get() instanceof InterruptedException, String.valueOf(result.get()));
    }

    @Test
    void fourByteValuesAreZeroExtendedSoNegativeOnesStillSleep() throws Exception {
        Memory m = word();
        m.setInt(0, -5);
        long start = System.nanoTime();
        assertEquals(WaitResult.TIMED_OUT, woa.await(m, Width.INT32, -5, Scope.PRIVATE, 30, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= 30_000_000L, "slept: the kernel's u_int compare saw it equal");
        assertEquals(WaitResult.TIMED_OUT, woa.await(m, Width.INT32, -5, Scope.SHARED, 30, TimeUnit.MILLISECONDS));
        assertEquals(WaitResult.MISMATCH, woa.await(m, Width.INT32, 5, Scope.PRIVATE));
        m.setLong(0, -5L);
        assertEquals(WaitResult.TIMED_OUT, woa.await(m, Width.INT64, -5L, Scope.PRIVATE, 30, TimeUnit.MILLISECONDS));
        assertEquals(WaitResult.MISMATCH, woa.await(m, Width.INT64, 0xFFFF_FFFBL, Scope.PRIVATE), "all 64 bits compared");
    }

    @Test
    void spuriousReturnsOfZeroAreNeverMismatchesNorPollWakeUps() throws Exception {
        Memory m = word();
        m.setInt(0, 7);
        Hooks.woa_emulator_inject_spurious(1);
        assertEquals(WaitResult.TIMED_OUT, woa.await(m, Width.INT32, 7, Scope.PRIVATE, 0, TimeUnit.SECONDS),
                "a poll of an equal value is never woken");
        Hooks.woa_emulator_inject_spurious(1);
        WaitResult r = woa.await(m, Width.INT64, 7, Scope.SHARED, 10, TimeUnit.SECONDS);
        assertEquals(WaitResult.WOKEN, r, "the word still holds its value: a (spurious) wake-up, not a mismatch");
        m.setInt(0, 8);
        assertEquals(WaitResult.MISMATCH, woa.await(m, Width.INT32, 7, Scope.PRIVATE, 10, TimeUnit.SECONDS),
                "0 for a value that differed, re-read: a mismatch");
    }

    @Test
    void eintrIsRetriedWithTheDeadlineKept() throws Exception {
        Memory m = word();
        Hooks.woa_emulator_inject_errno(EINTR);
        long start = System.nanoTime();
        assertEquals(WaitResult.TIMED_OUT, woa.await(m, Width.INT64, 0, Scope.PRIVATE, 50, TimeUnit.MILLISECONDS));
        long took = System.nanoTime() - start;
        assertEquals(0, Hooks.woa_emulator_injection_pending(), "the injected errno was returned");
        assertTrue(took >= 50_000_000L, "never early after a retry: " + took + " ns");
        assertTrue(took < 2_000_000_000L, "the deadline is kept, not restarted forever: " + took + " ns");
    }

    @Test
    void otherErrnosBecomeExceptionsWithFreeBsdsNumbers() {
        Memory m = word();
        int[] codes = {ENOSYS, EINVAL};
        String[] names = {"ENOSYS", "EINVAL"};
        for (int i = 0; i < codes.length; i++) {
            Hooks.woa_emulator_inject_errno(codes[i]);
            WaitOnAddressException e = assertThrows(WaitOnAddressException.class,
                    () -> woa.await(m, Width.INT32, 0, Scope.PRIVATE, 10, TimeUnit.SECONDS));
            assertEquals("freebsd-umtx", e.backend());
            assertEquals(codes[i], e.errorCode());
            assertEquals(names[i], e.errorName());
        }
    }

    @Test
    void wakesReportNoCountAndAWakeAfterAHighHalfChangeReachesAnEightByteWaiter() throws Exception {
        Memory m = word();
        assertEquals(WaitOnAddress.COUNT_UNKNOWN, woa.wakeOne(m, Width.INT32, Scope.PRIVATE));
        assertEquals(WaitOnAddress.COUNT_UNKNOWN, woa.wakeAll(m, Width.INT64, Scope.SHARED));
        AtomicReference<Object> result = new AtomicReference<>();
        Thread waiter = startWaiter(() -> {
            try {
                result.set(woa.await(m, Width.INT64, 0, Scope.PRIVATE));
            } catch (Throwable e) {
                result.set(e);
            }
        });
        awaitSleepers(1);
        m.setLong(0, 1L << 40); // the high half only
        assertEquals(WaitOnAddress.COUNT_UNKNOWN, woa.wake(m, Width.INT64, Scope.PRIVATE, 2));
        waiter.join(10_000);
        assertFalse(waiter.isAlive());
        // woken, and the re-read sees the value changed: either result says the wait ended
        assertTrue(result.get() == WaitResult.WOKEN || result.get() == WaitResult.MISMATCH, String.valueOf(result.get()));
    }
}
