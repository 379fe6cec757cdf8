/*
 * Contract emulator of OpenBSD's futex(2) (libc, sys/futex.h), built on Linux futexes for the
 * `openbsd-futex` backend's library override (-Ddev.waitonaddress.openbsd-futex.library=PATH):
 *
 *   int futex(volatile uint32_t *uaddr, int op, int val, const struct timespec *timeout,
 *             volatile uint32_t *uaddr2);
 *
 * with OpenBSD's numbers, not Linux's:
 *   ops      FUTEX_WAIT 1, FUTEX_WAKE 2, FUTEX_REQUEUE 3, optionally | FUTEX_PRIVATE_FLAG 128;
 *            anything else: -1, errno ENOSYS (78).
 *   errno    EAGAIN 35 (value differs), ETIMEDOUT 60, EINTR 4 (signal), ECANCELED 88 (signal with
 *            SA_RESTART), EFAULT 14 (uaddr unreadable), EINVAL 22 (timespec out of range).
 *   WAIT     relative timespec, NULL = no time-out. The timespec is checked first (tv_sec < 0 or
 *            tv_nsec outside [0, 1e9): EINVAL), then *uaddr is read (EFAULT) and compared with val
 *            (EAGAIN), then the thread sleeps: 0 when woken, -1/ETIMEDOUT when the time-out
 *            expires. A zero timespec therefore still compares, then times out at once.
 *   WAKE     wakes up to val waiters (val < 0: every waiter); returns how many; never reads *uaddr.
 *   REQUEUE  wakes up to val waiters of uaddr and moves up to (u_long) timeout more onto uaddr2,
 *            with no compare; returns woken plus moved.
 *   PRIVATE  with the flag, waiters are keyed by address in this process; without it, shared
 *            mappings are keyed by the memory object, so it works across processes.
 * Success returns 0 (WAIT) or a count; failure returns -1 with errno set, as current OpenBSD does.
 * Earlier kernels (sys_futex.c up to revision 1.9, 2018) returned the errno number itself; the
 * hook woa_emulator_errno_as_result(1) switches to that convention.
 *
 * Signals never reach a waiter here; the EINTR and ECANCELED paths are reachable through the
 * test hook woa_emulator_inject_errno below.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

#define OB_FUTEX_WAIT 1
#define OB_FUTEX_WAKE 2
#define OB_FUTEX_REQUEUE 3
#define OB_FUTEX_PRIVATE_FLAG 128

#define OB_EINTR 4
#define OB_EFAULT 14
#define OB_EINVAL 22
#define OB_EAGAIN 35
#define OB_ETIMEDOUT 60
#define OB_ENOSYS 78
#define OB_ECANCELED 88

static int pending_errno;
static int sleepers;
static int64_t last_timeout_ns = INT64_MIN;

/** The OpenBSD errno for a Linux one that a futex call returned. */
static int to_openbsd(int linux_errno) {
    switch (linux_errno) {
        case EAGAIN: return OB_EAGAIN;
        case ETIMEDOUT: return OB_ETIMEDOUT;
        case EINTR: return OB_EINTR;
        case EFAULT: return OB_EFAULT;
        case EINVAL: return OB_EINVAL;
        case ENOSYS: return OB_ENOSYS;
        default: return OB_EINVAL;
    }
}

static int errno_as_result;

static int fail(int openbsd_errno) {
    if (__atomic_load_n(&errno_as_result, __ATOMIC_SEQ_CST)) {
        return openbsd_errno;
    }
    errno = openbsd_errno;
    return -1;
}

static int pipe_fds[2] = {-1, -1};
static pthread_once_t pipe_once = PTHREAD_ONCE_INIT;

static void open_probe_pipe(void) {
    if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        pipe_fds[0] = pipe_fds[1] = -1;
    }
}

/* Whether the 4-byte word at p can be read: the kernel copies one byte of it into a pipe (EFAULT if not). */
static int readable(const volatile uint32_t *p) {
    pthread_once(&pipe_once, open_probe_pipe);
    if (pipe_fds[1] < 0) {
        return 1;
    }
    int saved = errno;
    int ok = 1;
    if (write(pipe_fds[1], (const void *) p, 1) == 1) {
        char sink;
        while (read(pipe_fds[0], &sink, 1) != 1 && errno == EINTR) {
        }
    } else if (errno == EFAULT) {
        ok = 0;
    }
    errno = saved;
    return ok;
}

static long linux_futex(volatile uint32_t *uaddr, int op, int val, const void *timeout, volatile uint32_t *uaddr2) {
    return syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, 0);
}

