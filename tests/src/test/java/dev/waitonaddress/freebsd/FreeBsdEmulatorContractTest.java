package dev.waitonaddress.freebsd;

import static dev.waitonaddress.testing.Emulators.failed;
import static dev.waitonaddress.testing.Emulators.startWaiter;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.Emulators;
import dev.waitonaddress.testing.NativeArtefacts;
import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The FreeBSD contract emulator checked against {@code sys/sys/umtx.h} and
 * {@code sys/kern/kern_umtx.c}, calling {@code _umtx_op} directly (no backend in between), so that
 * the emulator cannot drift into agreeing with a backend's mistakes. The facts: UMTX_OP_WAIT 2
 * compares a u_long (64 bits), UMTX_OP_WAIT_UINT 11 and UMTX_OP_WAIT_UINT_PRIVATE 15 a u_int
 * zero-extended; UMTX_OP_WAKE 3 and UMTX_OP_WAKE_PRIVATE 16 wake up to val and return 0, never a
 * count; a value that already differs returns 0 at once, like a wake-up; -1 and errno with
 * FreeBSD's numbers: ETIMEDOUT 60, EINTR 4, EFAULT 14, EINVAL 22 (a time-out out of range, checked
 * before the word is read; an op past the table); the time-out is a bare timespec (relative) when
 * uaddr, its size, is at most 16, else a struct _umtx_time (relative, or absolute with
 * UMTX_ABSTIME 1, on CLOCK_REALTIME 0 or CLOCK_MONOTONIC 4); a zero time-out still compares; a
 * shared wake of unmapped memory is EFAULT, a private one 0.
 */
@EmulatorRun
class FreeBsdEmulatorContractTest {
    static final int UMTX_OP_WAIT = 2;
    static final int UMTX_OP_WAKE = 3;
    static final int UMTX_OP_WAIT_UINT = 11;
    static final int UMTX_OP_WAIT_UINT_PRIVATE = 15;
    static final int UMTX_OP_WAKE_PRIVATE = 16;
    static final int UMTX_ABSTIME = 1;
    static final int CLOCK_REALTIME = 0;
    static final int CLOCK_MONOTONIC = 4;
    static final int EINTR = 4;
    static final int EFAULT = 14;
    static final int EINVAL = 22;
    static final int ETIMEDOUT = 60;
    static final long UNMAPPED = 0x1000;
    static final long TIMESPEC = 16;
    static final long UMTX_TIME = 24;

    /** The emulator's exports, bound directly. */
    static final class Emulator {
        static native int _umtx_op(long obj, int op, long val, long uaddr, long uaddr2);

        static native void woa_emulator_inject_errno(int errno);

        static native int woa_emulator_injection_pending();

        static native void woa_emulator_inject_spurious(int n);

        static native long woa_emulator_last_timeout_ns();

        static native int woa_emulator_last_timeout_form();

        static native int woa_emulator_sleepers();
    }

    /** The host's clock, for absolute deadlines on Linux's CLOCK_MONOTONIC (1), which the emulator maps 4 to. */
    static final class Host {
        static native int clock_gettime(int clock, long timespec);
    }

    private final List<Memory> memories = new ArrayList<>();

