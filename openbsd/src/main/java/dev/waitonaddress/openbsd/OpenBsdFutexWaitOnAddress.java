package dev.waitonaddress.openbsd;

import static dev.waitonaddress.openbsd.OpenBsdFutex.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import dev.waitonaddress.spi.AbstractWaitOnAddress;
import dev.waitonaddress.spi.Outcome;

/**
 * The {@code openbsd-futex} backend: OpenBSD's {@code futex(2)} for 32-bit words, PRIVATE
 * ({@code FUTEX_PRIVATE_FLAG}) and SHARED (no flag: {@code MAP_SHARED} memory, across processes).
 * Other widths are emulated in-process by the policy (PRIVATE only).
 *
 * <ul>
 * <li><b>Time-outs</b> are relative {@code timespec}s computed from the deadline at each call;
 *     OpenBSD sleeps in clock ticks, so a time-out may end early or late by a tick: the policy calls
 *     again until the deadline has passed. A zero time-out is never passed: a poll passes 1 ns, so
 *     the kernel still reads and compares the word (EAGAIN for a mismatch, EFAULT for an unmapped
 *     address) and, for an equal value, returns ETIMEDOUT after at most one clock tick.
 * <li><b>Results</b>, all handled in one place each: 0 woken (perhaps spuriously); EAGAIN mismatch;
 *     ETIMEDOUT time-out; EINTR (a signal) and ECANCELED (a signal with {@code SA_RESTART}) retried
 *     with the same deadline; anything else is a {@link dev.waitonaddress.WaitOnAddressException}
 *     with OpenBSD's errno.
 * <li><b>Errors</b> come as -1 and errno; earlier kernels (sys_futex.c up to revision 1.9, 2018) returned
 *     the errno number itself from FUTEX_WAIT, which is read the same way.
 * <li><b>Wake counts</b> are reported.
 * <li><b>Requeue</b>: OpenBSD has {@code FUTEX_REQUEUE} but no compare
 *     ({@code capabilities().compareRequeue()} is false). {@code requeue(from, to, scope, expected,
 *     wakeCount, requeueCount)} reads {@code from} in Java first and returns
 *     {@link WaitOnAddress#REQUEUE_MISMATCH} if it does not hold {@code expected}; otherwise it
 *     wakes up to {@code wakeCount} waiters of {@code from}, moves up to {@code requeueCount} more to
 *     {@code to} and returns woken plus moved. The read and the requeue are <em>not</em> one atomic
 *     step: the word may change in between, so the compare protects only where the caller's own
 *     protocol (a lock guarding {@code from}, say) keeps it from changing. {@code from} must be
 *     readable (the read is a plain memory access).
 * <li><b>Binding.</b> {@code -Ddev.waitonaddress.openbsd-futex.library=PATH} binds a stand-in
 *     exporting {@code futex} and makes the backend available on any 64-bit OS; without it, the
 *     backend is available on 64-bit OpenBSD only and {@link #unavailabilityCause()} says why not.
 * </ul>
 * {@code awaitAny} is emulated in-process; {@code wakeOp} is refused.
 */
public final class OpenBsdFutexWaitOnAddress extends AbstractWaitOnAddress {
    /** The priority: a native backend. */
    public static final int PRIORITY = 100;

    /** The time-out a poll passes instead of zero, in nanoseconds. */
    static final long POLL_NANOS = 1;

    private static final Throwable UNAVAILABILITY = probe();

    /** Per-thread scratch: a {@code struct timespec}, and a view for reading {@code from} in requeue. */
    private static final class Scratch {
        final Memory timespec = new Memory(16);
        final Pointer view = new Pointer(0);
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final Capabilities capabilities = Capabilities.builder()
            .nativeWidths(Width.INT32)
            .emulateOtherWidths()
            .shared(true)
            .awaitAny(Capabilities.Support.EMULATED, 1024)
            .requeue(true)
            .compareRequeue(false)
            .wakeCountReported(true)
            .nativeAbsoluteDeadlines(false)
            .build();