static int wait_op(volatile uint32_t *uaddr, int val, const struct timespec *timeout, int private_flag) {
    if (timeout != NULL) {
        if (timeout->tv_sec < 0 || timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000L) {
            __atomic_store_n(&last_timeout_ns, -2, __ATOMIC_SEQ_CST);
            return fail(OB_EINVAL);
        }
        int64_t ns = timeout->tv_sec > INT64_MAX / 1000000000LL - 1 ? INT64_MAX
                : (int64_t) timeout->tv_sec * 1000000000LL + timeout->tv_nsec;
        __atomic_store_n(&last_timeout_ns, ns, __ATOMIC_SEQ_CST);
    } else {
        __atomic_store_n(&last_timeout_ns, -1, __ATOMIC_SEQ_CST);
    }
    int zero = timeout != NULL && timeout->tv_sec == 0 && timeout->tv_nsec == 0;
    if (zero || __atomic_load_n(&pending_errno, __ATOMIC_SEQ_CST) != 0) {
        /* read and compare without queueing: EFAULT, EAGAIN, or (equal) the time-out / the injected signal */
        if (!readable(uaddr)) {
            return fail(OB_EFAULT);
        }
        if (__atomic_load_n(uaddr, __ATOMIC_SEQ_CST) != (uint32_t) val) {
            return fail(OB_EAGAIN);
        }
        int injected = __atomic_exchange_n(&pending_errno, 0, __ATOMIC_SEQ_CST);
        if (injected != 0) {
            return fail(injected);
        }
        if (zero) {
            return fail(OB_ETIMEDOUT);
        }
    }
    /* Linux compares and goes to sleep in one step, as OpenBSD does under its futex lock */
    __atomic_add_fetch(&sleepers, 1, __ATOMIC_SEQ_CST);
    long r = linux_futex(uaddr, FUTEX_WAIT | private_flag, val, timeout, NULL);
    int e = errno;
    __atomic_sub_fetch(&sleepers, 1, __ATOMIC_SEQ_CST);
    return r == 0 ? 0 : fail(to_openbsd(e));
}

EXPORT int futex(volatile uint32_t *uaddr, int op, int val, const struct timespec *timeout, volatile uint32_t *uaddr2) {
    int private_flag = (op & OB_FUTEX_PRIVATE_FLAG) ? FUTEX_PRIVATE_FLAG : 0;
    long r;
    switch (op & ~OB_FUTEX_PRIVATE_FLAG) {
        case OB_FUTEX_WAIT:
            return wait_op(uaddr, val, timeout, private_flag);
        case OB_FUTEX_WAKE:
            r = linux_futex(uaddr, FUTEX_WAKE | private_flag, val < 0 ? INT_MAX : val, NULL, NULL);
            if (r < 0) {
                return errno == EFAULT ? 0 : fail(to_openbsd(errno)); /* OpenBSD never reads *uaddr to wake */
            }
            return (int) r;
        case OB_FUTEX_REQUEUE: {
            unsigned long moves = (unsigned long) timeout;
            r = linux_futex(uaddr, FUTEX_REQUEUE | private_flag, val < 0 ? INT_MAX : val,
                    (const void *) (moves > INT_MAX ? (unsigned long) INT_MAX : moves), uaddr2);
            if (r < 0) {
                return errno == EFAULT ? 0 : fail(to_openbsd(errno));
            }
            return (int) r;
        }
        default:
            return fail(OB_ENOSYS);
    }
}

/* ---------------------------------------------------------------- test hooks (not OpenBSD API) */

/**
 * The next FUTEX_WAIT that would sleep (its value matched) fails at once with -1 and this errno
 * instead, as a signal does (EINTR, or ECANCELED under SA_RESTART). 0 clears.
 */
EXPORT void woa_emulator_inject_errno(int openbsd_errno) {
    __atomic_store_n(&pending_errno, openbsd_errno, __ATOMIC_SEQ_CST);
}

/** Whether an injected errno is still waiting for a FUTEX_WAIT to take it. */
EXPORT int woa_emulator_injection_pending(void) {
    return __atomic_load_n(&pending_errno, __ATOMIC_SEQ_CST) != 0;
}

/**
 * The time-out of the most recent FUTEX_WAIT, from any thread: nanoseconds, -1 for NULL (no
 * time-out), -2 for an invalid timespec, INT64_MIN before any wait.
 */
EXPORT int64_t woa_emulator_last_timeout_ns(void) {
    return __atomic_load_n(&last_timeout_ns, __ATOMIC_SEQ_CST);
}

/** 1: failures return the errno number itself, as earlier kernels did; 0: -1 and errno. */
EXPORT void woa_emulator_errno_as_result(int on) {
    __atomic_store_n(&errno_as_result, on, __ATOMIC_SEQ_CST);
}

/** How many threads are in (or just entering or leaving) a sleeping FUTEX_WAIT right now. */
EXPORT int woa_emulator_sleepers(void) {
    return __atomic_load_n(&sleepers, __ATOMIC_SEQ_CST);
}
