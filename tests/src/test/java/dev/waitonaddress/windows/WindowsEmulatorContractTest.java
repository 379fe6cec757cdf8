package dev.waitonaddress.windows;

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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Windows contract emulator checked against Microsoft's documentation of
 * {@code WaitOnAddress} / {@code WakeByAddressSingle} / {@code WakeByAddressAll}, calling its
 * exports directly (no backend in between), so that the emulator cannot drift into agreeing with
 * a backend's mistakes. The facts: sizes 1, 2, 4, 8 else FALSE + ERROR_INVALID_PARAMETER (87);
 * milliseconds, INFINITE = 0xFFFFFFFF; TRUE when the values differ, when woken, and on spurious
 * wake-ups; FALSE + ERROR_TIMEOUT (1460) on time-out; a wake never reads the memory and wakes
 * waiters of exactly that address. ERROR_NOACCESS (998) for an unreadable address is the
 * emulator's documented stand-in for Windows' access violation.
 */
@EmulatorRun
class WindowsEmulatorContractTest {
    static final int TRUE = 1;
    static final int FALSE = 0;
    static final int INFINITE = 0xFFFF_FFFF;
    static final int ERROR_INVALID_PARAMETER = 87;
    static final int ERROR_NOACCESS = 998;
    static final int ERROR_TIMEOUT = 1460;
    static final long UNMAPPED = 0x1000;

    /** The emulator's exports, bound directly. */
    static final class Emulator {
        static native int WaitOnAddress(long address, long compareAddress, long size, int milliseconds);

        static native void WakeByAddressSingle(long address);

        static native void WakeByAddressAll(long address);

        static native int GetLastError();

        static native void woa_emulator_inject_spurious_wake();

        static native void woa_emulator_inject_error(int code);

        static native int woa_emulator_last_milliseconds();

        static native int woa_emulator_waiters(long address);
    }

    private final List<Memory> memories = new ArrayList<>();

    @BeforeAll
    static void bind() throws Exception {
        Native.register(Emulator.class, NativeLibrary.getInstance(NativeArtefacts.require("libwoa-windows.so").toString()));
    }

    @AfterEach
    void free() {
        memories.forEach(Memory::close);
    }

    private long word(long value) {
        Memory m = new Memory(16);
        m.clear();
        m.setLong(0, value);
        memories.add(m);
        return Pointer.nativeValue(m);
    }

    private static void awaitWaiters(long address, int n) throws InterruptedException {
        Emulators.awaitCount("waiters", () -> Emulator.woa_emulator_waiters(address), n);
    }

    @Test
    void sizesOtherThanOneTwoFourEightAreInvalidParameters() {
        long a = word(0);
        long c = word(0);
        for (long size : new long[] {0, 3, 5, 6, 7, 9, 16, -1}) {
            assertEquals(FALSE, Emulator.WaitOnAddress(a, c, size, 0), "size " + size);
            assertEquals(ERROR_INVALID_PARAMETER, Native.getLastError(), "size " + size);
        }
    }

    @Test
    void differingValuesReturnTrueAtOnceEvenWithInfinite() {
        for (long size : new long[] {1, 2, 4, 8}) {
            long a = word(0x0102_0304_0506_0708L);
            long c = word(0x0102_0304_0506_0709L); // differs in the lowest byte
            long start = System.nanoTime();
            assertEquals(TRUE, Emulator.WaitOnAddress(a, c, size, INFINITE), "size " + size);
            assertTrue(System.nanoTime() - start < 1_000_000_000L);
        }
    }

    @Test
    void onlyTheFirstSizeBytesAreCompared() {
        long a = word(0x7f7f_7f7f_7f7f_7f05L);
        for (long size : new long[] {1, 2, 4}) {
            long mask = (1L << (8 * size)) - 1;
            long c = word(0x7f7f_7f7f_7f7f_7f05L & mask); // the bytes beyond size are 0 here
            assertEquals(FALSE, Emulator.WaitOnAddress(a, c, size, 0), "size " + size);
            assertEquals(ERROR_TIMEOUT, Native.getLastError());
        }
    }

    @Test
    void zeroMillisecondsComparesAndTimesOutAtOnce() {
        long a = word(42);
        long c = word(42);
        long start = System.nanoTime();
        assertEquals(FALSE, Emulator.WaitOnAddress(a, c, 4, 0));
        assertEquals(ERROR_TIMEOUT, Native.getLastError());
        assertEquals(ERROR_TIMEOUT, Emulator.GetLastError(), "GetLastError agrees with errno");
        assertTrue(System.nanoTime() - start < 1_000_000_000L);
    }

