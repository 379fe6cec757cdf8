package dev.waitonaddress.macos;

import static dev.waitonaddress.macos.DarwinEmulator.*;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.Emulators;
import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ulock contract emulator against xnu ({@code bsd/sys/ulock.h}, {@code bsd/kern/sys_ulock.c}):
 * opcodes, flag masks, {@code ULF_NO_ERRNO}, microsecond and nanosecond time-outs with 0 meaning
 * forever, the zero-extended 4-byte compare, ENOENT for a wake of nobody, macOS errno numbers.
 * Constants are written here from xnu, not taken from the emulator.
 */
@EmulatorRun
class MacOsUlockEmulatorContractTest {
    static final int UL_COMPARE_AND_WAIT = 1;
    static final int UL_UNFAIR_LOCK = 2;
    static final int UL_COMPARE_AND_WAIT_SHARED = 3;
    static final int UL_COMPARE_AND_WAIT64 = 5;
    static final int UL_COMPARE_AND_WAIT64_SHARED = 6;
    static final int ULF_WAKE_ALL = 0x100;
    static final int ULF_WAIT_WORKQ_DATA_CONTENTION = 0x10000;
    static final int ULF_NO_ERRNO = 0x0100_0000;
    static final int[] WAIT_OPS = {UL_COMPARE_AND_WAIT, UL_COMPARE_AND_WAIT_SHARED, UL_COMPARE_AND_WAIT64,
        UL_COMPARE_AND_WAIT64_SHARED};

    DarwinEmulator os;
    Memory mem;
    Pointer word;

    @BeforeEach
    void load() throws Exception {
        os = DarwinEmulator.load("libwoa-macos-ulock.so");
        mem = new Memory(64);
        mem.clear();
        word = new Pointer((Pointer.nativeValue(mem) + 15) & ~15L);
    }

    @AfterEach
    void free() {
        mem.close();
    }

    Result waitMicros(int op, Pointer p, long value, int micros) {
        return os.call("__ulock_wait", op, p, value, micros);
    }

    Result waitNanos(int op, Pointer p, long value, long nanos) {
        return os.call("__ulock_wait2", op, p, value, nanos, 0L);
    }

    Result wake(int op, Pointer p) {
        return os.call("__ulock_wake", op, p, 0L);
    }

    static void assertError(int errno, Result r) {
        assertEquals(-1, r.value, "returns -1 on error: " + r);
        assertEquals(errno, r.errno, "errno: " + r);
    }

    @Test
    void exportsTheThreeFunctionsAndTheOldSystemLacksWait2() throws Exception {
        for (String s : new String[] {"__ulock_wait", "__ulock_wait2", "__ulock_wake"}) {
            assertTrue(os.exports(s), s);
        }
        DarwinEmulator old = DarwinEmulator.load("libwoa-macos-ulock-10.15.so");
        assertTrue(old.exports("__ulock_wait"));
        assertTrue(old.exports("__ulock_wake"));
        assertFalse(old.exports("__ulock_wait2"), "macOS 10.15 has no __ulock_wait2");
    }

    @Test
    void errorsComeAsMinusOneAndErrnoOrWithUlfNoErrnoAsMinusErrno() {
        assertError(EINVAL, waitMicros(0, word, 0, 1));
        assertEquals(-EINVAL, waitMicros(ULF_NO_ERRNO, word, 0, 1).value);
        assertError(ETIMEDOUT, waitMicros(UL_COMPARE_AND_WAIT, word, 0, 1));
        Result r = waitMicros(UL_COMPARE_AND_WAIT | ULF_NO_ERRNO, word, 0, 1);
        assertEquals(-ETIMEDOUT, r.value, "ULF_NO_ERRNO: " + r);
        assertNotEquals(-LINUX_ETIMEDOUT, r.value, "a host errno leaked");
        assertError(ENOENT, wake(UL_COMPARE_AND_WAIT, word));
        assertEquals(-ENOENT, wake(UL_COMPARE_AND_WAIT | ULF_NO_ERRNO, word).value);
    }

    @Test
    void unknownOpcodesBadFlagsNullAndMisalignedAddressesAreEinval() {
        int e = ULF_NO_ERRNO;
        for (int op : new int[] {0, UL_UNFAIR_LOCK, 4, 7, 255}) {
            assertEquals(-EINVAL, waitNanos(op | e, word, 0, 1).value, "opcode " + op);
            assertEquals(-EINVAL, wake(op | e, word).value, "opcode " + op);
        }
        assertEquals(-EINVAL, waitNanos(UL_COMPARE_AND_WAIT | ULF_WAKE_ALL | e, word, 0, 1).value, "a wake flag");
        assertEquals(-EINVAL, wake(UL_COMPARE_AND_WAIT | ULF_WAIT_WORKQ_DATA_CONTENTION | e, word).value,
                "a wait flag");
        assertEquals(-ETIMEDOUT, waitNanos(UL_COMPARE_AND_WAIT | ULF_WAIT_WORKQ_DATA_CONTENTION | e, word, 0, 1)
                .value, "a wait flag is fine on a wait");
        assertEquals(-EINVAL, waitNanos(UL_COMPARE_AND_WAIT | e, Pointer.NULL, 0, 1).value);
        assertEquals(-EINVAL, wake(UL_COMPARE_AND_WAIT | e, Pointer.NULL).value);
        assertEquals(-EINVAL, waitNanos(UL_COMPARE_AND_WAIT | e, word.share(2), 0, 1).value);
        assertEquals(-EINVAL, waitNanos(UL_COMPARE_AND_WAIT64 | e, word.share(4), 0, 1).value);
    }

