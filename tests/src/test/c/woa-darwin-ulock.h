/*
 * The core of the macOS contract emulators (libwoa-macos-os-sync.c, libwoa-macos-ulock.c): xnu's
 * ulock compare-and-wait, built on Linux futexes, answering with macOS errno numbers.
 *
 * The facts it stands in for (xnu bsd/kern/sys_ulock.c, Apple's <os/os_sync_wait_on_address.h>):
 *  - a wait compares the 4- or 8-byte word at addr with value and sleeps while they are equal,
 *    atomically with respect to wakes; it returns the number of waiters still blocked on the
 *    address (>= 0) when woken AND when the value differed;
 *  - a 4-byte word is zero-extended and compared with the whole 64-bit value;
 *  - errors: ETIMEDOUT when the time-out expires, EINTR on a signal, EFAULT when the word cannot be
 *    read (private scope), EINVAL when a shared-scope word has no backing object (unmapped);
 *  - PRIVATE and SHARED waits on one address are separate name spaces;
 *  - a wake with nobody waiting fails with ENOENT; a wake never reads the word.
 *
 * How: 4-byte words sleep on the Linux futex of the word itself (FUTEX_PRIVATE_FLAG for private
 * scope), so shared waits work across processes as on macOS. Linux futexes are 4 bytes only, so
 * an 8-byte wait is exact by other means: under a per-bucket mutex the waiter compares the word
 * and queues a node; a wake takes the same mutex, dequeues matching nodes and wakes each one on
 * the node's own futex. A waker changes the word before it wakes, so either the waiter's compare
 * (under the mutex) sees the change, or the waiter was queued before the wake took the mutex: no
 * wake-up is lost. Limits: the 8-byte queue lives in this process, so 8-byte SHARED waits do not
 * reach other processes; the waiter count of a 4-byte wait counts every waiter of a hash bucket
 * (an upper bound); the unfair-lock opcodes, ULF_WAKE_THREAD and the EDOM check of mixed widths
 * on one address are not emulated.
 *
 * Test hook: woa_darwin_fail_next_waits(err, n) makes the calling thread's next n waits fail with
 * the macOS errno err before doing anything (EINTR, ENOMEM, EFAULT, ...), so that callers' retry
 * paths can be tested.
 */
#ifndef WOA_DARWIN_ULOCK_H
#define WOA_DARWIN_ULOCK_H

#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* macOS errno numbers (xnu bsd/sys/errno.h), not the host's */
#define DARWIN_ENOENT 2
#define DARWIN_EINTR 4
#define DARWIN_ENOMEM 12
#define DARWIN_EFAULT 14
#define DARWIN_EINVAL 22
#define DARWIN_ETIMEDOUT 60

#define WOA_BUCKETS 256

struct woa_waiter {
    struct woa_waiter *next;
    uintptr_t addr;
    int shared;
    _Atomic uint32_t woken; /* 0 while queued; set to 1 by the waker that dequeues it */
};

struct woa_bucket {
    pthread_mutex_t lock;
    struct woa_waiter *head;
};

static struct woa_bucket woa_queues[WOA_BUCKETS] = {[0 ... WOA_BUCKETS - 1] = {PTHREAD_MUTEX_INITIALIZER, NULL}};
static atomic_int woa_counts[WOA_BUCKETS];
static __thread int woa_fail_errno;
static __thread int woa_fail_count;

/* Test hook: the calling thread's next n waits fail with the macOS errno err. */
__attribute__((visibility("default"))) void woa_darwin_fail_next_waits(int err, int n) {
    woa_fail_errno = err;
    woa_fail_count = n;
}

static unsigned woa_hash(uintptr_t addr, int shared) {
    uint64_t h = (uint64_t)addr * 0x9E3779B97F4A7C15ull;
    return (unsigned)((h >> 40) ^ (unsigned)shared) % WOA_BUCKETS;
}

static long woa_futex(void *uaddr, int op, uint32_t val, const struct timespec *ts, uint32_t val3) {
    return syscall(SYS_futex, uaddr, op, val, ts, NULL, val3);
}

/* The absolute CLOCK_MONOTONIC time timeout_ns from now, saturated. */
static struct timespec woa_deadline(uint64_t timeout_ns) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    uint64_t secs = timeout_ns / 1000000000ull;
    long nanos = (long)(timeout_ns % 1000000000ull) + now.tv_nsec;
    if (nanos >= 1000000000L) {
        nanos -= 1000000000L;
        secs++;
    }
    struct timespec d;
    if (secs > (uint64_t)(INT64_MAX / 4 - now.tv_sec)) {
        d.tv_sec = INT64_MAX / 4;
        d.tv_nsec = 0;
    } else {
        d.tv_sec = now.tv_sec + (time_t)secs;
        d.tv_nsec = nanos;
    }
    return d;
}

/* 0 when the size bytes at addr can be read, else the macOS errno xnu gives for that scope. */
static int woa_readable(void *addr, size_t size, int shared) {
    /* process_vm_readv copies like the kernel's copyin: EFAULT for an unmapped address, no signal, no sleep */
    uint64_t copy;
    struct iovec local = {&copy, size};
    struct iovec remote = {addr, size};
    if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)size) {
        return 0;
    }
    return shared ? DARWIN_EINVAL : DARWIN_EFAULT;
}

static int woa_count_queued(struct woa_bucket *b, uintptr_t addr, int shared) {
    int n = 0;
    for (struct woa_waiter *w = b->head; w != NULL; w = w->next) {
        n += w->addr == addr && w->shared == shared;
    }
    return n;
}

