package dev.waitonaddress.openbsd;

import static dev.waitonaddress.openbsd.OpenBsdAbi.FUTEX_PRIVATE_FLAG;
import static dev.waitonaddress.openbsd.OpenBsdAbi.FUTEX_REQUEUE;
import static dev.waitonaddress.openbsd.OpenBsdAbi.FUTEX_WAIT;
import static dev.waitonaddress.openbsd.OpenBsdAbi.FUTEX_WAKE;
import static dev.waitonaddress.openbsd.OpenBsdAbi.TIMESPEC_BYTES;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import dev.waitonaddress.openbsd.OpenBsdAbi.Errno;
import dev.waitonaddress.spi.Backend;
import dev.waitonaddress.spi.NativeBinding;
import dev.waitonaddress.spi.OsError;
import dev.waitonaddress.spi.Outcome;
import dev.waitonaddress.spi.Traits;
import java.util.concurrent.TimeUnit;

/**
 * The {@code openbsd-futex} backend: OpenBSD's {@code futex(2)} (OpenBSD 6.2 and later) for 4-byte
 * words, within one process ({@code FUTEX_PRIVATE_FLAG}) and across processes (no flag: memory
 * mapped {@code MAP_SHARED}).
 *
 * <ul>
 * <li><b>Native</b>: 4-byte words, in-process and shared; {@code FUTEX_REQUEUE}, which compares
 *     nothing ({@link Traits#compareRequeue()} is false: {@link #requeue} ignores
 *     {@code expected}). There is no native wait on several words and no wake-op. Some kernels
 *     read a requeue's wake count of 0 as "no limit": such a requeue wakes every waiter of
 *     {@code from} (spurious wake-ups, which every waiter allows for) and moves none.
 * <li><b>Time-outs</b> are relative {@code struct timespec}s, in nanoseconds. Every non-negative
 *     {@code long} count of nanoseconds is a valid timespec and converts back to nanoseconds
 *     without overflow in 64-bit arithmetic, so one call takes any count
 *     ({@link Traits#maxTimeout()} is {@code Long.MAX_VALUE}); the kernel caps a sleep at its
 *     longest (a number of clock ticks) and then answers {@code ETIMEDOUT}, which the policy takes
 *     as early. The kernel sleeps in whole clock ticks, so a sleep may end up to a tick after its
 *     time-out. A poll passes 1 ns rather than a zero timespec: the kernel's sleep reads zero ticks
 *     as "no time-out", and 1 ns does not depend on how it rounds a zero time-out. The kernel still
 *     reads and compares the word, and answers {@code ETIMEDOUT} for an equal value after at most
 *     about one tick.
 * <li><b>Results</b> of a wait: 0 is {@link Outcome#WOKEN} (perhaps spuriously); {@code EAGAIN}
 *     {@link Outcome#MISMATCH}; {@code ETIMEDOUT} {@link Outcome#TIMED_OUT}; {@code EINTR} (a
 *     signal) and {@code ECANCELED} (a signal with {@code SA_RESTART}) {@link Outcome#RETRY};
 *     {@code EFAULT} {@link Outcome#FAULT}, not retried. Errors come as -1 and errno; the first
 *     kernels with {@code futex} returned the errno number itself from a wait, which is read the
 *     same way. A wake or requeue returns how many it woke (plus moved), reported as they are;
 *     {@code EFAULT} there means the memory is gone, so nobody waits there: 0. Any other answer
 *     is an {@link dev.waitonaddress.spi.OsCallException} with OpenBSD's errno.
 * <li><b>Binding</b>: libc on 64-bit OpenBSD; with
 *     {@code -Ddev.waitonaddress.openbsd-futex.library=PATH}, a stand-in library exporting
 *     {@code futex}, on any 64-bit OS. Elsewhere {@link #unavailabilityCause()} says why not.
 * </ul>
 *
 * <p>Thread-safe: the only state is the outcome of the probe and per-thread scratch memory.
 */
public final class OpenBsdFutexWaitOnAddress implements Backend {
    /** The priority: a native backend. */
    public static final int PRIORITY = 100;

    /** The backend's name. */
    public static final String NAME = "openbsd-futex";

    /** The longest time-out one wait takes, in nanoseconds: any (see the class comment). */
    static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE;

    /** The time-out a poll passes, in nanoseconds: never 0 (see the class comment). */
    static final long POLL_NANOS = 1;

    /** What OpenBSD does and how its calls behave, for the policy. */
    private static final Traits TRAITS = Traits.builder()
            .nativeWidths(4)
            .shared(true)
            .relativeTimeouts(TimeUnit.NANOSECONDS, MAX_TIMEOUT_NANOS)
            .pollTimeout(POLL_NANOS)
            .requeue(false)
            .wakeCountReported()
            .faults(0, Errno.EFAULT.code(), Errno.EFAULT.name())
            .build();

    /** The errno enum indexed by value. */
    private static final Errno[] ERRNOS = OsError.table(Errno.class);

    /** Binds the library and makes one harmless call: a private wake of a word nobody waits on. */
    private static final Throwable UNAVAILABILITY = NativeBinding.probe(() -> {
        try (Memory word = new Memory(4)) {
            word.setInt(0, 0);
            if (OpenBsdAbi.futex(Pointer.nativeValue(word), FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0) < 0) {
                int code = Native.getLastError();
                Errno e = OsError.of(ERRNOS, code, Errno.UNKNOWN);
                throw new UnsupportedOperationException(NAME + ": futex(FUTEX_WAKE) fails here with " + e
                        + " (" + code + ", " + e.meaning() + ")");
            }
        }
    });

