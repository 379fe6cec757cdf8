/*
 * Contract emulator of FreeBSD's _umtx_op(2) (libc, sys/umtx.h, sys/kern/kern_umtx.c), built on
 * Linux futexes for the `freebsd-umtx` backend's library override
 * (-Ddev.waitonaddress.freebsd-umtx.library=PATH):
 *
 *   int _umtx_op(void *obj, int op, u_long val, void *uaddr, void *uaddr2);
 *
 * with FreeBSD's numbers and results, not Linux's:
 *   ops      UMTX_OP_WAIT 2 (compares the u_long, 64 bits), UMTX_OP_WAKE 3, UMTX_OP_WAIT_UINT 11
 *            (compares the u_int zero-extended with val), UMTX_OP_WAIT_UINT_PRIVATE 15,
 *            UMTX_OP_WAKE_PRIVATE 16; any other op: -1, errno EINVAL (22) (the kernel's other ops
 *            are locks and semaphores, not emulated).
 *   errno    ETIMEDOUT 60, EINTR 4 (signal), EFAULT 14 (word unmapped), EINVAL 22 (time-out out of
 *            range, unknown clock).
 *   WAIT     uaddr2 NULL: no time-out. Otherwise (size_t) uaddr is the size of the structure at
 *            uaddr2: up to sizeof(struct timespec) (16), a timespec relative on CLOCK_REALTIME;
 *            more, a struct _umtx_time {timespec _timeout; uint32 _flags; uint32 _clockid}
 *            (24 bytes), relative, or absolute with _flags & UMTX_ABSTIME (1), on _clockid
 *            (CLOCK_REALTIME 0 or CLOCK_MONOTONIC 4 here). The time-out is checked first
 *            (tv_sec < 0 or tv_nsec outside [0, 1e9): EINVAL), then the word is read (EFAULT) and
 *            compared: a value that differs returns 0 at once, the same success as a wake-up.
 *            Otherwise the thread sleeps: 0 when woken, -1/ETIMEDOUT when the time-out passes. A
 *            zero time-out therefore still compares, then times out at once.
 *   WAKE     wakes up to (int) val waiters (at least one, as the kernel's loop does) and returns 0:
 *            never how many. Never reads the word.
 *   KEYS     the _PRIVATE ops key waiters by address in this process (Linux FUTEX_PRIVATE_FLAG);
 *            the others by memory object where the mapping is shared, so they work across
 *            processes (a Linux futex without the flag keys the same way). A shared wake of
 *            memory that is not mapped answers EFAULT, as the kernel's key lookup does; a private
 *            wake answers 0.
 *   64 BITS  Linux futexes are 32-bit: UMTX_OP_WAIT compares all 64 bits, then sleeps on the
 *            futex of the word's address (its low half on little-endian machines, which is where
 *            UMTX_OP_WAKE wakes), in slices of at most 2 ms, comparing all 64 bits again between
 *            slices: a change of the high half alone is seen within a slice.
 *
 * Signals never reach a waiter here; the EINTR path is reachable through the test hook
 * woa_emulator_inject_errno, and spurious returns of 0 through woa_emulator_inject_spurious.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

#define FB_UMTX_OP_WAIT 2
#define FB_UMTX_OP_WAKE 3
#define FB_UMTX_OP_WAIT_UINT 11
#define FB_UMTX_OP_WAIT_UINT_PRIVATE 15
#define FB_UMTX_OP_WAKE_PRIVATE 16

#define FB_UMTX_ABSTIME 1
#define FB_CLOCK_REALTIME 0
#define FB_CLOCK_MONOTONIC 4

#define FB_EINTR 4
#define FB_EFAULT 14
#define FB_EINVAL 22
#define FB_ETIMEDOUT 60

#define SLICE_NS 2000000L

/* FreeBSD's struct _umtx_time on LP64. */
struct fb_umtx_time {
    struct timespec timeout;
    uint32_t flags;
    uint32_t clockid;
};

static int pending_errno;
static int pending_spurious;
static int sleepers;
static int64_t last_timeout_ns = INT64_MIN;
static int last_timeout_form = -1;

static int fail(int freebsd_errno) {
    errno = freebsd_errno;
    return -1;
}

static int pipe_fds[2] = {-1, -1};
static pthread_once_t pipe_once = PTHREAD_ONCE_INIT;

static void open_probe_pipe(void) {
    if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        pipe_fds[0] = pipe_fds[1] = -1;
    }
}

