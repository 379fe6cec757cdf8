/*
 * Contract emulator of xnu's private ulock calls (sys/ulock.h, bsd/kern/sys_ulock.c), on Linux
 * (README, "Other operating systems"): exports __ulock_wait, __ulock_wait2 and __ulock_wake with xnu's behaviour
 * and macOS errno numbers; the macos-ulock backend binds it through
 * -Ddev.waitonaddress.macos-ulock.library. The waiting itself is woa-darwin-ulock.h.
 * Built with -DWOA_NO_WAIT2 (libwoa-macos-ulock-10.15.c) it lacks __ulock_wait2, as macOS 10.15 does.
 *
 * xnu behaviour kept here:
 *  - operation bits [7,0]: UL_COMPARE_AND_WAIT 1, _SHARED 3, UL_COMPARE_AND_WAIT64 5, 64_SHARED 6
 *    (the unfair-lock opcodes 2 and 4 are not emulated: EINVAL, like an unknown opcode);
 *  - wait flags outside ULF_WAIT_MASK, wake flags outside ULF_WAKE_MASK -> EINVAL;
 *  - ULF_NO_ERRNO (0x01000000): an error is returned as -errno instead of -1 + errno;
 *  - wait: addr 0 or not aligned to the opcode's size -> EINVAL; a 4-byte word is zero-extended and
 *    compared with the whole 64-bit value; returns the waiters left (>= 0) when woken or when the
 *    value differed;
 *  - __ulock_wait: timeout in microseconds (32 bits), 0 = forever; __ulock_wait2: timeout in
 *    nanoseconds, 0 = forever, or with ULF_DEADLINE (0x02000000) an absolute mach_absolute_time()
 *    deadline (emulated as CLOCK_MONOTONIC nanoseconds: a 1/1 timebase, as on Intel Macs); ETIMEDOUT;
 *  - wake: addr 0 -> EINVAL; ULF_WAKE_ALL (0x100) wakes all, else one; nobody waiting -> ENOENT;
 *    ULF_WAKE_THREAD is not emulated (EINVAL).
 */
#include "woa-darwin-ulock.h"

#define UL_OPCODE_MASK 0x000000ffu
#define UL_FLAGS_MASK 0xffffff00u
#define ULF_WAKE_ALL 0x00000100u
#define ULF_WAKE_THREAD 0x00000200u
#define ULF_WAKE_ALLOW_NON_OWNER 0x00000400u
#define ULF_WAIT_WORKQ_DATA_CONTENTION 0x00010000u
#define ULF_WAIT_CANCEL_POINT 0x00020000u
#define ULF_WAIT_ADAPTIVE_SPIN 0x00040000u
#define ULF_NO_ERRNO 0x01000000u
#define ULF_DEADLINE 0x02000000u
#define ULF_WAIT_MASK \
    (ULF_NO_ERRNO | ULF_DEADLINE | ULF_WAIT_WORKQ_DATA_CONTENTION | ULF_WAIT_CANCEL_POINT | ULF_WAIT_ADAPTIVE_SPIN)
#define ULF_WAKE_MASK (ULF_NO_ERRNO | ULF_WAKE_ALL | ULF_WAKE_THREAD | ULF_WAKE_ALLOW_NON_OWNER)

/* The operand size of a compare-and-wait opcode, 0 for any other, and whether it is shared. */
static size_t op_size(uint32_t opcode, int *shared) {
    switch (opcode) {
    case 1: *shared = 0; return 4;
    case 3: *shared = 1; return 4;
    case 5: *shared = 0; return 8;
    case 6: *shared = 1; return 8;
    default: return 0;
    }
}

static int result(uint32_t operation, int r) {
    if (r >= 0) {
        return r;
    }
    if (operation & ULF_NO_ERRNO) {
        return r;
    }
    errno = -r;
    return -1;
}

static int wait_common(uint32_t operation, void *addr, uint64_t value, uint64_t timeout_ns) {
    uint32_t flags = operation & UL_FLAGS_MASK;
    int shared = 0;
    size_t size = op_size(operation & UL_OPCODE_MASK, &shared);
    if ((flags & ULF_WAIT_MASK) != flags || size == 0 || addr == NULL || ((uintptr_t)addr & (size - 1)) != 0) {
        return result(operation, -DARWIN_EINVAL);
    }
    return result(operation, woa_wait(addr, value, size, shared, timeout_ns));
}

int __ulock_wait(uint32_t operation, void *addr, uint64_t value, uint32_t timeout_us) {
    if (operation & ULF_DEADLINE) { /* deadlines are __ulock_wait2's */
        return result(operation, -DARWIN_EINVAL);
    }
    return wait_common(operation, addr, value, (uint64_t)timeout_us * 1000u);
}

#ifndef WOA_NO_WAIT2
int __ulock_wait2(uint32_t operation, void *addr, uint64_t value, uint64_t timeout, uint64_t value2) {
    (void)value2; /* only the unfair-lock opcodes use it */
    if ((operation & ULF_DEADLINE) && timeout != 0) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        uint64_t mach_now = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
        timeout = timeout > mach_now ? timeout - mach_now : 1; /* a past deadline: a poll */
    }
    return wait_common(operation & ~ULF_DEADLINE, addr, value, timeout);
}
#endif

int __ulock_wake(uint32_t operation, void *addr, uint64_t wake_value) {
    (void)wake_value; /* only ULF_WAKE_THREAD uses it */
    uint32_t flags = operation & UL_FLAGS_MASK;
    int shared = 0;
    size_t size = op_size(operation & UL_OPCODE_MASK, &shared);
    if (size == 0 || (flags & ULF_WAKE_MASK) != flags || (flags & ULF_WAKE_THREAD) || addr == NULL) {
        return result(operation, -DARWIN_EINVAL);
    }
    return result(operation, woa_wake(addr, size, shared, (flags & ULF_WAKE_ALL) != 0));
}
