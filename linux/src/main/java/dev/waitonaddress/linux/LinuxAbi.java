package dev.waitonaddress.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import dev.waitonaddress.spi.NativeBinding;
import dev.waitonaddress.spi.NativeCall;
import dev.waitonaddress.spi.OsError;

/**
 * The Linux kernel ABI of the {@code linux-futex} backend: system call numbers, futex operations
 * and flags, the layout of {@code struct futex_waitv} and {@code struct timespec}, the errno
 * values, and the calls of {@code syscall(2)} and {@code clock_gettime(2)}.
 *
 * <p>{@code syscall} is reached in one of two ways, fixed when this class initialises: through
 * {@link NativeCall}, a {@code java.lang.foreign} downcall, where the JDK (22 or later) and the
 * api jar provide it; else through a JNA direct mapping. Both bind the library that
 * {@link NativeBinding#load} names: the C library, or the stand-in given by
 * {@code -Ddev.waitonaddress.linux-futex.library=PATH}.
 *
 * <p>{@code syscall} is variadic in C. The JNA mapping declares six fixed {@code long} arguments
 * after the number, which is correct on x86_64 and aarch64 Linux, where variadic and fixed
 * integer arguments travel in the same registers; the downcall declares them variadic. The
 * system call numbers are the only architecture-specific facts: x86_64 has its own table,
 * aarch64 the generic one; the structures have the same layout on both (LP64, little-endian).
 */
final class LinuxAbi {
    /** Constants and static calls only. */
    private LinuxAbi() {
    }

    /** The backend's name, as {@link NativeBinding} and error messages use it. */
    static final String BACKEND = "linux-futex";

    /** {@code SYS_futex}: 202 on x86_64, 98 on aarch64 (the generic table). */
    static final long SYS_FUTEX;
    /** {@code SYS_futex_waitv}: 449 on both x86_64 and aarch64 (Linux 5.16+). */
    static final long SYS_FUTEX_WAITV = 449;

    // futex(2) operations; the op word is the operation OR FUTEX_PRIVATE_FLAG
    /** Sleep while the word holds a value; relative time-out. */
    static final int FUTEX_WAIT = 0;
    /** Wake up to n waiters. */
    static final int FUTEX_WAKE = 1;
    /** Compare the source word, then wake some of its waiters and move others to a second word. */
    static final int FUTEX_CMP_REQUEUE = 4;
    /** Change a second word, wake on the first, and on the second if a comparison of its old value holds. */
    static final int FUTEX_WAKE_OP = 5;
    /** {@link #FUTEX_WAIT} with a bit set and an absolute {@code CLOCK_MONOTONIC} time-out. */
    static final int FUTEX_WAIT_BITSET = 9;
    /** The word is private to the process: the kernel keys it by address, not by page. */
    static final int FUTEX_PRIVATE_FLAG = 128;
    /** The bit set that matches every waker. */
    static final long FUTEX_BITSET_MATCH_ANY = 0xffff_ffffL;

    // futex_waitv(2): struct futex_waitv { u64 val; u64 uaddr; u32 flags; u32 __reserved; }
    /** Offset of {@code val}, the expected value, zero-extended. */
    static final int WAITV_VAL = 0;
    /** Offset of {@code uaddr}, the word. */
    static final int WAITV_UADDR = 8;
    /** Offset of {@code flags}. */
    static final int WAITV_FLAGS = 16;
    /** Offset of {@code __reserved}, which must be 0. */
    static final int WAITV_RESERVED = 20;
    /** Size of one {@code struct futex_waitv}. */
    static final int WAITV_SIZE = 24;
    /** The most entries one futex_waitv takes ({@code FUTEX_WAITV_MAX}). */
    static final int FUTEX_WAITV_MAX = 128;
    /** futex2 size flag of a 32-bit word, the only size futex_waitv takes. */
    static final int FUTEX2_SIZE_U32 = 0x02;
    /** futex2 flag of a process-private word (the same bit as {@link #FUTEX_PRIVATE_FLAG}). */
    static final int FUTEX2_PRIVATE = 128;

    // struct timespec { long tv_sec; long tv_nsec; }
    /** Size of {@code struct timespec}. */
    static final int TIMESPEC_SIZE = 16;
    /** {@code CLOCK_MONOTONIC}, the clock of {@link System#nanoTime()} on Linux. */
    static final int CLOCK_MONOTONIC = 1;

    /** The downcall of {@code syscall}, or null where the JNA mapping serves. */
    private static final NativeCall FOREIGN;
    /** How {@code syscall} is called, for diagnostics. */
    static final String PATH;

