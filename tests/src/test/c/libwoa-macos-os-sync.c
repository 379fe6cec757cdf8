/*
 * Contract emulator of macOS 14.4's <os/os_sync_wait_on_address.h>, on Linux (README, "Other operating systems"):
 * exports os_sync_wait_on_address, os_sync_wait_on_address_with_timeout,
 * os_sync_wake_by_address_any and os_sync_wake_by_address_all with Apple's documented behaviour
 * and macOS errno numbers; the macos-os-sync backend binds it through
 * -Ddev.waitonaddress.macos-os-sync.library. The waiting itself is woa-darwin-ulock.h.
 *
 * Documented behaviour kept here:
 *  - flags other than NONE (0) / SHARED (1), a size other than 4 or 8 -> EINVAL;
 *  - wait: addr NULL or not aligned to size -> EINVAL; for size 4 the upper half of value is ignored;
 *  - _with_timeout: a clock other than OS_CLOCK_MACH_ABSOLUTE_TIME (32) -> EINVAL, a zero
 *    timeout_ns -> EINVAL, otherwise timeout_ns is relative, in nanoseconds; ETIMEDOUT on expiry;
 *  - wait returns the waiters left (>= 0) when woken or when the value differed, -1 + errno else;
 *  - wake: addr NULL -> EINVAL; nobody waiting -> -1 + ENOENT; 0 otherwise (no count).
 */
#include "woa-darwin-ulock.h"

#define OS_SYNC_FLAG_SHARED 1u
#define OS_CLOCK_MACH_ABSOLUTE_TIME 32u

static int fail(int darwin_errno) {
    errno = darwin_errno;
    return -1;
}

static int bad_size_or_flags(size_t size, uint32_t flags) {
    return (flags & ~OS_SYNC_FLAG_SHARED) != 0 || (size != 4 && size != 8);
}

static int wait_common(void *addr, uint64_t value, size_t size, uint32_t flags, uint64_t timeout_ns) {
    if (addr == NULL || ((uintptr_t)addr & (size - 1)) != 0) {
        return fail(DARWIN_EINVAL);
    }
    if (size == 4) {
        value &= 0xffffffffull; /* "the upper 4 bytes of value are ignored" */
    }
    int r = woa_wait(addr, value, size, (flags & OS_SYNC_FLAG_SHARED) != 0, timeout_ns);
    return r >= 0 ? r : fail(-r);
}

int os_sync_wait_on_address(void *addr, uint64_t value, size_t size, uint32_t flags) {
    if (bad_size_or_flags(size, flags)) {
        return fail(DARWIN_EINVAL);
    }
    return wait_common(addr, value, size, flags, 0);
}

int os_sync_wait_on_address_with_timeout(void *addr, uint64_t value, size_t size, uint32_t flags, uint32_t clockid,
                                         uint64_t timeout_ns) {
    if (bad_size_or_flags(size, flags) || clockid != OS_CLOCK_MACH_ABSOLUTE_TIME || timeout_ns == 0) {
        return fail(DARWIN_EINVAL);
    }
    return wait_common(addr, value, size, flags, timeout_ns);
}

static int wake_common(void *addr, size_t size, uint32_t flags, int all) {
    if (bad_size_or_flags(size, flags) || addr == NULL) {
        return fail(DARWIN_EINVAL);
    }
    int r = woa_wake(addr, size, (flags & OS_SYNC_FLAG_SHARED) != 0, all);
    return r == 0 ? 0 : fail(-r);
}

int os_sync_wake_by_address_any(void *addr, size_t size, uint32_t flags) {
    return wake_common(addr, size, flags, 0);
}

int os_sync_wake_by_address_all(void *addr, size_t size, uint32_t flags) {
    return wake_common(addr, size, flags, 1);
}
