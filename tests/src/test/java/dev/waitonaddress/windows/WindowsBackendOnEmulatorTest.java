package dev.waitonaddress.windows;

import static dev.waitonaddress.testing.Emulators.startWaiter;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitOnAddressException;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.Emulators;
import dev.waitonaddress.testing.NativeArtefacts;
import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the {@code windows} backend passes to and makes of {@code WaitOnAddress}, seen through the
 * contract emulator's hooks: the milliseconds it passes (rounded up, INFINITE only without a
 * time-out, capped below INFINITE), how it reads TRUE (re-checked: MISMATCH or WOKEN) and FALSE
 * (ERROR_TIMEOUT, or an exception naming the Win32 error), and {@code wake(n)}.
 */
@EmulatorRun
class WindowsBackendOnEmulatorTest {
    static final int INFINITE = 0xFFFF_FFFF;
    static final long MAX_FINITE = 0xFFFF_FFFEL;

    /** The emulator's test hooks, bound directly (the same loaded library as the backend's). */
    static final class Hooks {
        static native void woa_emulator_inject_spurious_wake();

        static native void woa_emulator_inject_error(int code);

        static native int woa_emulator_last_milliseconds();

        static native int woa_emulator_waiters(long address);

        static native long woa_emulator_calls();
    }

    private WaitOnAddress woa;
    private final List<Memory> memories = new ArrayList<>();

    @BeforeAll
    static void bind() throws Exception {
        Native.register(Hooks.class, NativeLibrary.getInstance(NativeArtefacts.require("libwoa-windows.so").toString()));
    }

    @BeforeEach
    void backend() {
        woa = Emulators.boundBackend("windows");
    }

    @AfterEach
    void free() {
        memories.forEach(Memory::close);
    }

    private Memory word() {
        Memory m = new Memory(16);
        m.clear();
        memories.add(m);
        return m;
    }

    private static void awaitWaiters(Pointer p, int n) throws InterruptedException {
        Emulators.awaitCount("waiters", () -> Hooks.woa_emulator_waiters(Pointer.nativeValue(p)), n);
    }

    @Test
    void capabilitiesSayWhatWindowsDoes() {
        Capabilities c = woa.capabilities();
        assertEquals(EnumSet.allOf(Width.class), c.nativeWidths());
        assertFalse(c.shared(), "WaitOnAddress is process-local");
        assertFalse(c.wakeCountReported(Width.INT32));
        assertFalse(c.requeue());
        assertFalse(c.wakeOp());
        assertEquals(100, woa.priority());
    }

    @Test
    void pollsPassZeroAndSubMillisecondTimeOutsRoundUp() throws Exception {
        Memory m = word();
        assertEquals(WaitResult.TIMED_OUT, woa.await(m, Width.INT32, 0, Scope.PRIVATE, 0, TimeUnit.SECONDS));
        assertEquals(0, Hooks.woa_emulator_last_milliseconds(), "a poll goes through WaitOnAddress with 0 ms");
        for (int i = 0; i < 5; i++) {
            long calls = Hooks.woa_emulator_calls();
            long start = System.nanoTime();
            assertEquals(WaitResult.TIMED_OUT, woa.await(m, Width.INT16, 0, Scope.PRIVATE, 500, TimeUnit.MICROSECONDS));
            assertTrue(System.nanoTime() - start >= 500_000L, "never early");
            // rounded up, 500 us is one call of 1 ms (or of 0 ms if this thread was held up past the deadline);
            // rounded down, it would be 0-ms polls in a loop until the deadline
            assertEquals(1, Hooks.woa_emulator_calls() - calls, "one WaitOnAddress call for 500 us");
            assertTrue(Hooks.woa_emulator_last_milliseconds() <= 1);
        }
    }