    /** Per thread: the {@code struct timespec} of a timed wait. */
    private static final ThreadLocal<Memory> TIMESPEC = ThreadLocal.withInitial(() -> new Memory(TIMESPEC_BYTES));

    /** Made by {@link java.util.ServiceLoader}. */
    public OpenBsdFutexWaitOnAddress() {
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

    /** @return libc, or the overriding library's path and property */
    @Override
    public String binding() {
        return NativeBinding.describe(NAME, Platform.C_LIBRARY_NAME);
    }

    /**
     * @param shared whether the call is for a cross-process word
     * @return {@link OpenBsdAbi#FUTEX_PRIVATE_FLAG} for an in-process word, 0 for a shared one
     */
    private static int privateFlag(boolean shared) {
        return shared ? 0 : FUTEX_PRIVATE_FLAG;
    }

    @Override
    public Outcome await(long address, int bytes, long expected, boolean shared, boolean timed, long timeout) {
        long timespec = 0;
        if (timed) {
            Memory ts = TIMESPEC.get();
            ts.setLong(0, timeout / 1_000_000_000L);
            ts.setLong(8, timeout % 1_000_000_000L);
            timespec = Pointer.nativeValue(ts);
        }
        int r = OpenBsdAbi.futex(address, FUTEX_WAIT | privateFlag(shared), (int) expected, timespec, 0);
        if (r == 0) {
            return Outcome.WOKEN; // woken, or spuriously
        }
        int code = r > 0 ? r : Native.getLastError(); // the first kernels returned the errno itself
        Errno errno = OsError.of(ERRNOS, code, Errno.UNKNOWN);
        switch (errno) {
            case EAGAIN:    // the word did not hold the expected value
                return Outcome.MISMATCH;
            case ETIMEDOUT: // the time-out expired (or the kernel's longest sleep did)
                return Outcome.TIMED_OUT;
            case EINTR:     // a signal cut the sleep short
            case ECANCELED: // a signal with SA_RESTART cut the sleep short
                return Outcome.RETRY;
            case EFAULT:    // the word is not mapped readable
                return Outcome.FAULT;
            case EINVAL:    // a timespec out of range: built here from a non-negative count, so a bug
            case ENOSYS:    // FUTEX_WAIT unknown to a kernel whose FUTEX_WAKE answered the probe
            case UNKNOWN:   // a value futex(2) does not document
            default:
                throw OsError.unexpected(NAME, "futex(FUTEX_WAIT)", code, errno);
        }
    }

    /**
     * One {@code FUTEX_WAKE}.
     *
     * @param address the word
     * @param bytes its width: 4
     * @param shared whether the waiters wait across processes
     * @param count how many to wake at most
     * @return how many were woken; 0 for memory that is not mapped
     */
    @Override
    public int wake(long address, int bytes, boolean shared, int count) {
        int r = OpenBsdAbi.futex(address, FUTEX_WAKE | privateFlag(shared), count, 0, 0);
        if (r >= 0) {
            return r;
        }
        int code = Native.getLastError();
        Errno errno = OsError.of(ERRNOS, code, Errno.UNKNOWN);
        switch (errno) {
            case EFAULT:    // the memory is not mapped: nobody can wait there
                return 0;
            case ENOSYS:    // FUTEX_WAKE unknown, though the probe's FUTEX_WAKE worked
            case EINVAL:    // FUTEX_WAKE takes no time-out
            case EAGAIN:    // FUTEX_WAKE compares nothing
            case ETIMEDOUT: // FUTEX_WAKE does not sleep
            case EINTR:     // FUTEX_WAKE does not sleep, so no signal cuts it short
            case ECANCELED: // FUTEX_WAKE does not sleep, so no signal cuts it short
            case UNKNOWN:   // a value futex(2) does not document
            default:
                throw OsError.unexpected(NAME, "futex(FUTEX_WAKE)", code, errno);
        }
    }

    /**
     * One {@code FUTEX_REQUEUE}, which compares nothing: {@code expected} is ignored. Where the
     * kernel reads a {@code wakeCount} of 0 as "no limit", every waiter of {@code from} is woken
     * and none moved.
     *
     * @param from the word whose waiters are woken or moved
     * @param to the word they are moved to
     * @param shared whether the words are cross-process words
     * @param expected ignored
     * @param wakeCount how many to wake
     * @param requeueCount how many more to move
     * @return woken plus moved; 0 for memory that is not mapped
     */
    @Override
    public int requeue(long from, long to, boolean shared, int expected, int wakeCount, int requeueCount) {
        int r = OpenBsdAbi.futex(from, FUTEX_REQUEUE | privateFlag(shared), wakeCount, requeueCount, to);
        if (r >= 0) {
            return r;
        }
        int code = Native.getLastError();
        Errno errno = OsError.of(ERRNOS, code, Errno.UNKNOWN);
        switch (errno) {
            case EFAULT:    // memory that is gone (from or to): nobody can wait there
                return 0;
            case ENOSYS:    // FUTEX_REQUEUE unknown to a kernel with FUTEX_WAKE: a kernel without it
            case EINVAL:    // FUTEX_REQUEUE reads its count as a number, not a timespec
            case EAGAIN:    // FUTEX_REQUEUE compares nothing
            case ETIMEDOUT: // FUTEX_REQUEUE does not sleep
            case EINTR:     // FUTEX_REQUEUE does not sleep, so no signal cuts it short
            case ECANCELED: // FUTEX_REQUEUE does not sleep, so no signal cuts it short
            case UNKNOWN:   // a value futex(2) does not document
            default:
                throw OsError.unexpected(NAME, "futex(FUTEX_REQUEUE)", code, errno);
        }
    }
}
