package dev.waitonaddress.macos;

import static dev.waitonaddress.macos.DarwinErrno.*;

import com.sun.jna.Pointer;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Scope;
import dev.waitonaddress.Width;
import dev.waitonaddress.spi.AbstractWaitOnAddress;
import dev.waitonaddress.spi.Outcome;

/**
 * What the two macOS backends share: both reach the same kernel primitive (xnu's ulock, which
 * {@code os_sync_wait_on_address} wraps), so they read its results the same way, here, once.
 *
 * <ul>
 * <li>Widths 4 and 8 are native, in PRIVATE and SHARED scope; 1 and 2 are emulated in-process.
 * <li>A wait returns &ge; 0 both when woken and when the value differed. The backend tells the two
 *     apart by reading the word after the call: the kernel has just read it, so it is mapped.
 * <li>Time-outs are relative; a poll passes the smallest time-out (1 ns) because 0 means "invalid"
 *     to {@code os_sync_wait_on_address_with_timeout} and "forever" to {@code __ulock_wait2}: the
 *     kernel still does the compare, so an unmapped word is an error, not a crash. Time-outs longer
 *     than a day go to the OS a day at a time; the policy calls again after an early time-out.
 * <li>ETIMEDOUT is a time-out; EINTR and ENOMEM (the kernel short of memory, per Apple's header) are
 *     retried; EFAULT (the kernel could not read the word under its lock) is retried a few times,
 *     then reported, since an unmapped word never stops failing.
 * <li>Wake never reports a count. {@code wake(ALL)} wakes all; {@code wake(n)} wakes one at a time,
 *     at most n times, and stops at the first "nobody waits" (ENOENT), so it never wakes more than n.
 *     A SHARED wake on memory without a backing object (unmapped) fails with EINVAL in xnu: nobody
 *     can wait there, so it counts as nobody to wake.
 * </ul>
 */
abstract class DarwinWaitOnAddress extends AbstractWaitOnAddress {
    /** The longest time-out one call gets: a day. */
    static final long MAX_TIMEOUT_NANOS = 86_400L * 1_000_000_000L;
    /** How often a wait that fails with EFAULT is tried again before EFAULT is reported. */
    static final int FAULT_RETRIES = 3;

    private static final Capabilities CAPABILITIES = Capabilities.builder()
            .nativeWidths(Width.INT32, Width.INT64)
            .emulateOtherWidths()
            .shared(true)
            .awaitAny(Capabilities.Support.EMULATED, 1024)
            .wakeCountReported(false)
            .nativeAbsoluteDeadlines(false)
            .build();

    DarwinWaitOnAddress(String name, int priority, Throwable unavailabilityCause) {
        super(name, priority, unavailabilityCause);
    }

    @Override
    public final Capabilities capabilities() {
        return CAPABILITIES;
    }

    /**
     * One wait call.
     *
     * @param value the expected value, zero-extended for 4-byte words
     * @param timeoutNanos 0 for none, else at least 1 and at most {@link #MAX_TIMEOUT_NANOS}
     * @return waiters left (&ge; 0), or minus the errno
     */
    abstract int waitCall(long address, Width width, long value, Scope scope, long timeoutNanos);

    /** @return &ge; 0, or minus the errno */
    abstract int wakeCall(long address, Width width, Scope scope, boolean all);

    /** @return the OS function a wait went to, for error messages */
    abstract String waitFunction(boolean timed);

    /** @return the OS function a wake went to, for error messages */
    abstract String wakeFunction(boolean all);

    @Override
    protected final Outcome waitNative(long address, Width width, long expected, Scope scope, boolean timed,
            long deadlineNanoTime) {
        long value = width == Width.INT64 ? expected : expected & 0xffff_ffffL;
        for (int faults = 0;; faults++) {
            long timeout = timed ? osTimeout(deadlineNanoTime) : 0;
            int r = waitCall(address, width, value, scope, timeout);
            if (r >= 0) {
                return holds(address, width, value) ? Outcome.WOKEN : Outcome.MISMATCH;
            }
            int errno = -r;
            switch (errno) {
                case ETIMEDOUT: return Outcome.TIMED_OUT; // the policy re-checks the deadline
                case EINTR: return Outcome.RETRY;         // a signal, or a spurious return
                case ENOMEM: return Outcome.RETRY;        // no memory for the kernel's wait queue: transient
                case EFAULT:                              // copyin failed under the kernel's lock
                    if (faults < FAULT_RETRIES) {
                        continue;
                    }
                    throw error(waitFunction(timed), errno, "EFAULT (the word is not mapped readable)");
                case EDOM:                                // xnu: another waiter uses another width here
                    throw error(waitFunction(timed), errno, "EDOM (another wait on this address uses a "
                            + "different width)");
                case EINVAL:                              // checked before; SHARED: no backing object
                default: throw error(waitFunction(timed), errno, DarwinErrno.name(errno));
            }
        }
    }

    /** @return the time-out for one call: the time left, at least 1 ns (a poll), at most a day */
    private static long osTimeout(long deadlineNanoTime) {
        long remaining = remainingNanos(deadlineNanoTime);
        return remaining == 0 ? 1 : Math.min(remaining, MAX_TIMEOUT_NANOS);
    }

    /** Reads the word after a successful wait call (the kernel has just read it, so it is mapped). */
    private static boolean holds(long address, Width width, long value) {
        Pointer p = new Pointer(address);
        return width == Width.INT64 ? p.getLong(0) == value : (p.getInt(0) & 0xffff_ffffL) == value;
    }

    @Override
    protected final int wakeNative(long address, Width width, Scope scope, int count) {
        if (count == ALL) {
            wakeResult(wakeCall(address, width, scope, true), scope, true);
            return COUNT_UNKNOWN;
        }
        for (int i = 0; i < count; i++) {
            if (!wakeResult(wakeCall(address, width, scope, false), scope, false)) {
                break;
            }
        }
        return COUNT_UNKNOWN;
    }

    /** @return whether there may be more waiters to wake; throws on an unexpected error */
    private boolean wakeResult(int r, Scope scope, boolean all) {
        if (r >= 0) {
            return true;
        }
        int errno = -r;
        switch (errno) {
            case ENOENT: return false;                 // nobody waits on the word
            case EINVAL:
                if (scope == Scope.SHARED) {
                    return false;                      // no backing object: unmapped, nobody can wait there
                }
                throw error(wakeFunction(all), errno, "EINVAL");
            case EDOM:                                 // the waiters use another width
                throw error(wakeFunction(all), errno, "EDOM (the waiters on this address use a different width)");
            default: throw error(wakeFunction(all), errno, DarwinErrno.name(errno));
        }
    }
}
