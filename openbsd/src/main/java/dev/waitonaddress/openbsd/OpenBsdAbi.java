package dev.waitonaddress.openbsd;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.waitonaddress.spi.NativeBinding;
import dev.waitonaddress.spi.OsError;

/**
 * The OpenBSD ABI the {@code openbsd-futex} backend calls: the JNA direct mapping of libc's
 * {@code int futex(volatile uint32_t *uaddr, int op, int val, const struct timespec *timeout,
 * volatile uint32_t *uaddr2)} (OpenBSD 6.2 and later), its operations as {@code sys/futex.h}
 * numbers them, and OpenBSD's errno values, which are not Linux's.
 *
 * <p>{@code futex} returns 0 ({@code FUTEX_WAIT}) or a count ({@code FUTEX_WAKE},
 * {@code FUTEX_REQUEUE}), or -1 with errno, read through {@link Native#getLastError()}. The first
 * kernels with {@code futex} returned the errno number itself from {@code FUTEX_WAIT}, whose
 * success is 0, so a positive result of a wait is an errno too. Pointers are passed as
 * {@code long} ({@link NativeBinding#load} refuses a 32-bit JVM); {@code struct timespec} is
 * {@code {int64_t tv_sec; long tv_nsec}}, 16 bytes.
 *
 * <p>The library is bound when this class is initialised, by {@link NativeBinding#load}: libc on
 * OpenBSD, or the stand-in named by {@code -Ddev.waitonaddress.openbsd-futex.library=PATH} on any
 * OS. A failure there fails the initialisation; the backend reports it as its unavailability cause.
 */
final class OpenBsdAbi {
    /** Sleep while {@code *uaddr == val}, for at most {@code *timeout} (relative; null: no time-out). */
    static final int FUTEX_WAIT = 1;
    /** Wake up to {@code val} waiters of {@code uaddr}; returns how many. */
    static final int FUTEX_WAKE = 2;
    /**
     * Wake up to {@code val} waiters of {@code uaddr} and move up to {@code (u_long) timeout} more
     * to {@code uaddr2}, comparing nothing; returns woken plus moved.
     */
    static final int FUTEX_REQUEUE = 3;
    /** Or-ed into an operation: waiters are keyed by address within this process, not by memory object. */
    static final int FUTEX_PRIVATE_FLAG = 128;

    /** {@code sizeof(struct timespec)}. */
    static final int TIMESPEC_BYTES = 16;

    static {
        Native.register(OpenBsdAbi.class, NativeBinding.load(OpenBsdFutexWaitOnAddress.NAME, Platform.isOpenBSD(),
                Platform.C_LIBRARY_NAME, "OpenBSD 6.2 or later (futex(2) in libc)"));
    }

    /** Not instantiated. */
    private OpenBsdAbi() {
    }

    /**
     * {@code int futex(volatile uint32_t *uaddr, int op, int val, const struct timespec *timeout,
     * volatile uint32_t *uaddr2)}.
     *
     * @param uaddr the word
     * @param op the operation, with {@link #FUTEX_PRIVATE_FLAG} or not
     * @param val {@code FUTEX_WAIT}: the expected value; otherwise how many to wake
     * @param timeout {@code FUTEX_WAIT}: the address of a relative {@code struct timespec}, or 0
     *     for none; {@code FUTEX_REQUEUE}: how many to move, as a number
     * @param uaddr2 {@code FUTEX_REQUEUE}: the word to move waiters to; otherwise 0
     * @return 0, a count, or -1 with errno (a positive errno from {@code FUTEX_WAIT} on the first kernels)
     */
    static native int futex(long uaddr, int op, int val, long timeout, long uaddr2);

    /** OpenBSD's errno values that {@code futex(2)} documents. */
    enum Errno implements OsError {
        /** Any value not listed here; 0 is no error, which a failing call never sets. */
        UNKNOWN(0, "an errno value this backend does not list"),
        /** A signal arrived while the thread slept. */
        EINTR(4, "interrupted system call"),
        /** {@code uaddr} (or {@code timeout}, {@code uaddr2}) points outside the process's mapped memory. */
        EFAULT(14, "bad address"),
        /** The time-out's seconds are negative or its nanoseconds outside 0 to 999,999,999. */
        EINVAL(22, "invalid argument"),
        /** {@code FUTEX_WAIT}: the word did not hold {@code val}. */
        EAGAIN(35, "resource temporarily unavailable"),
        /** {@code FUTEX_WAIT}: the time-out expired before a wake. */
        ETIMEDOUT(60, "operation timed out"),
        /** The operation is not one the kernel knows. */
        ENOSYS(78, "function not implemented"),
        /** A signal whose handler has {@code SA_RESTART} arrived while the thread slept. */
        ECANCELED(88, "operation canceled");

        /** The OS's number. */
        private final int code;
        /** The one-line meaning. */
        private final String meaning;

        /**
         * @param code the OS's number
         * @param meaning what it means, in one line
         */
        Errno(int code, String meaning) {
            this.code = code;
            this.meaning = meaning;
        }

        @Override
        public int code() {
            return code;
        }

        @Override
        public String meaning() {
            return meaning;
        }
    }
}
