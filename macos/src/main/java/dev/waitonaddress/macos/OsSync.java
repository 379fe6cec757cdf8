package dev.waitonaddress.macos;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * JNA direct mappings of libSystem's {@code <os/os_sync_wait_on_address.h>} (macOS 14.4+) and its
 * constants. None of the functions is variadic, so fixed-arity mappings are right on arm64 and
 * x86_64 alike. Class initialisation binds the library and fails with {@link UnsatisfiedLinkError}
 * when a symbol is missing (macOS before 14.4).
 *
 * <p>Contract (Apple's header): wait returns the number of waiters left (&ge; 0) when woken
 * <em>or</em> when the value differed, else -1 with errno; wake returns 0, or -1 with errno
 * (ENOENT: nobody waits). Sizes 4 and 8, the address aligned to the size; for size 4 the upper
 * half of {@code value} is ignored.
 */
final class OsSync {
    private OsSync() {
    }

    static final String BACKEND = "macos-os-sync";

    static final int OS_SYNC_WAIT_ON_ADDRESS_NONE = 0;
    static final int OS_SYNC_WAIT_ON_ADDRESS_SHARED = 1;
    static final int OS_SYNC_WAKE_BY_ADDRESS_NONE = 0;
    static final int OS_SYNC_WAKE_BY_ADDRESS_SHARED = 1;
    /** {@code os_clockid_t} of {@code <os/clock.h>}: the only clock the wait functions accept. */
    static final int OS_CLOCK_MACH_ABSOLUTE_TIME = 32;

    static {
        Native.register(OsSync.class, library());
    }

    private static NativeLibrary library() {
        NativeLibrary lib = DarwinLibrary.load(BACKEND);
        for (String symbol : new String[] {"os_sync_wait_on_address", "os_sync_wait_on_address_with_timeout",
                "os_sync_wake_by_address_any", "os_sync_wake_by_address_all"}) {
            try {
                lib.getFunction(symbol);
            } catch (UnsatisfiedLinkError e) {
                UnsatisfiedLinkError missing = new UnsatisfiedLinkError(symbol + " is missing from "
                        + DarwinLibrary.describe(BACKEND) + ": it needs macOS 14.4 or later (macos-ulock serves "
                        + "older systems)");
                missing.initCause(e);
                throw missing;
            }
        }
        return lib;
    }

    /** @return waiters left (&ge; 0), or -1 with errno */
    static native int os_sync_wait_on_address(long addr, long value, long size, int flags);

    /** @param timeoutNs relative, in nanoseconds; 0 is EINVAL @return as above, or -1 with ETIMEDOUT */
    static native int os_sync_wait_on_address_with_timeout(long addr, long value, long size, int flags, int clockid,
            long timeoutNs);

    /** @return 0, or -1 with errno (ENOENT: no waiter) */
    static native int os_sync_wake_by_address_any(long addr, long size, int flags);

    /** @return 0, or -1 with errno (ENOENT: no waiter) */
    static native int os_sync_wake_by_address_all(long addr, long size, int flags);
}