    @BeforeAll
    static void bind() throws Exception {
        Native.register(Emulator.class, NativeLibrary.getInstance(NativeArtefacts.require("libwoa-freebsd.so").toString()));
        Native.register(Host.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    @AfterEach
    void free() {
        memories.forEach(Memory::close);
    }

    private long word(long value) {
        Memory m = new Memory(8);
        m.setLong(0, value);
        memories.add(m);
        return Pointer.nativeValue(m);
    }

    private long timespec(long sec, long nsec) {
        Memory m = new Memory(16);
        m.setLong(0, sec);
        m.setLong(8, nsec);
        memories.add(m);
        return Pointer.nativeValue(m);
    }

    private long umtxTime(long sec, long nsec, int flags, int clock) {
        Memory m = new Memory(24);
        m.setLong(0, sec);
        m.setLong(8, nsec);
        m.setInt(16, flags);
        m.setInt(20, clock);
        memories.add(m);
        return Pointer.nativeValue(m);
    }

    /** @return now on the host's CLOCK_MONOTONIC, in nanoseconds */
    private long monotonicNow() {
        Memory ts = new Memory(16);
        memories.add(ts);
        assertEquals(0, Host.clock_gettime(1, Pointer.nativeValue(ts)));
        return ts.getLong(0) * 1_000_000_000L + ts.getLong(8);
    }

    /** Waits until exactly {@code n} threads sleep in the emulator's wait, and a little more. */
    private static void awaitSleepers(int n) throws InterruptedException {
        Emulators.awaitCount("sleepers", Emulator::woa_emulator_sleepers, n);
        Thread.sleep(50); // from entering the call to being queued in the kernel
    }

    @Test
    void aValueThatDiffersReturnsZeroAtOnceLikeAWake() {
        long w = word(5);
        long zero = timespec(0, 0);
        for (int op : new int[] {UMTX_OP_WAIT, UMTX_OP_WAIT_UINT, UMTX_OP_WAIT_UINT_PRIVATE}) {
            assertEquals(0, Emulator._umtx_op(w, op, 6, 0, 0), "op " + op + ", no time-out: must not sleep");
            assertEquals(0, Emulator._umtx_op(w, op, 6, TIMESPEC, zero), "op " + op);
            assertEquals(ETIMEDOUT, failed(Emulator._umtx_op(w, op, 5, TIMESPEC, zero)), "op " + op + ": equal, zero time-out");
        }
        assertEquals(0, Emulator._umtx_op(w, UMTX_OP_WAKE, 1, 0, 0));
        assertEquals(0, Emulator._umtx_op(w, UMTX_OP_WAKE_PRIVATE, 1, 0, 0));
    }

    @Test
    void opsPastTheKernelsTableAreEinval() {
        long w = word(5);
        for (int op : new int[] {27, 99, 1000, -1}) {
            assertEquals(EINVAL, failed(Emulator._umtx_op(w, op, 5, 0, 0)), "op " + op);
        }
    }

    @Test
    void theUintOpsCompareThe32BitWordZeroExtendedAndWaitCompares64Bits() {
        long w = word(0x0000_0001_FFFF_FFFFL); // low half all ones, high half 1
        long zero = timespec(0, 0);
        // u_int: 0xFFFFFFFF zero-extended; a sign-extended -1 differs
        assertEquals(0, Emulator._umtx_op(w, UMTX_OP_WAIT_UINT_PRIVATE, -1L, TIMESPEC, zero), "sign-extended differs");
        assertEquals(ETIMEDOUT, failed(Emulator._umtx_op(w, UMTX_OP_WAIT_UINT_PRIVATE, 0xFFFF_FFFFL, TIMESPEC, zero)));
        assertEquals(ETIMEDOUT, failed(Emulator._umtx_op(w, UMTX_OP_WAIT_UINT, 0xFFFF_FFFFL, TIMESPEC, zero)));
        // u_long: all 64 bits
        assertEquals(0, Emulator._umtx_op(w, UMTX_OP_WAIT, 0xFFFF_FFFFL, TIMESPEC, zero), "the high half differs");
        assertEquals(ETIMEDOUT, failed(Emulator._umtx_op(w, UMTX_OP_WAIT, 0x0000_0001_FFFF_FFFFL, TIMESPEC, zero)));
    }

    @Test
    void aBareTimespecIsRelative() {
        long w = word(7);
        long start = System.nanoTime();
        assertEquals(ETIMEDOUT, failed(Emulator._umtx_op(w, UMTX_OP_WAIT_UINT_PRIVATE, 7, TIMESPEC, timespec(0, 30_000_000))));
        long took = System.nanoTime() - start;
        assertTrue(took >= 30_000_000L && took < 2_000_000_000L, "30 ms relative, took " + took + " ns");
        assertEquals(30_000_000L, Emulator.woa_emulator_last_timeout_ns());
        assertEquals(0, Emulator.woa_emulator_last_timeout_form(), "a bare timespec, relative, CLOCK_REALTIME");
    }

    @Test
    void anUmtxTimeIsRelativeOrAbsoluteOnItsClock() {
        long w = word(7);
        for (int clock : new int[] {CLOCK_MONOTONIC, CLOCK_REALTIME}) {
            long start = System.nanoTime();
            assertEquals(ETIMEDOUT, failed(Emulator._umtx_op(w, UMTX_OP_WAIT, 7, UMTX_TIME,
                    umtxTime(0, 30_000_000, 0, clock))));
            long took = System.nanoTime() - start;
            assertTrue(took >= 30_000_000L && took < 2_000_000_000L, "30 ms relative, took " + took + " ns");
            assertEquals(1 | (clock == CLOCK_MONOTONIC ? 4 : 0), Emulator.woa_emulator_last_timeout_form());
        }
        // absolute on CLOCK_MONOTONIC: now + 30 ms
        long end = monotonicNow() + 30_000_000L;
        long start = System.nanoTime();
        assertEquals(ETIMEDOUT, failed(Emulator._umtx_op(w, UMTX_OP_WAIT_UINT_PRIVATE, 7, UMTX_TIME,
                umtxTime(end / 1_000_000_000L, end % 1_000_000_000L, UMTX_ABSTIME, CLOCK_MONOTONIC))));
        long took = System.nanoTime() - start;
        assertTrue(took >= 20_000_000L && took < 2_000_000_000L, "absolute 30 ms ahead, took " + took + " ns");
        assertEquals(1 | 2 | 4, Emulator.woa_emulator_last_timeout_form());
        // absolute in the past: compares first, then times out at once
        assertEquals(0, Emulator._umtx_op(w, UMTX_OP_WAIT_UINT_PRIVATE, 8, UMTX_TIME, umtxTime(1, 0, UMTX_ABSTIME, CLOCK_MONOTONIC)));
        start = System.nanoTime();
        assertEquals(ETIMEDOUT, failed(Emulator._umtx_op(w, UMTX_OP_WAIT_UINT_PRIVATE, 7, UMTX_TIME,
                umtxTime(1, 0, UMTX_ABSTIME, CLOCK_MONOTONIC))));
        assertTrue(System.nanoTime() - start < 1_000_000_000L);
        // absolute on CLOCK_REALTIME
        long wall = System.currentTimeMillis() + 30;
        start = System.nanoTime();
        assertEquals(ETIMEDOUT, failed(Emulator._umtx_op(w, UMTX_OP_WAIT_UINT_PRIVATE, 7, UMTX_TIME,
                umtxTime(wall / 1000, (wall % 1000) * 1_000_000L, UMTX_ABSTIME, CLOCK_REALTIME))));
        assertTrue(System.nanoTime() - start < 2_000_000_000L);
    }

    @Test
    void invalidTimeOutsAreEinvalBeforeTheWordIsRead() {
        long w = word(7);
        for (long t : new long[] {timespec(-1, 0), timespec(0, 1_000_000_000L), timespec(0, -1)}) {
            assertEquals(EINVAL, failed(Emulator._umtx_op(w, UMTX_OP_WAIT_UINT_PRIVATE, 7, TIMESPEC, t)));
            assertEquals(EINVAL, failed(Emulator._umtx_op(UNMAPPED, UMTX_OP_WAIT, 0, TIMESPEC, t)), "before the word");
        }
        assertEquals(-2, Emulator.woa_emulator_last_timeout_ns());
        assertEquals(EINVAL, failed(Emulator._umtx_op(w, UMTX_OP_WAIT, 7, UMTX_TIME, umtxTime(-1, 0, 0, CLOCK_MONOTONIC))));
    }

    @Test
    void unmappedWordIsEfaultForWaitsAndSharedWakesButNotPrivateWakes() {
        for (int op : new int[] {UMTX_OP_WAIT, UMTX_OP_WAIT_UINT, UMTX_OP_WAIT_UINT_PRIVATE}) {
            assertEquals(EFAULT, failed(Emulator._umtx_op(UNMAPPED, op, 0, 0, 0)), "op " + op);
            assertEquals(EFAULT, failed(Emulator._umtx_op(UNMAPPED, op, 0, TIMESPEC, timespec(0, 0))), "op " + op);
        }
        assertEquals(0, Emulator._umtx_op(UNMAPPED, UMTX_OP_WAKE_PRIVATE, 1, 0, 0), "keyed by address: nothing to look up");
        assertEquals(EFAULT, failed(Emulator._umtx_op(UNMAPPED, UMTX_OP_WAKE, 1, 0, 0)), "keyed through the map: no entry");
    }

    @Test
    void wakesWakeUpToTheirCountAndNeverSayHowMany() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "wake counts", () -> {
            long w = word(0);
            AtomicInteger returned = new AtomicInteger();
            List<Thread> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiters.add(startWaiter(() -> {
                    if (Emulator._umtx_op(w, UMTX_OP_WAIT_UINT_PRIVATE, 0, 0, 0) == 0) {
                        returned.incrementAndGet();
                    }
                }));
            }
            awaitSleepers(3);
            assertEquals(0, Emulator._umtx_op(w, UMTX_OP_WAKE_PRIVATE, 1, 0, 0), "no count");
            awaitSleepers(2);
            assertEquals(1, returned.get(), "one woken");
            assertEquals(0, Emulator._umtx_op(w, UMTX_OP_WAKE_PRIVATE, 2, 0, 0));
            awaitSleepers(0);
            assertEquals(3, returned.get());
            assertEquals(0, Emulator._umtx_op(w, UMTX_OP_WAKE_PRIVATE, Integer.MAX_VALUE, 0, 0), "nobody: 0 too");
            for (Thread t : waiters) {
                t.join();
            }
            return null;
        });
    }

    @Test
    void sharedAndWideWaitsMeetTheirWakes() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "shared keys", () -> {
            long narrow = word(0);
            long wide = word(0x1_0000_0000L);
            Thread a = startWaiter(() -> assertEquals(0, Emulator._umtx_op(narrow, UMTX_OP_WAIT_UINT, 0, 0, 0)));
            Thread b = startWaiter(() -> assertEquals(0, Emulator._umtx_op(wide, UMTX_OP_WAIT, 0x1_0000_0000L, 0, 0)));
            awaitSleepers(2);
            assertEquals(0, Emulator._umtx_op(narrow, UMTX_OP_WAKE, Integer.MAX_VALUE, 0, 0));
            a.join(10_000);
            assertFalse(a.isAlive(), "UMTX_OP_WAKE wakes a UMTX_OP_WAIT_UINT waiter");
            // the wide word changes in its high half only; UMTX_OP_WAKE (no private variant) wakes it
            new Pointer(wide).setLong(0, 0x2_0000_0000L);
            assertEquals(0, Emulator._umtx_op(wide, UMTX_OP_WAKE, 1, 0, 0));
            b.join(10_000);
            assertFalse(b.isAlive(), "UMTX_OP_WAKE wakes a UMTX_OP_WAIT waiter");
            return null;
        });
    }

    @Test
    void aChangeOfTheHighHalfAloneEndsA64BitWaitEvenWithoutAWake() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "high half", () -> {
            long wide = word(0x1_0000_0000L);
            Thread b = startWaiter(() -> assertEquals(0, Emulator._umtx_op(wide, UMTX_OP_WAIT, 0x1_0000_0000L, 0, 0)));
            awaitSleepers(1);
            new Pointer(wide).setLong(0, 0x2_0000_0000L);
            b.join(10_000);
            assertFalse(b.isAlive(), "the 64-bit compare between slices sees the change");
            return null;
        });
    }

    @Test
    void signalsAndSpuriousReturnsAreReachableThroughTheHooks() {
        long w = word(9);
        Emulator.woa_emulator_inject_errno(EINTR);
        assertEquals(0, Emulator._umtx_op(w, UMTX_OP_WAIT_UINT_PRIVATE, 10, 0, 0), "a mismatch does not sleep, so no signal");
        assertEquals(1, Emulator.woa_emulator_injection_pending());
        assertEquals(EINTR, failed(Emulator._umtx_op(w, UMTX_OP_WAIT_UINT_PRIVATE, 9, 0, 0)));
        assertEquals(0, Emulator.woa_emulator_injection_pending(), "used once");
        Emulator.woa_emulator_inject_spurious(2);
        assertEquals(0, Emulator._umtx_op(w, UMTX_OP_WAIT, 9, 0, 0));
        assertEquals(0, Emulator._umtx_op(w, UMTX_OP_WAIT_UINT, 9, 0, 0));
        assertEquals(ETIMEDOUT, failed(Emulator._umtx_op(w, UMTX_OP_WAIT_UINT_PRIVATE, 9, TIMESPEC, timespec(0, 1_000_000))));
    }
}
