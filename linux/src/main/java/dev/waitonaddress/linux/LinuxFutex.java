package dev.waitonaddress.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The Linux kernel ABI the backend uses: system call numbers, futex operations and flags, the
 * layout of {@code struct futex_waitv}, errno values, and the JNA direct mappings of
 * {@code syscall(2)} and {@code clock_gettime(2)}.
 *
 * <p>{@code syscall} is variadic in C; a fixed-arity mapping with six {@code long} arguments is
 * correct on x86_64 and aarch64 Linux, where variadic and fixed integer arguments travel in the
 * same registers. The system call numbers are the only architecture-specific facts: x86_64 has
 * its own table, aarch64 uses the generic one ({@code include/uapi/asm-generic/unistd.h}); the
 * structures below have the same layout on both (LP64, little-endian, 8-byte {@code long}).
 */
final class LinuxFutex {
    private LinuxFutex() {
    }

    /** {@code SYS_futex}: 202 on x86_64, 98 on aarch64 (asm-generic). */
    static final long SYS_FUTEX;
    /** {@code SYS_futex_waitv}: 449 on both x86_64 and aarch64 (Linux 5.16+). */
    static final long SYS_FUTEX_WAITV = 449;

    // futex(2) operations; the op word is the operation OR FUTEX_PRIVATE_FLAG
    static final int FUTEX_WAIT = 0;
    static final int FUTEX_WAKE = 1;
    static final int FUTEX_CMP_REQUEUE = 4;
    static final int FUTEX_WAKE_OP = 5;
    static final int FUTEX_WAIT_BITSET = 9;
    static final int FUTEX_PRIVATE_FLAG = 128;
    static final long FUTEX_BITSET_MATCH_ANY = 0xffff_ffffL;

    // futex_waitv(2): struct futex_waitv { u64 val; u64 uaddr; u32 flags; u32 __reserved; }
    static final int WAITV_VAL = 0;
    static final int WAITV_UADDR = 8;
    static final int WAITV_FLAGS = 16;
    static final int WAITV_RESERVED = 20;
    static final int WAITV_SIZE = 24;
    /** The most entries one futex_waitv takes ({@code FUTEX_WAITV_MAX}). */
    static final int FUTEX_WAITV_MAX = 128;
    /** futex2 size flag of a 32-bit word; the only size futex_waitv accepts up to Linux 6.18. */
    static final int FUTEX2_SIZE_U32 = 0x02;
    /** futex2 flag of a process-private word (the same bit as FUTEX_PRIVATE_FLAG). */
    static final int FUTEX2_PRIVATE = 128;

    // struct timespec { long tv_sec; long tv_nsec; }
    static final int TIMESPEC_SIZE = 16;
    static final int CLOCK_MONOTONIC = 1;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EFAULT = 14;
    static final int EINVAL = 22;
    static final int ENFILE = 23;
    static final int ENOSYS = 38;
    static final int ETIMEDOUT = 110;

    static {
        if (!Platform.isLinux()) {
            throw new UnsupportedOperationException("linux-futex needs Linux; this is " + System.getProperty("os.name"));
        }
        if (Platform.ARCH.equals("x86-64")) {
            SYS_FUTEX = 202;
        } else if (Platform.ARCH.equals("aarch64")) {
            SYS_FUTEX = 98;
        } else {
            throw new UnsupportedOperationException("linux-futex knows the system call numbers of x86-64 and "
                    + "aarch64 only, not of " + Platform.ARCH);
        }
        Native.register(LinuxFutex.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    /** @return the result, or -1 with {@link Native#getLastError()} holding errno */
    static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    /** @return 0, or -1 with errno */
    static native int clock_gettime(int clock, long timespec);

    /** @return the symbolic name of a Linux errno value the futex calls can return */
    static String errnoName(int errno) {
        switch (errno) {
            case EPERM: return "EPERM";
            case ENOENT: return "ENOENT";
            case ESRCH: return "ESRCH";
            case EINTR: return "EINTR";
            case EAGAIN: return "EAGAIN";
            case ENOMEM: return "ENOMEM";
            case EFAULT: return "EFAULT";
            case EINVAL: return "EINVAL";
            case ENFILE: return "ENFILE";
            case ENOSYS: return "ENOSYS";
            case ETIMEDOUT: return "ETIMEDOUT";
            default: return "errno " + errno;
        }
    }
}
