package dev.waitonaddress.openbsd;

import static dev.waitonaddress.testing.Emulators.failed;
import static dev.waitonaddress.testing.Emulators.startWaiter;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.Emulators;
import dev.waitonaddress.testing.NativeArtefacts;
import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenBSD contract emulator checked against OpenBSD's futex(2) manual and
 * {@code sys/futex.h}, calling {@code futex} directly (no backend in between), so that the emulator
 * cannot drift into agreeing with a backend's mistakes. The facts: FUTEX_WAIT 1, FUTEX_WAKE 2,
 * FUTEX_REQUEUE 3, FUTEX_PRIVATE_FLAG 128, any other op ENOSYS (78); -1 and errno with OpenBSD's
 * numbers: EAGAIN 35 when the value differs, ETIMEDOUT 60, EFAULT 14, EINVAL 22 for a timespec out
 * of range, EINTR 4 and ECANCELED 88 for signals; wake and requeue return counts; requeue takes the
 * number to move in the timeout argument and compares nothing.
 */
@EmulatorRun
class OpenBsdEmulatorContractTest {
    static final int FUTEX_WAIT = 1;
    static final int FUTEX_WAKE = 2;
    static final int FUTEX_REQUEUE = 3;
    static final int PRIVATE = 128;
    static final int EINTR = 4;
    static final int EFAULT = 14;
    static final int EINVAL = 22;
    static final int EAGAIN = 35;
    static final int ETIMEDOUT = 60;
    static final int ENOSYS = 78;
    static final int ECANCELED = 88;
    static final long UNMAPPED = 0x1000;

    /** The emulator's exports, bound directly. */
    static final class Emulator {
        static native int futex(long uaddr, int op, int val, long timeout, long uaddr2);

        static native void woa_emulator_inject_errno(int errno);

        static native int woa_emulator_injection_pending();

        static native int woa_emulator_sleepers();
    }

    private final List<Memory> memories = new ArrayList<>();

    @BeforeAll
    static void bind() throws Exception {
        Native.register(Emulator.class, NativeLibrary.getInstance(NativeArtefacts.require("libwoa-openbsd.so").toString()));
    }

    @AfterEach
    void free() {
        memories.forEach(Memory::close);
    }

