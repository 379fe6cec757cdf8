package dev.waitonaddress.windows;

import static dev.waitonaddress.windows.WindowsSynch.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.Width;
import dev.waitonaddress.spi.AbstractWaitOnAddress;
import dev.waitonaddress.spi.Outcome;

/**
 * The {@code windows} backend: {@code WaitOnAddress} / {@code WakeByAddressSingle} /
 * {@code WakeByAddressAll} (Windows 8+), for 1-, 2-, 4- and 8-byte words, in-process only.
 *
 * <ul>
 * <li><b>Scope.</b> Windows' address waits are process-local, so {@link Scope#SHARED} is refused
 *     ({@code capabilities().shared()} is false) with {@link UnsupportedOperationException}.
 * <li><b>Time-outs</b> go to Windows in whole milliseconds, rounded up from the nanoseconds left
 *     (so never early); {@code INFINITE} means no time-out. A time-out of 2<sup>32</sup>-1 ms or
 *     more would read as {@code INFINITE}, so each call sleeps at most
 *     {@code 0xFFFFFFFE} ms (about 49.7 days) and the policy calls again until the deadline. A
 *     poll passes 0 ms: Windows still compares.
 * <li><b>Results.</b> {@code WaitOnAddress} returns TRUE when woken, when woken spuriously, and
 *     when the value already differed; it does not say which. After TRUE the backend reads the
 *     word once more: a value other than {@code expected} is reported as {@link WaitResult#MISMATCH}
 *     (it did differ, at the call or after a wake: either way the caller re-checks), an equal
 *     value as {@link WaitResult#WOKEN} (a wake whose change was undone, or a spurious one). So a
 *     value that differs at the call is never reported as a sleep. FALSE with
 *     {@code ERROR_TIMEOUT} is a time-out; any other error is a {@link
 *     dev.waitonaddress.WaitOnAddressException} with the Win32 code.
 * <li><b>Wake counts</b> are unknown: {@code wake} returns {@link WaitOnAddress#COUNT_UNKNOWN}.
 *     {@code wake(n)} calls {@code WakeByAddressSingle} n times for 1 &lt; n &lt;
 *     {@link WaitOnAddress#ALL} (each wakes at most one waiter; calls beyond the number of waiters
 *     wake nobody; the cost grows with n), and {@code WakeByAddressAll} once for {@code ALL}.
 * <li><b>Memory.</b> The expected value is written to per-thread scratch memory (no allocation
 *     per call) whose address Windows compares with. {@code wake} never touches the word.
 *     Windows reads the word itself, but an unreadable address raises an access violation there,
 *     which kills the JVM unless JNA's protected mode is on: a readable address is the caller's
 *     duty, as for every emulated width. (The contract emulator used in tests answers
 *     {@code ERROR_NOACCESS} instead, which surfaces as a {@code WaitOnAddressException}.)
 * <li><b>Binding.</b> {@code -Ddev.waitonaddress.windows.library=PATH} binds a stand-in library
 *     with the same three exports and makes the backend available on any 64-bit OS; without it,
 *     the backend is available on 64-bit Windows only and {@link #unavailabilityCause()} says why
 *     not.
 * </ul>
 * {@code awaitAny} is emulated in-process; {@code requeue} and {@code wakeOp} are refused.
 */
public final class WindowsWaitOnAddress extends AbstractWaitOnAddress {
    /** The priority: a native backend. */
    public static final int PRIORITY = 100;

    private static final Throwable UNAVAILABILITY = probe();

    /** Per-thread scratch: the comparand Windows reads, and a view for re-reading the word. */
    private static final class Scratch {
        final Memory comparand = new Memory(8);
        final Pointer view = new Pointer(0);
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final Capabilities capabilities = Capabilities.builder()
            .nativeWidths(Width.INT8, Width.INT16, Width.INT32, Width.INT64)
            .shared(false)
            .awaitAny(Capabilities.Support.EMULATED, 1024)
            .wakeCountReported(false)
            .nativeAbsoluteDeadlines(false)
            .build();

    /** Made by {@link java.util.ServiceLoader}. */
    public WindowsWaitOnAddress() {
        super("windows", PRIORITY, UNAVAILABILITY);
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** @return the name, and what it is bound to (the API set, or an override's path) or why it is unavailable */
    @Override
    public String toString() {
        return isAvailable() ? name() + " (bound to " + BOUND + ")" : super.toString();
    }

    /** Binds the library and makes one harmless call: a wake of a word nobody waits on. */
    private static Throwable probe() {
        try (Memory word = new Memory(8)) {
            WakeByAddressSingle(Pointer.nativeValue(word));
            return null;
        } catch (ExceptionInInitializerError e) { // the binding refused: no Windows, no library
            return e.getCause() != null ? e.getCause() : e;
        } catch (Throwable t) { // no JNA native library, a missing export
            return t;
        }
    }

    @Override
    protected Outcome waitNative(long address, Width width, long expected, Scope scope, boolean timed,
            long deadlineNanoTime) {
        Scratch s = SCRATCH.get();
        write(s.comparand, width, expected);
        int milliseconds = timed ? milliseconds(remainingNanos(deadlineNanoTime)) : INFINITE;
        int r = WaitOnAddress(address, Pointer.nativeValue(s.comparand), width.bytes(), milliseconds);
        if (r != 0) {
            Pointer.nativeValue(s.view, address);
            return sameBits(read(s.view, width), expected, width) ? Outcome.WOKEN : Outcome.MISMATCH;
        }
        return waitFailure(Native.getLastError());
    }

    /** Every last error a FALSE from {@code WaitOnAddress} can carry, with what it means here. */
    private Outcome waitFailure(int error) {
        switch (error) {
            case ERROR_TIMEOUT: return Outcome.TIMED_OUT; // the time-out elapsed (the policy re-checks the deadline)
            case ERROR_INVALID_PARAMETER:                 // a size other than 1, 2, 4, 8: checked before, a bug
            case ERROR_NOACCESS:                          // unreadable word (the test emulator's stand-in for a fault)
            default: throw error("WaitOnAddress", error, errorName(error));
        }
    }

    /** @return {@code nanos} as a finite Windows time-out: rounded up, capped below INFINITE */
    static int milliseconds(long nanos) {
        long ms = nanos / 1_000_000L + (nanos % 1_000_000L == 0 ? 0 : 1);
        return (int) Math.min(ms, MAX_FINITE_MILLIS);
    }

    @Override
    protected int wakeNative(long address, Width width, Scope scope, int count) {
        if (count == ALL) {
            WakeByAddressAll(address);
        } else {
            for (int i = 0; i < count; i++) {
                WakeByAddressSingle(address);
            }
        }
        return COUNT_UNKNOWN;
    }

    private static void write(Pointer p, Width width, long value) {
        switch (width) {
            case INT8: p.setByte(0, (byte) value); break;
            case INT16: p.setShort(0, (short) value); break;
            case INT32: p.setInt(0, (int) value); break;
            default: p.setLong(0, value);
        }
    }

    private static long read(Pointer p, Width width) {
        switch (width) {
            case INT8: return p.getByte(0);
            case INT16: return p.getShort(0);
            case INT32: return p.getInt(0);
            default: return p.getLong(0);
        }
    }

    /** Whether the low {@code width} bytes of {@code a} and {@code b} agree (signed or unsigned forms). */
    private static boolean sameBits(long a, long b, Width width) {
        long mask = width == Width.INT64 ? -1L : (1L << (8 * width.bytes())) - 1;
        return ((a ^ b) & mask) == 0;
    }
}