    static {
        NativeLibrary c = NativeBinding.load(BACKEND, Platform.isLinux(), Platform.C_LIBRARY_NAME, "Linux");
        if (Platform.ARCH.equals("x86-64")) {
            SYS_FUTEX = 202;
        } else if (Platform.ARCH.equals("aarch64")) {
            SYS_FUTEX = 98;
        } else {
            throw new UnsupportedOperationException(BACKEND + " knows the system call numbers of x86-64 and aarch64 "
                    + "only, not of " + Platform.ARCH);
        }
        Native.register(LinuxAbi.class, c);
        NativeCall foreign = null;
        String path = "JNA direct mapping";
        try {
            foreign = NativeCall.find(NativeBinding.override(BACKEND), "syscall", 7, 1);
            if (foreign != null) {
                path = foreign.describe();
            }
        } catch (UnsupportedOperationException e) { // native access denied, no syscall symbol
            path = "JNA direct mapping (" + e.getMessage() + ")";
        }
        FOREIGN = foreign;
        PATH = path;
    }

    /**
     * The JNA direct mapping of {@code syscall(2)}, bound by {@link Native#register}.
     *
     * @param number the system call number
     * @param a1 the first argument
     * @param a2 the second argument
     * @param a3 the third argument
     * @param a4 the fourth argument
     * @param a5 the fifth argument
     * @param a6 the sixth argument
     * @return the result, or -1 with {@link Native#getLastError()} holding errno
     */
    private static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    /**
     * {@code clock_gettime(2)}, through JNA: it is called at start-up and where
     * {@link System#nanoTime()} is not {@code CLOCK_MONOTONIC}, never on a hot path.
     *
     * @param clock the clock id
     * @param timespec the address of a {@code struct timespec} to fill
     * @return 0, or -1 with {@link Native#getLastError()} holding errno
     */
    static native int clock_gettime(int clock, long timespec);

    /**
     * One system call with up to six arguments, through the downcall or the JNA mapping.
     *
     * @param number the system call number
     * @param a1 the first argument
     * @param a2 the second argument
     * @param a3 the third argument
     * @param a4 the fourth argument
     * @param a5 the fifth argument
     * @param a6 the sixth argument
     * @return the result when it succeeded, or {@code -errno} when it failed (the calls made here
     *     never return a negative value on success)
     */
    static long call(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
        if (FOREIGN != null) {
            long r = FOREIGN.invoke(number, a1, a2, a3, a4, a5, a6);
            return r == -1 ? -FOREIGN.lastError() : r;
        }
        long r = syscall(number, a1, a2, a3, a4, a5, a6);
        return r == -1 ? -Native.getLastError() : r;
    }

    /**
     * The errno values the futex calls and {@code clock_gettime} document, with Linux's numbers
     * (the same on x86_64 and aarch64) and meanings.
     */
    enum Errno implements OsError {
        /** Stands for every errno this table does not list; the raw number is kept where it is reported. */
        UNKNOWN(0, "an errno the linux-futex backend does not list"),
        /** 1. */
        EPERM(1, "Operation not permitted"),
        /** 3. */
        ESRCH(3, "No such process"),
        /** 4. */
        EINTR(4, "Interrupted system call"),
        /** 11, also named EWOULDBLOCK. */
        EAGAIN(11, "Resource temporarily unavailable"),
        /** 12. */
        ENOMEM(12, "Cannot allocate memory"),
        /** 13. */
        EACCES(13, "Permission denied"),
        /** 14. */
        EFAULT(14, "Bad address"),
        /** 22. */
        EINVAL(22, "Invalid argument"),
        /** 23. */
        ENFILE(23, "Too many open files in system"),
        /** 35. */
        EDEADLK(35, "Resource deadlock avoided"),
        /** 38. */
        ENOSYS(38, "Function not implemented"),
        /** 110. */
        ETIMEDOUT(110, "Connection timed out");

        /** The constants indexed by code. */
        private static final Errno[] TABLE = OsError.table(Errno.class);

        /** Linux's number. */
        private final int code;
        /** Linux's text for it. */
        private final String meaning;

        /**
         * Declares one errno.
         *
         * @param code Linux's number
         * @param meaning Linux's text for it
         */
        Errno(int code, String meaning) {
            this.code = code;
            this.meaning = meaning;
        }

        /**
         * Looks an errno up.
         *
         * @param code an errno value
         * @return its constant, or {@link #UNKNOWN}
         */
        static Errno of(int code) {
            return OsError.of(TABLE, code, UNKNOWN);
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
