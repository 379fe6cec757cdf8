package dev.waitonaddress.macos;

/**
 * The macOS errno values the os_sync and __ulock calls return (xnu {@code sys/errno.h}). Several
 * differ from Linux: ETIMEDOUT is 60 here (110 on Linux), EAGAIN 35 (11).
 */
final class DarwinErrno {
    private DarwinErrno() {
    }

    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int ENOMEM = 12;
    static final int EFAULT = 14;
    static final int EINVAL = 22;
    static final int EDOM = 33;
    static final int EAGAIN = 35;
    static final int ETIMEDOUT = 60;
    static final int ECANCELED = 89;

    /** @return the symbolic name of a macOS errno value */
    static String name(int errno) {
        switch (errno) {
            case ENOENT: return "ENOENT";
            case EINTR: return "EINTR";
            case ENOMEM: return "ENOMEM";
            case EFAULT: return "EFAULT";
            case EINVAL: return "EINVAL";
            case EDOM: return "EDOM";
            case EAGAIN: return "EAGAIN";
            case ETIMEDOUT: return "ETIMEDOUT";
            case ECANCELED: return "ECANCELED";
            default: return "errno " + errno;
        }
    }
}