    private long word(int value) {
        Memory m = new Memory(8);
        m.clear();
        m.setInt(0, value);
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

    /** Waits until at least {@code n} threads sleep in the emulator's wait, and a little more. */
    private static void awaitSleepers(int n) throws InterruptedException {
        Emulators.awaitAtLeast("sleepers", Emulator::woa_emulator_sleepers, n);
        Thread.sleep(50); // from entering the call to being queued in the kernel
    }

    @Test
    void operationNumbersAreOpenBsds() {
        long w = word(5);
        assertEquals(EAGAIN, failed(Emulator.futex(w, FUTEX_WAIT, 6, 0, 0)));
        assertEquals(EAGAIN, failed(Emulator.futex(w, FUTEX_WAIT | PRIVATE, 6, 0, 0)));
        assertEquals(0, Emulator.futex(w, FUTEX_WAKE, 1, 0, 0));
        assertEquals(0, Emulator.futex(w, FUTEX_WAKE | PRIVATE, 1, 0, 0));
        assertEquals(0, Emulator.futex(w, FUTEX_REQUEUE | PRIVATE, 1, 1, word(0)));
        for (int linuxOnly : new int[] {0, 4, 5, 9, 10, 256}) { // Linux's WAIT 0, CMP_REQUEUE, WAKE_OP, WAIT_BITSET, ...
            assertEquals(ENOSYS, failed(Emulator.futex(w, linuxOnly, 5, 0, 0)), "op " + linuxOnly);
        }
    }

    @Test
    void waitComparesFirstAndAZeroTimeOutTimesOutAtOnce() {
        long w = word(7);
        long zero = timespec(0, 0);
        assertEquals(EAGAIN, failed(Emulator.futex(w, FUTEX_WAIT | PRIVATE, 8, zero, 0)), "compare before the time-out");
        long start = System.nanoTime();
        assertEquals(ETIMEDOUT, failed(Emulator.futex(w, FUTEX_WAIT | PRIVATE, 7, zero, 0)));
        assertTrue(System.nanoTime() - start < 1_000_000_000L);
    }

    @Test
    void timeOutIsARelativeTimespec() {
        long w = word(7);
        long start = System.nanoTime();
        assertEquals(ETIMEDOUT, failed(Emulator.futex(w, FUTEX_WAIT | PRIVATE, 7, timespec(0, 30_000_000), 0)));
        long took = System.nanoTime() - start;
        assertTrue(took >= 30_000_000L && took < 2_000_000_000L, "30 ms relative, took " + took + " ns");
    }

    @Test
    void invalidTimespecsAreEinval() {
        long w = word(7);
        assertEquals(EINVAL, failed(Emulator.futex(w, FUTEX_WAIT | PRIVATE, 7, timespec(-1, 0), 0)));
        assertEquals(EINVAL, failed(Emulator.futex(w, FUTEX_WAIT | PRIVATE, 7, timespec(0, 1_000_000_000L), 0)));
        assertEquals(EINVAL, failed(Emulator.futex(w, FUTEX_WAIT | PRIVATE, 7, timespec(0, -1), 0)));
    }

    @Test
    void unmappedWordIsEfaultForWaitButWakesJustFindNobody() {
        assertEquals(EFAULT, failed(Emulator.futex(UNMAPPED, FUTEX_WAIT | PRIVATE, 0, timespec(0, 1), 0)));
        assertEquals(EFAULT, failed(Emulator.futex(UNMAPPED, FUTEX_WAIT, 0, 0, 0)));
        assertEquals(0, Emulator.futex(UNMAPPED, FUTEX_WAKE | PRIVATE, 1, 0, 0));
        assertEquals(0, Emulator.futex(UNMAPPED, FUTEX_WAKE, 1, 0, 0));
    }

    @Test
    void wakeReturnsHowManyItWokeAndRequeueMovesWithoutComparing() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "wake counts and requeue", () -> {
            long from = word(0);
            long to = word(0);
            List<Thread> waiters = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                waiters.add(startWaiter(() -> Emulator.futex(from, FUTEX_WAIT | PRIVATE, 0, 0, 0)));
            }
            awaitSleepers(4);
            assertEquals(1, Emulator.futex(from, FUTEX_WAKE | PRIVATE, 1, 0, 0));
            // requeue: wake 1, move up to 1 (the count travels in the timeout argument); no compare
            assertEquals(2, Emulator.futex(from, FUTEX_REQUEUE | PRIVATE, 1, 1, to));
            assertEquals(1, Emulator.futex(from, FUTEX_WAKE | PRIVATE, Integer.MAX_VALUE, 0, 0), "one left on from");
            assertEquals(1, Emulator.futex(to, FUTEX_WAKE | PRIVATE, Integer.MAX_VALUE, 0, 0), "one moved to to");
            assertEquals(0, Emulator.futex(to, FUTEX_WAKE | PRIVATE, Integer.MAX_VALUE, 0, 0));
            for (Thread t : waiters) {
                t.join();
            }
            return null;
        });
    }

    @Test
    void signalsAreReachableThroughTheHookAsEintrAndEcanceled() {
        long w = word(9);
        for (int errno : new int[] {EINTR, ECANCELED}) {
            Emulator.woa_emulator_inject_errno(errno);
            assertEquals(EAGAIN, failed(Emulator.futex(w, FUTEX_WAIT | PRIVATE, 10, 0, 0)), "a mismatch does not sleep, so no signal");
            assertEquals(1, Emulator.woa_emulator_injection_pending());
            assertEquals(errno, failed(Emulator.futex(w, FUTEX_WAIT | PRIVATE, 9, 0, 0)));
            assertEquals(0, Emulator.woa_emulator_injection_pending(), "used once");
            assertEquals(ETIMEDOUT, failed(Emulator.futex(w, FUTEX_WAIT | PRIVATE, 9, timespec(0, 1_000_000), 0)));
        }
    }
}