static int woa_wait32(void *addr, uint64_t value, int shared, uint64_t timeout_ns) {
    if (value > UINT32_MAX) { /* a zero-extended word never equals it: compare, do not sleep */
        int e = woa_readable(addr, 4, shared);
        return e ? -e : atomic_load(&woa_counts[woa_hash((uintptr_t)addr, shared)]);
    }
    atomic_int *count = &woa_counts[woa_hash((uintptr_t)addr, shared)];
    struct timespec deadline = timeout_ns ? woa_deadline(timeout_ns) : (struct timespec){0, 0};
    atomic_fetch_add(count, 1);
    long r = woa_futex(addr, FUTEX_WAIT_BITSET | (shared ? 0 : FUTEX_PRIVATE_FLAG), (uint32_t)value,
                       timeout_ns ? &deadline : NULL, FUTEX_BITSET_MATCH_ANY);
    int err = errno;
    int left = atomic_fetch_sub(count, 1) - 1;
    if (r == 0 || err == EAGAIN) {
        return left; /* woken, or the value differed */
    }
    switch (err) {
    case ETIMEDOUT: return -DARWIN_ETIMEDOUT;
    case EINTR: return -DARWIN_EINTR;
    case EFAULT: return shared ? -DARWIN_EINVAL : -DARWIN_EFAULT;
    default: return -DARWIN_EINVAL;
    }
}

static int woa_wait64(void *addr, uint64_t value, int shared, uint64_t timeout_ns) {
    int e = woa_readable(addr, 8, shared);
    if (e) {
        return -e;
    }
    struct woa_bucket *b = &woa_queues[woa_hash((uintptr_t)addr, shared)];
    struct woa_waiter me = {NULL, (uintptr_t)addr, shared, 0};
    pthread_mutex_lock(&b->lock);
    if (__atomic_load_n((uint64_t *)addr, __ATOMIC_SEQ_CST) != value) {
        int left = woa_count_queued(b, (uintptr_t)addr, shared);
        pthread_mutex_unlock(&b->lock);
        return left;
    }
    me.next = b->head;
    b->head = &me;
    pthread_mutex_unlock(&b->lock);

    struct timespec deadline = timeout_ns ? woa_deadline(timeout_ns) : (struct timespec){0, 0};
    int result = 0;
    while (atomic_load(&me.woken) == 0) {
        long r = woa_futex(&me.woken, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, timeout_ns ? &deadline : NULL,
                           FUTEX_BITSET_MATCH_ANY);
        if (r != 0 && (errno == ETIMEDOUT || errno == EINTR)) {
            result = errno == ETIMEDOUT ? -DARWIN_ETIMEDOUT : -DARWIN_EINTR;
            break;
        }
    }
    pthread_mutex_lock(&b->lock);
    if (atomic_load(&me.woken) == 0) { /* still queued: leave the queue with the time-out or signal */
        for (struct woa_waiter **p = &b->head; *p != NULL; p = &(*p)->next) {
            if (*p == &me) {
                *p = me.next;
                break;
            }
        }
    } else {
        result = 0; /* a wake dequeued us, even if the time-out expired at the same moment */
    }
    int left = woa_count_queued(b, (uintptr_t)addr, shared);
    pthread_mutex_unlock(&b->lock); /* the waker wakes under this lock: after it, nobody touches me */
    return result < 0 ? result : left;
}

/* A wait; size and alignment already checked. timeout_ns 0 = forever. Returns waiters left, or -errno. */
static int woa_wait(void *addr, uint64_t value, size_t size, int shared, uint64_t timeout_ns) {
    if (woa_fail_count > 0) {
        woa_fail_count--;
        return -woa_fail_errno;
    }
    return size == 4 ? woa_wait32(addr, value, shared, timeout_ns) : woa_wait64(addr, value, shared, timeout_ns);
}

/* A wake; never reads the word. Returns 0, or -errno (ENOENT: nobody waits). */
static int woa_wake(void *addr, size_t size, int shared, int all) {
    if (size == 4) {
        long r = woa_futex(addr, FUTEX_WAKE | (shared ? 0 : FUTEX_PRIVATE_FLAG), all ? INT_MAX : 1, NULL, 0);
        if (r > 0) {
            return 0;
        }
        if (r < 0 && errno == EFAULT) {
            return -DARWIN_EINVAL; /* a shared word without a backing object */
        }
        return -DARWIN_ENOENT; /* nobody woken (or misaligned: nobody can wait there) */
    }
    struct woa_bucket *b = &woa_queues[woa_hash((uintptr_t)addr, shared)];
    int woken = 0;
    pthread_mutex_lock(&b->lock);
    for (struct woa_waiter **p = &b->head; *p != NULL;) {
        struct woa_waiter *w = *p;
        if (w->addr == (uintptr_t)addr && w->shared == shared) {
            *p = w->next;
            atomic_store(&w->woken, 1);
            woa_futex(&w->woken, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, 0);
            woken++;
            if (!all) {
                break;
            }
        } else {
            p = &w->next;
        }
    }
    pthread_mutex_unlock(&b->lock);
    if (woken == 0 && shared && woa_readable(addr, 8, shared) != 0) {
        return -DARWIN_EINVAL; /* xnu finds no backing object for an unmapped shared word */
    }
    return woken ? 0 : -DARWIN_ENOENT;
}

#endif