    @Test
    void timeOutIsInMillisecondsAndNeverEarly() {
        long a = word(1);
        long c = word(1);
        long start = System.nanoTime();
        assertEquals(FALSE, Emulator.WaitOnAddress(a, c, 8, 30));
        long took = System.nanoTime() - start;
        assertEquals(ERROR_TIMEOUT, Native.getLastError());
        assertTrue(took >= 30_000_000L, "30 ms, returned after " + took + " ns");
        assertTrue(took < 2_000_000_000L, "milliseconds, not seconds: " + took + " ns");
        assertEquals(30, Emulator.woa_emulator_last_milliseconds());
    }

    @Test
    void infiniteSleepsUntilWokenAndWakeSingleWakesExactlyOne() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "wake single / all", () -> {
            long a = word(0);
            long c = word(0);
            AtomicInteger returnedTrue = new AtomicInteger();
            List<Thread> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiters.add(startWaiter(() -> {
                    if (Emulator.WaitOnAddress(a, c, 1, INFINITE) == TRUE) {
                        returnedTrue.incrementAndGet();
                    }
                }));
            }
            awaitWaiters(a, 3);
            Thread.sleep(50);
            assertEquals(0, returnedTrue.get(), "INFINITE sleeps");
            Emulator.WakeByAddressSingle(a);
            awaitWaiters(a, 2);
            long until = System.nanoTime() + 10_000_000_000L;
            while (returnedTrue.get() < 1 && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            Thread.sleep(50);
            assertEquals(1, returnedTrue.get(), "WakeByAddressSingle woke exactly one, which returned TRUE");
            Emulator.WakeByAddressAll(a);
            for (Thread t : waiters) {
                t.join();
            }
            assertEquals(3, returnedTrue.get());
            return null;
        });
    }

    @Test
    void wakesReachOnlyWaitersOfThatExactAddress() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "exact addresses", () -> {
            Memory m = new Memory(16);
            m.clear();
            memories.add(m);
            long byte0 = Pointer.nativeValue(m);
            long byte1 = byte0 + 1; // same 4-byte word, another address
            long c = word(0);
            Thread waiter = startWaiter(() -> Emulator.WaitOnAddress(byte1, c, 1, INFINITE));
            awaitWaiters(byte1, 1);
            Emulator.WakeByAddressAll(byte0);
            Emulator.WakeByAddressSingle(byte0);
            Thread.sleep(50);
            assertEquals(1, Emulator.woa_emulator_waiters(byte1), "a wake of the neighbouring byte must not wake it");
            Emulator.WakeByAddressSingle(byte1);
            waiter.join();
            return null;
        });
    }

    @Test
    void wakesNeverTouchTheMemory() {
        Memory m = new Memory(8);
        long freed = Pointer.nativeValue(m);
        m.close();
        Emulator.WakeByAddressSingle(freed);
        Emulator.WakeByAddressAll(freed);
        Emulator.WakeByAddressSingle(UNMAPPED);
        Emulator.WakeByAddressAll(UNMAPPED);
    }

    @Test
    void unreadableAddressFailsWithNoAccessInsteadOfCrashing() {
        long c = word(0);
        for (long size : new long[] {1, 2, 4, 8}) {
            assertEquals(FALSE, Emulator.WaitOnAddress(UNMAPPED, c, size, 0));
            assertEquals(ERROR_NOACCESS, Native.getLastError());
            assertEquals(FALSE, Emulator.WaitOnAddress(c, UNMAPPED, size, INFINITE), "unreadable CompareAddress");
            assertEquals(ERROR_NOACCESS, Native.getLastError());
        }
    }

    @Test
    void hooksMakeSpuriousWakesAndErrorsReachable() {
        long a = word(3);
        long c = word(3);
        Emulator.woa_emulator_inject_spurious_wake();
        assertEquals(TRUE, Emulator.WaitOnAddress(a, c, 4, INFINITE), "a spurious wake-up is TRUE with the value unchanged");
        Emulator.woa_emulator_inject_error(ERROR_INVALID_PARAMETER);
        assertEquals(FALSE, Emulator.WaitOnAddress(a, c, 4, INFINITE));
        assertEquals(ERROR_INVALID_PARAMETER, Native.getLastError());
        assertEquals(FALSE, Emulator.WaitOnAddress(a, c, 4, 1), "each injection is used once");
        assertEquals(ERROR_TIMEOUT, Native.getLastError());
    }
}