    @Test
    void aFourByteWordIsZeroExtendedAndComparedWithAllSixtyFourBits() {
        int op = UL_COMPARE_AND_WAIT | ULF_NO_ERRNO;
        word.setInt(0, -1);
        assertEquals(0, waitNanos(op, word, -1L, 0).value, "sign-extended -1 differs: returns at once, no sleep");
        assertEquals(-ETIMEDOUT, waitNanos(op, word, 0xffff_ffffL, 1_000_000).value, "zero-extended is equal");
        word.setLong(0, 0x7f7f_7f7f_0000_0000L);
        assertEquals(-ETIMEDOUT, waitNanos(op, word, 0, 1_000_000).value, "only 4 bytes are read");
    }

    @Test
    void waitTimeOutsAreMicrosecondsAndWait2TimeOutsNanoseconds() {
        for (int op : WAIT_OPS) {
            long start = System.nanoTime();
            assertEquals(-ETIMEDOUT, waitMicros(op | ULF_NO_ERRNO, word, 0, 30_000).value);
            long took = System.nanoTime() - start;
            assertTrue(took >= 30_000_000L && took < 5_000_000_000L, "30000 us took " + took + " ns");

            start = System.nanoTime();
            assertEquals(-ETIMEDOUT, waitNanos(op | ULF_NO_ERRNO, word, 0, 30_000_000L).value);
            took = System.nanoTime() - start;
            assertTrue(took >= 30_000_000L && took < 5_000_000_000L, "30000000 ns took " + took + " ns");
        }
    }

    @Test
    void zeroTimeOutsWaitForever() throws Exception {
        for (boolean micros : new boolean[] {true, false}) {
            for (int op : WAIT_OPS) {
                Watchdog.run(Duration.ofSeconds(20), "forever " + op, () -> {
                    AtomicReference<Result> out = new AtomicReference<>();
                    Thread t = new Thread(() -> out.set(micros
                            ? waitMicros(op | ULF_NO_ERRNO, word, 0, 0)
                            : waitNanos(op | ULF_NO_ERRNO, word, 0, 0)));
                    t.setDaemon(true);
                    t.start();
                    awaitWaiters(op, 1);
                    Thread.sleep(100);
                    assertNull(out.get(), "a zero time-out is no time-out");
                    assertEquals(0, wake(op | ULF_NO_ERRNO, word).value);
                    t.join();
                    assertEquals(0, out.get().value, "woken, nobody left");
                    return null;
                });
            }
        }
    }

    @Test
    void wakeAllWakesEveryWaiterAndAPlainWakeOne() throws Exception {
        for (int op : WAIT_OPS) {
            Watchdog.run(Duration.ofSeconds(20), "wake " + op, () -> {
                AtomicReference<Result> a = new AtomicReference<>();
                AtomicReference<Result> b = new AtomicReference<>();
                AtomicReference<Result> c = new AtomicReference<>();
                Thread[] ts = {waiter(op, a), waiter(op, b), waiter(op, c)};
                awaitWaiters(op, 3);
                assertEquals(0, wake(op | ULF_NO_ERRNO, word).value);
                long until = System.nanoTime() + 10_000_000_000L;
                while (a.get() == null && b.get() == null && c.get() == null && System.nanoTime() < until) {
                    Thread.sleep(1);
                }
                Thread.sleep(100);
                int returned = (a.get() != null ? 1 : 0) + (b.get() != null ? 1 : 0) + (c.get() != null ? 1 : 0);
                assertEquals(1, returned, "a wake without ULF_WAKE_ALL wakes one");
                assertEquals(0, wake(op | ULF_NO_ERRNO | ULF_WAKE_ALL, word).value);
                for (Thread t : ts) {
                    t.join();
                }
                assertEquals(-ENOENT, wake(op | ULF_NO_ERRNO | ULF_WAKE_ALL, word).value, "nobody left");
                return null;
            });
        }
    }

    @Test
    void unmappedWordsFaultPrivatelyAndHaveNoObjectShared() {
        Pointer unmapped = new Pointer(UNMAPPED);
        int e = ULF_NO_ERRNO;
        assertEquals(-EFAULT, waitNanos(UL_COMPARE_AND_WAIT | e, unmapped, 0, 1).value);
        assertEquals(-EFAULT, waitNanos(UL_COMPARE_AND_WAIT64 | e, unmapped, 0, 1).value);
        assertEquals(-EINVAL, waitNanos(UL_COMPARE_AND_WAIT_SHARED | e, unmapped, 0, 1).value);
        assertEquals(-EINVAL, waitNanos(UL_COMPARE_AND_WAIT64_SHARED | e, unmapped, 0, 1).value);
        assertEquals(-ENOENT, wake(UL_COMPARE_AND_WAIT | e, unmapped).value, "a private wake reads nothing");
        assertEquals(-EINVAL, wake(UL_COMPARE_AND_WAIT_SHARED | e, unmapped).value, "no backing object");
    }

    /**
     * Waits until {@code n} threads wait on the word: a wait for a value it does not hold returns
     * at once with the number of waiters (xnu's {@code ull_nwaiters} after leaving).
     */
    private void awaitWaiters(int op, int n) throws InterruptedException {
        Emulators.awaitCount("waiters", () -> waitNanos(op | ULF_NO_ERRNO, word, 12345, 0).value, n);
    }

    private Thread waiter(int op, AtomicReference<Result> out) {
        Thread t = new Thread(() -> out.set(waitNanos(op | ULF_NO_ERRNO, word, 0, 0)));
        t.setDaemon(true);
        t.start();
        return t;
    }
}
