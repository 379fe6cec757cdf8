package dev.waitonaddress.openbsd;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The OpenBSD ABI the backend uses: the JNA direct mapping of libc's
 * {@code int futex(volatile uint32_t *uaddr, int op, int val, const struct timespec *timeout,
 * volatile uint32_t *uaddr2)}, its operations (from OpenBSD's {@code sys/futex.h}) and OpenBSD's
 * errno values, which are not Linux's (EAGAIN 35, ETIMEDOUT 60, ECANCELED 88, ENOSYS 78).
 *
 * <p>{@code futex} returns 0 (FUTEX_WAIT) or a count (FUTEX_WAKE, FUTEX_REQUEUE), or -1 with errno,
 * read through {@link Native#getLastError()}. Earlier kernels (sys_futex.c up to revision 1.9, of
 * 2018) returned the errno number itself; for FUTEX_WAIT, whose success is 0, the backend reads
 * both. Pointers are passed as {@code long}: 64-bit OpenBSD only. {@code struct timespec} is
 * {@code {int64 tv_sec; long tv_nsec}}, 16 bytes.
 *
 * <p>{@code -Ddev.waitonaddress.openbsd-futex.library=PATH} binds the library at PATH instead of
 * libc, on any OS (a stand-in exporting {@code futex}, such as the test build's contract emulator).
 */
final class OpenBsdFutex {
    private OpenBsdFutex() {
    }

    /** The system property naming a library to bind instead of OpenBSD's libc. */
    static final String LIBRARY_PROPERTY = "dev.waitonaddress.openbsd-futex.library";

    static final int FUTEX_WAIT = 1;
    static final int FUTEX_WAKE = 2;
    static final int FUTEX_REQUEUE = 3;
    static final int FUTEX_PRIVATE_FLAG = 128;

    static final int EINTR = 4;
    static final int EFAULT = 14;
    static final int EINVAL = 22;
    static final int EAGAIN = 35;
    static final int ETIMEDOUT = 60;
    static final int ENOSYS = 78;
    static final int ECANCELED = 88;

    /** What was bound: libc, or the override's path. */
    static final String BOUND;

    static {
        String override = System.getProperty(LIBRARY_PROPERTY, "");
        if (!Platform.is64Bit()) {
            throw new UnsupportedOperationException("openbsd-futex supports 64-bit systems only; this JVM is 32-bit");
        }
        NativeLibrary library;
        if (!override.isEmpty()) {
            library = NativeLibrary.getInstance(override);
            BOUND = override + " (-D" + LIBRARY_PROPERTY + ")";
        } else {
            if (!Platform.isOpenBSD()) {
                throw new UnsupportedOperationException("openbsd-futex needs OpenBSD 6.2 or later (futex(2) in libc); "
                        + "this is " + System.getProperty("os.name") + ". -D" + LIBRARY_PROPERTY
                        + "=PATH binds a stand-in library instead");
            }
            library = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
            BOUND = "libc";
        }
        Native.register(OpenBsdFutex.class, library);
    }

    /**
     * @param timeout FUTEX_WAIT: address of a relative {@code struct timespec}, or 0 for none;
     *     FUTEX_REQUEUE: the most waiters to move, as a number
     * @return 0, a count, or -1 with errno
     */
    static native int futex(long uaddr, int op, int val, long timeout, long uaddr2);

    /** @return the symbolic name of an OpenBSD errno value futex(2) can return */
    static String errnoName(int errno) {
        switch (errno) {
            case EINTR: return "EINTR";
            case EFAULT: return "EFAULT";
            case EINVAL: return "EINVAL";
            case EAGAIN: return "EAGAIN";
            case ETIMEDOUT: return "ETIMEDOUT";
            case ENOSYS: return "ENOSYS";
            case ECANCELED: return "ECANCELED";
            default: return "errno " + errno;
        }
    }
}
