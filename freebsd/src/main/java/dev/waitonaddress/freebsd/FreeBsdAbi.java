package dev.waitonaddress.freebsd;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.waitonaddress.spi.NativeBinding;
import dev.waitonaddress.spi.OsError;

/**
 * The FreeBSD ABI the {@code freebsd-umtx} backend calls: the JNA direct mapping of libc's
 * {@code int _umtx_op(void *obj, int op, u_long val, void *uaddr, void *uaddr2)}, the operations
 * and flags as {@code sys/umtx.h} numbers them, the layout of {@code struct _umtx_time}, and
 * FreeBSD's errno values, which are not Linux's.
 *
 * <p>{@code _umtx_op} returns 0, or -1 with errno, read through {@link Native#getLastError()}.
 * Pointers and {@code u_long} are passed as {@code long} ({@link NativeBinding#load} refuses a
 * 32-bit JVM). {@code struct _umtx_time} is {@code {struct timespec _timeout; uint32_t _flags;
 * uint32_t _clockid}}, 24 bytes, with {@code struct timespec} {@code {int64_t tv_sec; long
 * tv_nsec}}; the wait operations take its size in {@code uaddr} and its address in
 * {@code uaddr2} (a size up to that of a bare timespec means a bare, relative timespec on
 * {@code CLOCK_REALTIME}).
 *
 * <p>The library is bound when this class is initialised, by {@link NativeBinding#load}: libc on
 * FreeBSD, or the stand-in named by {@code -Ddev.waitonaddress.freebsd-umtx.library=PATH} on any
 * OS. A failure there fails the initialisation; the backend reports it as its unavailability cause.
 */
final class FreeBsdAbi {
    /**
     * Sleep while the {@code u_long} (64 bits here) at {@code obj} equals {@code val}; keyed by
     * memory object for a mapping shared across processes, else by address: there is no private
     * variant.
     */
    static final int UMTX_OP_WAIT = 2;
    /** Wake up to {@code val} waiters of {@code obj} keyed as {@link #UMTX_OP_WAIT} keys them; returns 0. */
    static final int UMTX_OP_WAKE = 3;
    /** As {@link #UMTX_OP_WAIT}, comparing the {@code u_int} (32 bits) at {@code obj}, zero-extended. */
    static final int UMTX_OP_WAIT_UINT = 11;
    /** As {@link #UMTX_OP_WAIT_UINT}, keyed by address within this process only. */
    static final int UMTX_OP_WAIT_UINT_PRIVATE = 15;
    /** Wake up to {@code val} waiters of {@code obj} keyed by address within this process; returns 0. */
    static final int UMTX_OP_WAKE_PRIVATE = 16;

    /** {@code _umtx_time._flags}: the time-out is an absolute time on the clock, not a duration. */
    static final int UMTX_ABSTIME = 1;
    /** {@code CLOCK_MONOTONIC}, FreeBSD's number. */
    static final int CLOCK_MONOTONIC = 4;

    /** {@code sizeof(struct _umtx_time)}. */
    static final int UMTX_TIME_BYTES = 24;
    /** Offset of {@code _umtx_time._flags}. */
    static final int UMTX_TIME_FLAGS = 16;
    /** Offset of {@code _umtx_time._clockid}. */
    static final int UMTX_TIME_CLOCKID = 20;

    static {
        Native.register(FreeBsdAbi.class, NativeBinding.load(FreeBsdUmtxWaitOnAddress.NAME, Platform.isFreeBSD(),
                Platform.C_LIBRARY_NAME, "FreeBSD (_umtx_op(2) in libc)"));
    }

    /** Not instantiated. */
    private FreeBsdAbi() {
    }

    /**
     * {@code int _umtx_op(void *obj, int op, u_long val, void *uaddr, void *uaddr2)}.
     *
     * @param obj the word
     * @param op the operation
     * @param val waits: the expected value (zero-extended for the 32-bit operations); wakes: how
     *     many to wake
     * @param uaddr waits: the size of the structure at {@code uaddr2}; otherwise 0
     * @param uaddr2 waits: the address of a {@code struct _umtx_time} (or timespec), or 0 for no
     *     time-out; otherwise 0
     * @return 0, or -1 with errno
     */
    static native int _umtx_op(long obj, int op, long val, long uaddr, long uaddr2);

    /** FreeBSD's errno values that the wait and wake operations of {@code _umtx_op(2)} answer. */
    enum Errno implements OsError {
        /** Any value not listed here; 0 is no error, which a failing call never sets. */
        UNKNOWN(0, "an errno value this backend does not list"),
        /** A signal arrived while the thread slept (the kernel turns a restart into this too). */
        EINTR(4, "interrupted system call"),
        /** The word (or the time-out structure) is not mapped; for keys by memory object, not writable. */
        EFAULT(14, "bad address"),
        /** An operation number the kernel does not know, or a time-out out of range. */
        EINVAL(22, "invalid argument"),
        /** An operation the kernel was built without. */
        EOPNOTSUPP(45, "operation not supported"),
        /** The time-out expired before a wake. */
        ETIMEDOUT(60, "operation timed out"),
        /** The system call is missing. */
        ENOSYS(78, "function not implemented");

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
