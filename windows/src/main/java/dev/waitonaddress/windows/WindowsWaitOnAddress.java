package dev.waitonaddress.windows;

import static dev.waitonaddress.windows.WindowsAbi.INFINITE;
import static dev.waitonaddress.windows.WindowsAbi.MAX_FINITE_MILLIS;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.waitonaddress.spi.Backend;
import dev.waitonaddress.spi.NativeBinding;
import dev.waitonaddress.spi.OsError;
import dev.waitonaddress.spi.Outcome;
import dev.waitonaddress.spi.Traits;
import dev.waitonaddress.windows.WindowsAbi.Win32Error;
import java.util.concurrent.TimeUnit;

/**
 * The {@code windows} backend: Windows' {@code WaitOnAddress}, {@code WakeByAddressSingle} and
 * {@code WakeByAddressAll} (Windows 8 and later), for 1-, 2-, 4- and 8-byte words, within one
 * process.
 *
 * <ul>
 * <li><b>Native</b>: every width. Windows' address waits are process-local, so the backend does
 *     not wait across processes ({@link Traits#shared()} is false). There is no native wait on
 *     several words, no requeue and no wake-op.
 * <li><b>Time-outs</b> are relative, in whole milliseconds, at most {@code 0xFFFFFFFE} ms per
 *     call: {@code 0xFFFFFFFF} is {@code INFINITE}, which only a wait without a time-out passes.
 *     A poll passes 0 ms, for which Windows still compares the word.
 * <li><b>Results</b>: {@code WaitOnAddress} returns TRUE when woken, when woken spuriously, when
 *     the value already differed, and when a wake aimed at an earlier wait of the same thread is
 *     still pending; it does not say which, so TRUE is {@link Outcome#WOKEN} and ambiguous
 *     ({@link Traits#ambiguousSuccess()}). FALSE with {@code ERROR_TIMEOUT} is
 *     {@link Outcome#TIMED_OUT}; FALSE with {@code ERROR_NOACCESS} is {@link Outcome#FAULT}, not
 *     retried; any other last error is an {@link dev.waitonaddress.spi.OsCallException} with
 *     the Win32 code. An unreadable word makes real Windows raise an access violation, which ends
 *     the process unless something catches it: a readable word is the caller's duty. Only a
 *     stand-in library answers {@code ERROR_NOACCESS}.
 * <li><b>Wakes</b>: a wake of one calls {@code WakeByAddressSingle}, any larger count calls
 *     {@code WakeByAddressAll} ({@link Traits#singleWakes()}); neither reports how many it woke,
 *     so {@link #wake} returns {@link Backend#COUNT_UNKNOWN}. Neither reads the memory. A
 *     single wake can pick a waiter whose time-out is expiring; that waiter reports a time-out
 *     and the wake is used up ({@link Traits#timeoutMayTakeWake()}).
 * <li><b>Memory</b>: Windows compares the word with a copy of the expected value in memory; the
 *     copy is written to per-thread scratch memory, so a wait allocates nothing.
 * <li><b>Binding</b>: the API set {@code API-MS-Win-Core-Synch-l1-2-0} on 64-bit Windows; with
 *     {@code -Ddev.waitonaddress.windows.library=PATH}, a stand-in library with the same three
 *     exports, on any 64-bit OS. Elsewhere {@link #unavailabilityCause()} says why not.
 * </ul>
 *
 * <p>Thread-safe: the only state is the outcome of the probe and per-thread scratch memory.
 */
public final class WindowsWaitOnAddress implements Backend {
    /** The priority: a native backend. */
    public static final int PRIORITY = 100;

    /** The backend's name. */
    public static final String NAME = "windows";

    /**
     * {@code wake(n)} for n above this wakes all: more threads than this never wait on one address
     * of one process, and n single wakes, which report no count to stop at, would take minutes.
     */
    static final int MAX_SINGLE_WAKES = 1 << 16;

    /** What Windows does and how its calls behave, for the policy. */
    private static final Traits TRAITS = Traits.builder()
            .nativeWidths(1, 2, 4, 8)
            .shared(false)
            .relativeTimeouts(TimeUnit.MILLISECONDS, MAX_FINITE_MILLIS)
            .pollTimeout(0)
            .ambiguousSuccess()
            .singleWakes(MAX_SINGLE_WAKES)
            .timeoutMayTakeWake()
            .faults(0, Win32Error.ERROR_NOACCESS.code(), Win32Error.ERROR_NOACCESS.name())
            .build();

    /** The error enum indexed by code. */
    private static final Win32Error[] ERRORS = OsError.table(Win32Error.class);

    /** Binds the library and makes one harmless call: a wake of a word nobody waits on. */
    private static final Throwable UNAVAILABILITY = NativeBinding.probe(() -> {
        try (Memory word = new Memory(8)) {
            WindowsAbi.WakeByAddressSingle(Pointer.nativeValue(word));
        }
    });

    /** Per thread: the 8 bytes holding the value Windows compares the word with. */
    private static final ThreadLocal<Memory> COMPARAND = ThreadLocal.withInitial(() -> new Memory(8));

    /** Made by {@link java.util.ServiceLoader}. */
    public WindowsWaitOnAddress() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Throwable unavailabilityCause() {
        return UNAVAILABILITY;
    }

    @Override
    public Traits traits() {
        return TRAITS;
    }

    /** @return the API set, or the overriding library's path and property */
    @Override
    public String binding() {
        return NativeBinding.describe(NAME, WindowsAbi.API_SET);
    }

    @Override
    public Outcome await(long address, int bytes, long expected, boolean shared, boolean timed, long timeout) {
        Memory comparand = COMPARAND.get();
        switch (bytes) {
            case 1: comparand.setByte(0, (byte) expected); break;
            case 2: comparand.setShort(0, (short) expected); break;
            case 4: comparand.setInt(0, (int) expected); break;
            default: comparand.setLong(0, expected); break;
        }
        int milliseconds = timed ? (int) timeout : INFINITE; // a DWORD: the policy keeps it <= MAX_FINITE_MILLIS
        if (WindowsAbi.WaitOnAddress(address, Pointer.nativeValue(comparand), bytes, milliseconds) != 0) {
            return Outcome.WOKEN; // woken, spurious, differed, or a stale wake: the policy re-reads the word
        }
        int code = Native.getLastError();
        Win32Error error = OsError.of(ERRORS, code, Win32Error.UNKNOWN);
        switch (error) {
            case ERROR_TIMEOUT:           // the time-out passed, the value still equal (a 0 ms poll too)
                return Outcome.TIMED_OUT;
            case ERROR_NOACCESS:          // the word is unreadable: a stand-in's answer (Windows faults instead)
                return Outcome.FAULT;
            case ERROR_INVALID_PARAMETER: // a size other than 1, 2, 4 or 8: the policy passes native widths only
            case UNKNOWN:                 // a code WaitOnAddress is not known to leave
            default:
                throw OsError.unexpected(NAME, "WaitOnAddress", code, error);
        }
    }

    /**
     * {@code WakeByAddressSingle} for a count of 1, {@code WakeByAddressAll} for any other.
     *
     * @return {@link Backend#COUNT_UNKNOWN}: Windows does not say how many it woke
     */
    @Override
    public int wake(long address, int bytes, boolean shared, int count) {
        if (count == 1) {
            WindowsAbi.WakeByAddressSingle(address);
        } else {
            WindowsAbi.WakeByAddressAll(address);
        }
        return COUNT_UNKNOWN;
    }
}