    @Test
    void untimedWaitsPassInfiniteAndLongTimeOutsStayBelowIt() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "INFINITE and capped time-outs", () -> {
            Memory m = word();
            for (long[] c : new long[][] {{-1, 0}, {60, TimeUnit.DAYS.ordinal()}, {50, TimeUnit.DAYS.ordinal()},
                    {Long.MAX_VALUE / 2, TimeUnit.NANOSECONDS.ordinal()}}) {
                boolean timed = c[0] >= 0;
                TimeUnit unit = TimeUnit.values()[(int) c[1]];
                AtomicReference<Object> result = new AtomicReference<>();
                Thread waiter = startWaiter(() -> {
                    try {
                        result.set(timed ? woa.await(m, Width.INT64, 0, Scope.PRIVATE, c[0], unit)
                                : woa.await(m, Width.INT64, 0, Scope.PRIVATE));
                    } catch (Throwable e) {
                        result.set(e);
                    }
                });
                awaitWaiters(m, 1);
                int ms = Hooks.woa_emulator_last_milliseconds();
                if (timed) {
                    assertEquals(MAX_FINITE, Integer.toUnsignedLong(ms), c[0] + " " + unit + " must not become INFINITE");
                } else {
                    assertEquals(INFINITE, ms);
                }
                waiter.interrupt();
                waiter.join();
                assertTrue(result.get() instanceof InterruptedException, String.valueOf(result.get()));
            }
            return null;
        });
    }

    @Test
    void trueIsRecheckedMismatchAtTheCallIsNeverAWake() throws Exception {
        for (Width w : Width.values()) {
            Memory m = word();
            m.setLong(0, -1);
            assertEquals(WaitResult.MISMATCH, woa.await(m, w, 0, Scope.PRIVATE), w.toString());
            assertEquals(WaitResult.MISMATCH, woa.await(m, w, 0, Scope.PRIVATE, 1, TimeUnit.HOURS), w.toString());
            // equal in the signed and the unsigned form
            long unsigned = w == Width.INT64 ? -1 : w.maxValue();
            assertEquals(WaitResult.TIMED_OUT, woa.await(m, w, unsigned, Scope.PRIVATE, 0, TimeUnit.SECONDS), w.toString());
        }
    }

    @Test
    void aSpuriousTrueWithTheValueUnchangedIsWoken() throws Exception {
        Memory m = word();
        m.setShort(0, (short) 0x1234);
        Hooks.woa_emulator_inject_spurious_wake();
        assertEquals(WaitResult.WOKEN, woa.await(m, Width.INT16, 0x1234, Scope.PRIVATE, 10, TimeUnit.SECONDS));
    }

    @Test
    void otherLastErrorsBecomeExceptionsNamingTheWin32Code() {
        Memory m = word();
        Hooks.woa_emulator_inject_error(87);
        WaitOnAddressException e = assertThrows(WaitOnAddressException.class,
                () -> woa.await(m, Width.INT8, 0, Scope.PRIVATE, 10, TimeUnit.SECONDS));
        assertEquals("windows", e.backend());
        assertEquals(87, e.errorCode());
        assertEquals("ERROR_INVALID_PARAMETER", e.errorName());
        Hooks.woa_emulator_inject_error(0);
    }

    @Test
    void unreadableWordIsAnErrorWithTheEmulator() {
        // real Windows raises an access violation here (the backend's javadoc); the emulator says ERROR_NOACCESS
        for (Width w : Width.values()) {
            WaitOnAddressException e = assertThrows(WaitOnAddressException.class,
                    () -> woa.await(new Pointer(0x1000), w, 0, Scope.PRIVATE, 0, TimeUnit.SECONDS));
            assertEquals(998, e.errorCode());
            assertEquals("ERROR_NOACCESS", e.errorName());
        }
    }

    @Test
    void wakeOfNWakesExactlyNAndCountsAreUnknown() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "wake(3) of 5", () -> {
            Memory m = word();
            List<Thread> waiters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waiters.add(startWaiter(() -> {
                    try {
                        woa.await(m, Width.INT32, 0, Scope.PRIVATE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            awaitWaiters(m, 5);
            assertEquals(WaitOnAddress.COUNT_UNKNOWN, woa.wake(m, Width.INT32, Scope.PRIVATE, 3));
            awaitWaiters(m, 2);
            Thread.sleep(50);
            assertEquals(2, Hooks.woa_emulator_waiters(Pointer.nativeValue(m)), "exactly three woken");
            assertEquals(WaitOnAddress.COUNT_UNKNOWN, woa.wakeAll(m, Width.INT32, Scope.PRIVATE));
            for (Thread t : waiters) {
                t.join(); // WOKEN with the value unchanged: each returns once
            }
            return null;
        });
    }

    /**
     * A large n that is not {@code ALL} (e.g. {@code Integer.MAX_VALUE - 1}) with nobody waiting must
     * not become billions of WakeByAddressSingle calls (minutes on Windows, a quarter of an hour on
     * the emulator): a wake must not hang.
     */
    @Test
    void aHugeWakeCountWithNobodyWaitingReturnsPromptly() {
        Memory m = word();
        long start = System.nanoTime();
        woa.wake(m, Width.INT32, Scope.PRIVATE, Integer.MAX_VALUE - 1);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms < 5_000, "wake(Integer.MAX_VALUE - 1) with nobody waiting took " + ms + " ms");
    }

    /**
     * Four pairs pass tokens on four neighbouring bytes of one 4-byte word (and two pairs on the
     * halves of one 4-byte word as INT16), waking with wakeOne: an emulator or backend that mixed
     * up neighbours (one futex word for the containing word, say) would lose wake-ups here.
     */
    @Test
    void neighbouringSubWordWaitersNeverStealEachOthersWakeUps() throws Exception {
        int rounds = Integer.getInteger("woa.stress.rounds", 2_000);
        for (Width w : new Width[] {Width.INT8, Width.INT16}) {
            Watchdog.run(Duration.ofSeconds(60), "neighbours " + w, () -> {
                Memory m = word();
                int pairs = 4 / w.bytes();
                List<Thread> threads = new ArrayList<>();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                for (int p = 0; p < pairs; p++) {
                    Pointer slot = m.share((long) p * w.bytes());
                    for (int side = 0; side < 2; side++) {
                        int mine = side;
                        threads.add(startWaiter(() -> {
                            try {
                                for (int i = 0; i < rounds; i++) {
                                    long v;
                                    while ((v = slot.getByte(0)) != mine) {
                                        woa.await(slot, w, v, Scope.PRIVATE);
                                    }
                                    if (w == Width.INT8) {
                                        slot.setByte(0, (byte) (1 - mine));
                                    } else {
                                        slot.setShort(0, (short) (1 - mine));
                                    }
                                    woa.wakeOne(slot, w, Scope.PRIVATE);
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
        }
    }

    @Test
    void sharedScopeIsRefusedNamingTheBackend() {
        Memory m = word();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> woa.await(m, Width.INT32, 0, Scope.SHARED, 0, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("windows") && e.getMessage().contains("SHARED"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> woa.wakeAll(m, Width.INT8, Scope.SHARED));
    }
}