    /** Made by {@link java.util.ServiceLoader}. */
    public OpenBsdFutexWaitOnAddress() {
        super("openbsd-futex", PRIORITY, UNAVAILABILITY);
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** @return the name, and what it is bound to (libc, or an override's path) or why it is unavailable */
    @Override
    public String toString() {
        return isAvailable() ? name() + " (bound to " + BOUND + ")" : super.toString();
    }

    /** Binds the library and makes one harmless call: a private wake of a word nobody waits on. */
    private static Throwable probe() {
        try (Memory word = new Memory(4)) {
            word.setInt(0, 0);
            int r = futex(Pointer.nativeValue(word), FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0);
            if (r < 0) {
                int errno = Native.getLastError();
                return new UnsupportedOperationException("futex(FUTEX_WAKE) failed here with " + errnoName(errno)
                        + " (" + errno + ")");
            }
            return null;
        } catch (ExceptionInInitializerError e) { // the binding refused: not OpenBSD, no library
            return e.getCause() != null ? e.getCause() : e;
        } catch (Throwable t) { // no JNA native library, a missing export
            return t;
        }
    }

    private static int privateFlag(Scope scope) {
        return scope == Scope.PRIVATE ? FUTEX_PRIVATE_FLAG : 0;
    }

    @Override
    protected Outcome waitNative(long address, Width width, long expected, Scope scope, boolean timed,
            long deadlineNanoTime) {
        long timespec = 0;
        if (timed) {
            long nanos = Math.max(POLL_NANOS, remainingNanos(deadlineNanoTime));
            Memory ts = SCRATCH.get().timespec;
            ts.setLong(0, nanos / 1_000_000_000L);
            ts.setLong(8, nanos % 1_000_000_000L);
            timespec = Pointer.nativeValue(ts);
        }
        int r = futex(address, FUTEX_WAIT | privateFlag(scope), (int) expected, timespec, 0);
        if (r == 0) {
            return Outcome.WOKEN;
        }
        return waitOutcome(r > 0 ? r : Native.getLastError()); // before the -1/errno convention, the errno itself

    }

    /** Every errno FUTEX_WAIT can return, with what it means here. */
    private Outcome waitOutcome(int errno) {
        switch (errno) {
            case EAGAIN: return Outcome.MISMATCH;     // the word did not hold the expected value
            case ETIMEDOUT: return Outcome.TIMED_OUT; // the time-out expired (the policy re-checks the deadline)
            case EINTR: return Outcome.RETRY;         // a signal cut the sleep short
            case ECANCELED: return Outcome.RETRY;     // a signal with SA_RESTART cut the sleep short
            case EFAULT:                              // the word is not mapped readable
            case EINVAL:                              // a timespec out of range: built here, a bug
            case ENOSYS:                              // an operation the kernel does not know: a bug
            default: throw error("futex(FUTEX_WAIT)", errno, errnoName(errno));
        }
    }

    @Override
    protected int wakeNative(long address, Width width, Scope scope, int count) {
        int r = futex(address, FUTEX_WAKE | privateFlag(scope), count, 0, 0);
        return r >= 0 ? r : wakeOutcome("futex(FUTEX_WAKE)", Native.getLastError());
    }

    @Override
    protected int requeueNative(long from, long to, Scope scope, int expected, int wakeCount, int requeueCount) {
        Pointer view = SCRATCH.get().view;
        Pointer.nativeValue(view, from);
        if (view.getInt(0) != expected) {
            return REQUEUE_MISMATCH;
        }
        int r = futex(from, FUTEX_REQUEUE | privateFlag(scope), wakeCount, requeueCount, to);
        return r >= 0 ? r : wakeOutcome("futex(FUTEX_REQUEUE)", Native.getLastError());
    }

    /** Every errno FUTEX_WAKE and FUTEX_REQUEUE can return, with what it means here. */
    private int wakeOutcome(String operation, int errno) {
        switch (errno) {
            case EFAULT: return 0; // memory that is gone: nobody can be waiting there (OpenBSD does not read it)
            case ENOSYS:           // an operation the kernel does not know: a bug
            default: throw error(operation, errno, errnoName(errno));
        }
    }
}
