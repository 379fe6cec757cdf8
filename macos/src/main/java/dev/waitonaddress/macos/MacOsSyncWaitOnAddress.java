package dev.waitonaddress.macos;

import static dev.waitonaddress.macos.DarwinAbi.OS_CLOCK_MACH_ABSOLUTE_TIME;
import static dev.waitonaddress.macos.DarwinAbi.OS_SYNC_WAIT_ON_ADDRESS_NONE;
import static dev.waitonaddress.macos.DarwinAbi.OS_SYNC_WAIT_ON_ADDRESS_SHARED;
import static dev.waitonaddress.macos.DarwinAbi.OS_SYNC_WAKE_BY_ADDRESS_NONE;
import static dev.waitonaddress.macos.DarwinAbi.OS_SYNC_WAKE_BY_ADDRESS_SHARED;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.waitonaddress.macos.DarwinAbi.Errno;
import dev.waitonaddress.macos.DarwinAbi.OsSync;
import dev.waitonaddress.spi.Backend;
import dev.waitonaddress.spi.NativeBinding;
import dev.waitonaddress.spi.OsError;
import dev.waitonaddress.spi.Outcome;
import dev.waitonaddress.spi.Traits;
import java.util.concurrent.TimeUnit;

/**
 * The {@code macos-os-sync} backend: Apple's public wait-on-address calls of macOS 14.4 and later,
 * {@code os_sync_wait_on_address}, {@code os_sync_wait_on_address_with_timeout} and
 * {@code os_sync_wake_by_address_any} / {@code _all}, in libSystem.
 *
 * <p>What it translates:
 * <ul>
 * <li>4- and 8-byte words, within a process and across processes (the {@code SHARED} flags, for
 *     memory mapped by several processes).
 * <li>A time-out is relative, in nanoseconds, at most one day per call; a poll passes 1 ns, since
 *     the timed call refuses 0. A wait without a time-out goes to the untimed call.
 * <li>A successful wait means woken <em>or</em> the word held another value: the caller re-reads
 *     the word to tell them apart.
 * <li>A wake wakes one ({@code count} 1) or all (any other count) and never says how many. It
 *     returns 0 when the OS says nobody of this width waits there, including a shared wake of
 *     memory no memory object backs, where nobody can wait.
 * <li>A word the kernel could not read is {@link Outcome#FAULT}; a signal or a transient shortage
 *     of kernel memory is {@link Outcome#RETRY}.
 * </ul>
 *
 * <p>Available where the bound library exports the four functions and a wake of a word nobody
 * waits on answers "nobody waits"; the OS version is never consulted. Before macOS 14.4
 * {@code macos-ulock} serves. {@code -Ddev.waitonaddress.macos-os-sync.library=PATH} binds a
 * library with the same symbols instead of libSystem, on any OS. Thread-safe; stateless after
 * construction.
 */
public final class MacOsSyncWaitOnAddress implements Backend {
    /** The backend's name. */
    public static final String NAME = DarwinAbi.OS_SYNC_BACKEND;
    /** The priority: the native backend of macOS 14.4 and later. */
    public static final int PRIORITY = 100;

    /** The longest time-out one wait call takes, in nanoseconds: a day. */
    private static final long MAX_TIMEOUT_NANOS = TimeUnit.DAYS.toNanos(1);

    /** What the calls do and how they behave. */
    private static final Traits TRAITS = Traits.builder()
            .nativeWidths(4, 8)
            .shared(true)
            .relativeTimeouts(TimeUnit.NANOSECONDS, MAX_TIMEOUT_NANOS)
            .pollTimeout(1)
            .ambiguousSuccess()
            .singleWakes(Integer.MAX_VALUE - 1)
            .faults(3, Errno.EFAULT.code(), Errno.EFAULT.name())
            .build();

    /** Why the backend cannot run here, or null: decided once. */
    private static final Throwable UNAVAILABILITY = NativeBinding.probe(MacOsSyncWaitOnAddress::probe);

    /** Made by {@link java.util.ServiceLoader}; binds and probes the library once per class, never throws. */
    public MacOsSyncWaitOnAddress() {
    }