/* Whether n bytes at p can be read: the kernel copies them into a pipe (EFAULT if not). */
static int readable(const volatile void *p, size_t n) {
    pthread_once(&pipe_once, open_probe_pipe);
    if (pipe_fds[1] < 0) {
        return 1;
    }
    int saved = errno;
    int ok = 1;
    char sink[32];
    ssize_t w = write(pipe_fds[1], (const void *) p, n < sizeof sink ? n : sizeof sink);
    if (w > 0) {
        while (read(pipe_fds[0], sink, (size_t) w) < 0 && errno == EINTR) {
        }
    } else if (w < 0 && errno == EFAULT) {
        ok = 0;
    }
    errno = saved;
    return ok;
}

static long linux_futex(volatile void *uaddr, int op, int val, const struct timespec *timeout) {
    return syscall(SYS_futex, uaddr, op, val, timeout, NULL, FUTEX_BITSET_MATCH_ANY);
}

static int64_t ns_of(const struct timespec *t) {
    if (t->tv_sec > INT64_MAX / 1000000000LL - 1) {
        return INT64_MAX;
    }
    return (int64_t) t->tv_sec * 1000000000LL + t->tv_nsec;
}

static struct timespec add_ns(struct timespec t, int64_t ns) {
    if (t.tv_sec > (INT64_MAX - ns / 1000000000LL) - 2) {
        t.tv_sec = INT64_MAX / 2; /* far enough: never reached */
        return t;
    }
    t.tv_sec += ns / 1000000000LL;
    t.tv_nsec += ns % 1000000000LL;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

static int before(const struct timespec *a, const struct timespec *b) {
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* The word's value as the op compares it: 64 bits for UMTX_OP_WAIT, else the u_int zero-extended. */
static unsigned long load(const volatile void *obj, int wide) {
    return wide ? __atomic_load_n((const volatile unsigned long *) obj, __ATOMIC_SEQ_CST)
                : (unsigned long) __atomic_load_n((const volatile uint32_t *) obj, __ATOMIC_SEQ_CST);
}

static int wait_op(volatile void *obj, unsigned long val, size_t size, const void *uaddr2, int wide, int private_flag) {
    /* 1. the time-out, as the kernel copies it in before it looks at the word */
    int timed = uaddr2 != NULL;
    int clock = CLOCK_REALTIME;
    struct timespec deadline = {0, 0};
    if (timed) {
        struct fb_umtx_time t = {{0, 0}, 0, FB_CLOCK_REALTIME};
        if (!readable(uaddr2, size <= sizeof(struct timespec) ? sizeof(struct timespec) : sizeof t)) {
            return fail(FB_EFAULT);
        }
        if (size <= sizeof(struct timespec)) {
            t.timeout = *(const struct timespec *) uaddr2;
        } else {
            t = *(const struct fb_umtx_time *) uaddr2;
        }
        if (t.timeout.tv_sec < 0 || t.timeout.tv_nsec < 0 || t.timeout.tv_nsec >= 1000000000L) {
            __atomic_store_n(&last_timeout_ns, -2, __ATOMIC_SEQ_CST);
            return fail(FB_EINVAL);
        }
        if (t.clockid == FB_CLOCK_REALTIME) {
            clock = CLOCK_REALTIME;
        } else if (t.clockid == FB_CLOCK_MONOTONIC) {
            clock = CLOCK_MONOTONIC;
        } else {
            return fail(FB_EINVAL);
        }
        int absolute = (t.flags & FB_UMTX_ABSTIME) != 0;
        __atomic_store_n(&last_timeout_ns, ns_of(&t.timeout), __ATOMIC_SEQ_CST);
        __atomic_store_n(&last_timeout_form,
                (size <= sizeof(struct timespec) ? 0 : 1) | (absolute ? 2 : 0) | (clock == CLOCK_MONOTONIC ? 4 : 0),
                __ATOMIC_SEQ_CST);
        if (absolute) {
            deadline = t.timeout;
        } else {
            clock_gettime(clock, &deadline);
            deadline = add_ns(deadline, ns_of(&t.timeout));
        }
    } else {
        __atomic_store_n(&last_timeout_ns, -1, __ATOMIC_SEQ_CST);
        __atomic_store_n(&last_timeout_form, -1, __ATOMIC_SEQ_CST);
    }
    /* 2. read and compare: a value that differs is the same success as a wake-up */
    if (!readable(obj, wide ? 8 : 4)) {
        return fail(FB_EFAULT);
    }
    if (load(obj, wide) != val) {
        return 0;
    }
    /* test hooks: a signal, or a spurious return, instead of the sleep */
    int injected = __atomic_exchange_n(&pending_errno, 0, __ATOMIC_SEQ_CST);
    if (injected != 0) {
        return fail(injected);
    }
    for (int s = __atomic_load_n(&pending_spurious, __ATOMIC_SEQ_CST); s > 0;
            s = __atomic_load_n(&pending_spurious, __ATOMIC_SEQ_CST)) {
        if (__atomic_compare_exchange_n(&pending_spurious, &s, s - 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
            return 0;
        }
    }
    /* 3. sleep: Linux compares the (low) 32 bits and goes to sleep in one step, keyed as FreeBSD keys */
    int op = FUTEX_WAIT_BITSET | private_flag | (clock == CLOCK_REALTIME ? FUTEX_CLOCK_REALTIME : 0);
    uint32_t low = (uint32_t) val; /* for a u_int, val fits: the compare above saw it equal */
    __atomic_add_fetch(&sleepers, 1, __ATOMIC_SEQ_CST);
    int result;
    for (;;) {
        struct timespec until = deadline;
        int slice = 0;
        if (wide) {
            struct timespec now;
            clock_gettime(clock, &now);
            struct timespec end = add_ns(now, SLICE_NS);
            if (!timed || before(&end, &deadline)) {
                until = end;
                slice = 1;
            }
        }
        long r = linux_futex(obj, op, (int) low, timed || slice ? &until : NULL);
        int e = errno;
        if (r == 0 || e == EAGAIN) {
            result = 0; /* woken, or the value differed */
            break;
        }
        if (e == ETIMEDOUT) {
            if (slice && load(obj, wide) == val) {
                continue; /* the end of a slice, not of the time-out: compare all 64 bits again */
            }
            result = slice ? 0 : fail(FB_ETIMEDOUT);
            break;
        }
        if (e == EINTR) {
            result = fail(FB_EINTR);
            break;
        }
        result = fail(e == EFAULT ? FB_EFAULT : FB_EINVAL);
        break;
    }
    __atomic_sub_fetch(&sleepers, 1, __ATOMIC_SEQ_CST);
    return result;
}

static int wake_op(volatile void *obj, unsigned long val, int private_flag) {
    int n = (int) val;
    long r = linux_futex(obj, FUTEX_WAKE | private_flag, n < 1 ? 1 : n, NULL);
    if (r < 0) {
        return fail(errno == EFAULT ? FB_EFAULT : FB_EINVAL);
    }
    return 0; /* the kernel does not say how many it woke */
}

EXPORT int _umtx_op(void *obj, int op, unsigned long val, void *uaddr, void *uaddr2) {
    size_t size = (size_t) uaddr;
    switch (op) {
        case FB_UMTX_OP_WAIT:
            return wait_op(obj, val, size, uaddr2, 1, 0);
        case FB_UMTX_OP_WAIT_UINT:
            return wait_op(obj, val, size, uaddr2, 0, 0);
        case FB_UMTX_OP_WAIT_UINT_PRIVATE:
            return wait_op(obj, val, size, uaddr2, 0, FUTEX_PRIVATE_FLAG);
        case FB_UMTX_OP_WAKE:
            return wake_op(obj, val, 0);
        case FB_UMTX_OP_WAKE_PRIVATE:
            return wake_op(obj, val, FUTEX_PRIVATE_FLAG);
        default:
            return fail(FB_EINVAL);
    }
}

/* ---------------------------------------------------------------- test hooks (not FreeBSD API) */

/** The next wait whose value matched fails at once with -1 and this errno instead, as a signal does (EINTR). 0 clears. */
EXPORT void woa_emulator_inject_errno(int freebsd_errno) {
    __atomic_store_n(&pending_errno, freebsd_errno, __ATOMIC_SEQ_CST);
}

/** Whether an injected errno is still waiting for a wait to take it. */
EXPORT int woa_emulator_injection_pending(void) {
    return __atomic_load_n(&pending_errno, __ATOMIC_SEQ_CST) != 0;
}

/** The next n waits whose value matched return 0 at once, as a spurious wake-up does. */
EXPORT void woa_emulator_inject_spurious(int n) {
    __atomic_store_n(&pending_spurious, n, __ATOMIC_SEQ_CST);
}

/**
 * The time-out of the most recent wait, from any thread: nanoseconds as given, -1 for none, -2
 * for an invalid one, INT64_MIN before any wait.
 */
EXPORT int64_t woa_emulator_last_timeout_ns(void) {
    return __atomic_load_n(&last_timeout_ns, __ATOMIC_SEQ_CST);
}

/**
 * The form of that time-out: -1 none; else bit 0 a struct _umtx_time (not a bare timespec),
 * bit 1 UMTX_ABSTIME, bit 2 CLOCK_MONOTONIC (not CLOCK_REALTIME).
 */
EXPORT int woa_emulator_last_timeout_form(void) {
    return __atomic_load_n(&last_timeout_form, __ATOMIC_SEQ_CST);
}

/** How many threads are in (or just entering or leaving) a sleeping wait right now. */
EXPORT int woa_emulator_sleepers(void) {
    return __atomic_load_n(&sleepers, __ATOMIC_SEQ_CST);
}