    /** Binds the library, then wakes a private word nobody waits on: the answer must be ENOENT. */
    private static void probe() {
        try (Memory word = new Memory(8)) {
            word.clear();
            int r = OsSync.os_sync_wake_by_address_any(Pointer.nativeValue(word), 4, OS_SYNC_WAKE_BY_ADDRESS_NONE);
            int code = Native.getLastError();
            if (r != -1 || code != Errno.ENOENT.code()) {
                throw new UnsupportedOperationException("os_sync_wake_by_address_any of a word nobody waits on "
                        + "answered " + r + (r < 0 ? " with " + Errno.of(code) + " (" + code + ")" : "")
                        + ", not ENOENT, in " + NativeBinding.describe(NAME, DarwinAbi.OS_LIBRARY));
            }
        }
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

    @Override
    public String binding() {
        return NativeBinding.describe(NAME, DarwinAbi.OS_LIBRARY);
    }

    @Override
    public Outcome await(long address, int bytes, long expected, boolean shared, boolean timed, long timeout) {
        long value = DarwinAbi.kernelValue(bytes, expected);
        int flags = shared ? OS_SYNC_WAIT_ON_ADDRESS_SHARED : OS_SYNC_WAIT_ON_ADDRESS_NONE;
        int r = timed
                ? OsSync.os_sync_wait_on_address_with_timeout(address, value, bytes, flags,
                        OS_CLOCK_MACH_ABSOLUTE_TIME, timeout)
                : OsSync.os_sync_wait_on_address(address, value, bytes, flags);
        if (r >= 0) {
            return Outcome.WOKEN; // woken, or the word held another value: the caller re-reads
        }
        int code = Native.getLastError();
        Errno error = Errno.of(code);
        switch (error) {
            case ETIMEDOUT:  // the time-out expired (the caller checks its deadline)
                return Outcome.TIMED_OUT;
            case EINTR:      // a signal, or the kernel aborted the wait
                return Outcome.RETRY;
            case ENOMEM:     // no kernel memory for the wait-queue entry: transient
                return Outcome.RETRY;
            case EFAULT:     // the kernel could not read the word while it held its lock
                return Outcome.FAULT;
            case EDOM:       // another wait on this address uses the other width
            case EINVAL:     // size, alignment, flags, clock and time-out are checked: a shared word without a memory object
            case ENOENT:     // wakes only
            case ESRCH:      // directed wakes only
            case EALREADY:   // directed wakes only
            case EOWNERDEAD: // unfair-lock operations only
            case UNKNOWN:    // not a documented answer of this call
            default:
                throw OsError.unexpected(NAME, timed ? "os_sync_wait_on_address_with_timeout"
                        : "os_sync_wait_on_address", code, error);
        }
    }

    @Override
    public int wake(long address, int bytes, boolean shared, int count) {
        int flags = shared ? OS_SYNC_WAKE_BY_ADDRESS_SHARED : OS_SYNC_WAKE_BY_ADDRESS_NONE;
        boolean one = count == 1;
        int r = one
                ? OsSync.os_sync_wake_by_address_any(address, bytes, flags)
                : OsSync.os_sync_wake_by_address_all(address, bytes, flags);
        if (r >= 0) {
            return COUNT_UNKNOWN; // woke one or all, without a count
        }
        int code = Native.getLastError();
        Errno error = Errno.of(code);
        switch (error) {
            case ENOENT:     // nobody waits on the address
                return 0;
            case EDOM:       // the waiters there use the other width: none of this one
                return 0;
            case EINVAL:     // size, flags and address are checked; shared: no memory object backs the address
                if (shared) {
                    return 0; // nobody can wait on it
                }
                break;
            case ETIMEDOUT:  // waits only
            case EINTR:      // waits only
            case ENOMEM:     // a wake allocates nothing
            case EFAULT:     // a wake never reads the word
            case ESRCH:      // directed wakes only
            case EALREADY:   // directed wakes only
            case EOWNERDEAD: // unfair-lock operations only
            case UNKNOWN:    // not a documented answer of this call
            default:
                break;
        }
        throw OsError.unexpected(NAME, one ? "os_sync_wake_by_address_any" : "os_sync_wake_by_address_all",
                code, error);
    }
}
