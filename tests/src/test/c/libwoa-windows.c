/*
 * Contract emulator of the Windows 8+ address-wait API (synchapi.h, exported by
 * API-MS-Win-Core-Synch-l1-2-0), built on Linux for the `windows` backend's library override
 * (-Ddev.waitonaddress.windows.library=PATH). It keeps the documented contract:
 *
 *   BOOL WaitOnAddress(volatile VOID *Address, PVOID CompareAddress, SIZE_T AddressSize, DWORD dwMilliseconds)
 *     - AddressSize other than 1, 2, 4, 8: FALSE, last error ERROR_INVALID_PARAMETER (87).
 *     - The value at Address differs from the one at CompareAddress: TRUE at once (a "mismatch"
 *       is not told apart from a wake).
 *     - dwMilliseconds is milliseconds; INFINITE (0xFFFFFFFF) waits forever; 0 compares and,
 *       when equal, fails at once with ERROR_TIMEOUT (1460).
 *     - Woken by WakeByAddressSingle/All on the same address: TRUE. Spurious wake-ups are TRUE too
 *       (reachable here through woa_emulator_inject_spurious_wake).
 *     - Time-out: FALSE, last error ERROR_TIMEOUT.
 *   VOID WakeByAddressSingle(PVOID Address), VOID WakeByAddressAll(PVOID Address)
 *     - never read the memory at Address; no result.
 *
 * The last error: JNA's Native.getLastError() reads errno on Linux, so the emulator stores the
 * Win32 code in errno (and in a GetLastError() it exports, for C callers).
 *
 * One deliberate departure: real WaitOnAddress raises an access violation on an unreadable
 * Address (the process dies unless something catches it). The emulator probes readability first
 * and fails with ERROR_NOACCESS (998), a code real WaitOnAddress never returns, so that a test
 * run survives and a backend that passes such an address shows up as an error.
 *
 * Waiters are kept exactly, as Windows does, in a hash table of per-address queues under a lock:
 * the compare happens under the bucket lock, so a waker that changes the value and then wakes
 * (taking the same lock) either finds the waiter queued or made it see the new value. Every
 * thread sleeps on its own futex word (its "alert"), so WakeByAddressSingle wakes exactly one
 * waiter of that address, whatever other addresses share the bucket, and any width works.
 *
 * Two behaviours of the alert mechanism that Wine's ntdll uses (and says Windows uses), off by
 * default so that the contract above is all a test sees unless it asks for more:
 *
 *   pending-alerts (WOA_EMULATOR_PENDING_ALERTS, 1)
 *     A wake alerts the waiter's thread after the bucket lock is released, and WakeByAddressAll
 *     leaves the waiters it alerted queued (each removes itself when its wait ends). An alert that
 *     arrives after the thread's wait ended (a second WakeByAddressAll, or a wake racing a time-out)
 *     stays pending for that thread, one flag per thread however many arrive: its next
 *     WaitOnAddress that finds the values equal returns TRUE at once, 0 ms included, and uses the
 *     alert up. A wait that returns at once on unequal values leaves it pending. Also as in Wine,
 *     a WakeByAddressSingle may pick a waiter that a WakeByAddressAll already alerted and that has
 *     not left the queue yet: that single wake then reaches nobody new.
 *   single-wake-timeout (WOA_EMULATOR_SINGLE_WAKE_TIMEOUT, 2)
 *     A waiter's result is fixed when its sleep ends. One that a wake dequeues after its deadline
 *     passed (between the end of its sleep and its leaving the queue) reports the time-out, FALSE
 *     with ERROR_TIMEOUT; for WakeByAddressSingle that means the single wake is used up and no
 *     other waiter is woken. A 0 ms wait that finds the values equal is queued for that moment
 *     too, as in Wine, so even a poll can use up a single wake. (With pending-alerts on as well,
 *     the wake's alert stays pending for the thread; without it, the alert is dropped.) Off, a
 *     waiter that any wake dequeued returns TRUE, and a 0 ms wait is never queued.
 *
 * Switching: at load, from the environment variable WOA_EMULATOR_WINDOWS_BEHAVIOURS, a comma
 * list of the names above, "wine" (both) or "none"; at run time with
 * woa_emulator_set_behaviours(flags), which returns the previous flags. Switch only while no
 * thread is inside the emulator. WOA_EMULATOR_WINDOWS_LAG_US (or woa_emulator_set_lag_us) makes a
 * waiter take that many microseconds, still queued, both before it starts sleeping and after its
 * sleep ended, as a thread that loses the processor there would: it widens the windows above so
 * that tests hit them on purpose (default 0). woa_emulator_set_thread_lag_us sets it for the
 * calling thread alone, so that a stress can slow its timing-out waiters and not its handoffs.
 * For tests that must not depend on timing, two gates hold queued waiters at the same two points
 * (0: before the sleep, 1: after it) while closed: woa_emulator_gate(point, closed), and
 * woa_emulator_held(point) says how many threads wait there.
 *
 * Deliberate differences from Wine, as windows-scenario.c observes them: WineCrossCheckTest
 * compares every line of that program's output except the keys listed here, one line each as
 * "difference: KEY -- reason". There are none: every line agrees. (The unreadable address above is
 * one, but the scenario does not try it: Wine, like Windows, would kill the program.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

typedef int BOOL;
typedef uint32_t DWORD;
typedef size_t SIZE_T;

#define TRUE 1
#define FALSE 0
#define INFINITE 0xFFFFFFFFu
#define ERROR_INVALID_PARAMETER 87u
#define ERROR_NOACCESS 998u
#define ERROR_TIMEOUT 1460u

#define WOA_EMULATOR_PENDING_ALERTS 1u
#define WOA_EMULATOR_SINGLE_WAKE_TIMEOUT 2u

#define EXPORT __attribute__((visibility("default")))

/*
 * A thread's alert: a futex word, 1 from an alert until a wait uses it. Freed when the thread has
 * exited and no waker holds it any more (a waker that alerts after unlocking holds a reference).
 */
struct alert {
    uint32_t word;
    uint32_t refs;
};

enum { QUEUED = 0, TAKEN_BY_SINGLE = 1, TAKEN_BY_ALL = 2 };

struct waiter {
    struct waiter *next;
    const volatile void *address;
    struct alert *alert;
    int taken; /* QUEUED, or which wake dequeued it (written under the bucket lock) */
};

struct bucket {
    pthread_mutex_t lock;
    struct waiter *head;
    struct waiter *tail;
};

#define BUCKETS 256
static struct bucket buckets[BUCKETS];

static __thread DWORD last_error;

static unsigned behaviours;     /* WOA_EMULATOR_* flags */
static unsigned lag_us;         /* see WOA_EMULATOR_WINDOWS_LAG_US at the top */
static __thread int thread_lag_us = -1; /* the calling thread's own lag; -1: lag_us */
static uint32_t gates[2];       /* futex words: 1 closed (before the sleep, after it) */
static int held[2];             /* threads waiting at each gate */
static pthread_key_t alert_key;

/* test hooks (see the end of the file) */
static int pending_spurious;
static DWORD pending_error;
static DWORD last_milliseconds;
static long calls;
static long pending_alerts_used;   /* waits that returned TRUE on an alert pending from before they began */
static long single_wakes_used_up;  /* waits that reported a time-out although a WakeByAddressSingle dequeued them */

static void release(struct alert *a) {
    if (__atomic_sub_fetch(&a->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        free(a);
    }
}

static void thread_exit(void *a) {
    release(a);
}

static unsigned parse_behaviours(const char *text) {
    unsigned flags = 0;
    char copy[256];
    snprintf(copy, sizeof copy, "%s", text);
    char *save = NULL;
    for (char *name = strtok_r(copy, ", ", &save); name != NULL; name = strtok_r(NULL, ", ", &save)) {
        if (strcmp(name, "pending-alerts") == 0) {
            flags |= WOA_EMULATOR_PENDING_ALERTS;
        } else if (strcmp(name, "single-wake-timeout") == 0) {
            flags |= WOA_EMULATOR_SINGLE_WAKE_TIMEOUT;
        } else if (strcmp(name, "wine") == 0) {
            flags |= WOA_EMULATOR_PENDING_ALERTS | WOA_EMULATOR_SINGLE_WAKE_TIMEOUT;
        } else if (strcmp(name, "none") != 0) {
            fprintf(stderr, "libwoa-windows: WOA_EMULATOR_WINDOWS_BEHAVIOURS: unknown behaviour '%s' ignored"
                    " (known: pending-alerts, single-wake-timeout, wine, none)\n", name);
        }
    }
    return flags;
}

__attribute__((constructor)) static void init(void) {
    for (int i = 0; i < BUCKETS; i++) {
        pthread_mutex_init(&buckets[i].lock, NULL);
    }
    pthread_key_create(&alert_key, thread_exit);
    const char *b = getenv("WOA_EMULATOR_WINDOWS_BEHAVIOURS");
    if (b != NULL) {
        behaviours = parse_behaviours(b);
    }
    const char *lag = getenv("WOA_EMULATOR_WINDOWS_LAG_US");
    if (lag != NULL) {
        lag_us = (unsigned) strtoul(lag, NULL, 10);
    }
}

static struct alert *self_alert(void) {
    struct alert *a = pthread_getspecific(alert_key);
    if (a == NULL) {
        a = calloc(1, sizeof *a);
        if (a == NULL) {
            abort();
        }
        a->refs = 1; /* the thread's own, dropped at its exit */
        pthread_setspecific(alert_key, a);
    }
    return a;
}

static void alert(struct alert *a) {
    if (__atomic_exchange_n(&a->word, 1, __ATOMIC_SEQ_CST) == 0) {
        syscall(SYS_futex, &a->word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    }
}

static void set_last_error(DWORD code) {
    last_error = code;
    errno = (int) code;
}

EXPORT DWORD GetLastError(void) {
    return last_error;
}

static struct bucket *bucket_of(const volatile void *address) {
    uintptr_t a = (uintptr_t) address;
    a ^= a >> 17;
    a *= 0x9E3779B97F4A7C15ull;
    return &buckets[(a >> 32) % BUCKETS];
}

static int pipe_fds[2] = {-1, -1};
static pthread_once_t pipe_once = PTHREAD_ONCE_INIT;

static void open_probe_pipe(void) {
    if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        pipe_fds[0] = pipe_fds[1] = -1;
    }
}

/* Whether `size` bytes at p can be read: the kernel copies one byte into a pipe (EFAULT if not). */
static int readable(const volatile void *p, SIZE_T size) {
    pthread_once(&pipe_once, open_probe_pipe);
    if (pipe_fds[1] < 0) {
        return 1; /* no probe available: behave like Windows and just read */
    }
    const volatile char *c = p;
    int saved = errno;
    int ok = 1;
    /* the first and the last byte: an aligned 1/2/4/8-byte value never spans more than two pages */
    for (SIZE_T i = 0; i < size && ok; i += size - 1 ? size - 1 : 1) {
        ssize_t w = write(pipe_fds[1], (const void *) (c + i), 1);
        if (w == 1) {
            char sink;
            while (read(pipe_fds[0], &sink, 1) != 1 && errno == EINTR) {
            }
        } else if (errno == EFAULT) {
            ok = 0;
        }
    }
    errno = saved;
    return ok;
}

static uint64_t load(const volatile void *p, SIZE_T size) {
    switch (size) {
        case 1: return __atomic_load_n((const volatile uint8_t *) p, __ATOMIC_SEQ_CST);
        case 2: return __atomic_load_n((const volatile uint16_t *) p, __ATOMIC_SEQ_CST);
        case 4: return __atomic_load_n((const volatile uint32_t *) p, __ATOMIC_SEQ_CST);
        default: return __atomic_load_n((const volatile uint64_t *) p, __ATOMIC_SEQ_CST);
    }
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

static void enqueue(struct bucket *b, struct waiter *w) {
    if (b->tail == NULL) {
        b->head = w;
    } else {
        b->tail->next = w;
    }
    b->tail = w;
}

/* Removes w, whose predecessor is prev (NULL: w is the head). */
static void unlink_after(struct bucket *b, struct waiter *prev, struct waiter *w) {
    if (prev == NULL) {
        b->head = w->next;
    } else {
        prev->next = w->next;
    }
    if (b->tail == w) {
        b->tail = prev;
    }
}

static void unlink_waiter(struct bucket *b, struct waiter *w) {
    struct waiter *prev = NULL;
    for (struct waiter *x = b->head; x != NULL; prev = x, x = x->next) {
        if (x == w) {
            unlink_after(b, prev, x);
            return;
        }
    }
}

/* Sleeps until the thread is alerted (1, the alert used up) or the deadline passes (0). */
static int sleep_for_alert(struct alert *a, DWORD milliseconds, uint64_t deadline) {
    for (;;) {
        if (__atomic_exchange_n(&a->word, 0, __ATOMIC_SEQ_CST)) {
            return 1;
        }
        struct timespec rel;
        struct timespec *timeout = NULL;
        if (milliseconds != INFINITE) {
            uint64_t now = now_ns();
            if (now >= deadline) {
                return 0;
            }
            uint64_t left = deadline - now;
            rel.tv_sec = (time_t) (left / 1000000000ull);
            rel.tv_nsec = (long) (left % 1000000000ull);
            timeout = &rel;
        }
        /* EAGAIN (alerted meanwhile), ETIMEDOUT, EINTR and spurious returns all lead back to the checks above */
        syscall(SYS_futex, &a->word, FUTEX_WAIT_PRIVATE, 0, timeout, NULL, 0);
    }
}

static void lag(void) {
    unsigned us = thread_lag_us >= 0 ? (unsigned) thread_lag_us : __atomic_load_n(&lag_us, __ATOMIC_SEQ_CST);
    if (us != 0) {
        struct timespec ts = {(time_t) (us / 1000000u), (long) (us % 1000000u) * 1000L};
        int saved = errno;
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
        errno = saved;
    }
}

/* The lag, then the gate of `point` (see the top of the file). */
static void pause_at(int point) {
    lag();
    if (__atomic_load_n(&gates[point], __ATOMIC_SEQ_CST)) {
        int saved = errno;
        __atomic_add_fetch(&held[point], 1, __ATOMIC_SEQ_CST);
        while (__atomic_load_n(&gates[point], __ATOMIC_SEQ_CST)) {
            syscall(SYS_futex, &gates[point], FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0);
        }
        __atomic_sub_fetch(&held[point], 1, __ATOMIC_SEQ_CST);
        errno = saved;
    }
}

EXPORT BOOL WaitOnAddress(volatile void *Address, void *CompareAddress, SIZE_T AddressSize, DWORD dwMilliseconds) {
    __atomic_store_n(&last_milliseconds, dwMilliseconds, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
    if (AddressSize != 1 && AddressSize != 2 && AddressSize != 4 && AddressSize != 8) {
        set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (!readable(Address, AddressSize) || !readable(CompareAddress, AddressSize)) {
        set_last_error(ERROR_NOACCESS); /* real Windows: access violation (see the top of the file) */
        return FALSE;
    }
    unsigned mode = __atomic_load_n(&behaviours, __ATOMIC_SEQ_CST);
    int pending_alerts = (mode & WOA_EMULATOR_PENDING_ALERTS) != 0;
    int single_wake_timeout = (mode & WOA_EMULATOR_SINGLE_WAKE_TIMEOUT) != 0;
    uint64_t deadline = 0;
    if (dwMilliseconds != INFINITE) {
        deadline = now_ns() + (uint64_t) dwMilliseconds * 1000000ull;
    }
    struct alert *a = self_alert();
    struct bucket *b = bucket_of(Address);
    pthread_mutex_lock(&b->lock);
    if (load(Address, AddressSize) != load(CompareAddress, AddressSize)) {
        pthread_mutex_unlock(&b->lock); /* a pending alert stays pending */
        return TRUE;
    }
    if (!pending_alerts) {
        /* alerts arrive only under a bucket lock, to queued waiters: nothing is left from before */
        __atomic_store_n(&a->word, 0, __ATOMIC_SEQ_CST);
    }
    int was_pending = pending_alerts && __atomic_load_n(&a->word, __ATOMIC_SEQ_CST);
    if (dwMilliseconds == 0 && !single_wake_timeout) {
        int alerted = pending_alerts && __atomic_exchange_n(&a->word, 0, __ATOMIC_SEQ_CST);
        pthread_mutex_unlock(&b->lock);
        if (alerted) {
            __atomic_add_fetch(&pending_alerts_used, 1, __ATOMIC_SEQ_CST);
            return TRUE;
        }
        set_last_error(ERROR_TIMEOUT);
        return FALSE;
    }
    if (dwMilliseconds != 0) {
        if (__atomic_exchange_n(&pending_spurious, 0, __ATOMIC_SEQ_CST)) {
            pthread_mutex_unlock(&b->lock);
            return TRUE;
        }
        DWORD injected = __atomic_exchange_n(&pending_error, 0, __ATOMIC_SEQ_CST);
        if (injected != 0) {
            pthread_mutex_unlock(&b->lock);
            set_last_error(injected);
            return FALSE;
        }
    }
    struct waiter w = {NULL, Address, a, QUEUED};
    enqueue(b, &w);
    pthread_mutex_unlock(&b->lock);

    pause_at(0);
    int alerted = sleep_for_alert(a, dwMilliseconds, deadline);
    pause_at(1);

    pthread_mutex_lock(&b->lock); /* also waits for a waker that is still touching w */
    int taken = w.taken;
    if (taken == QUEUED) {
        unlink_waiter(b, &w);
    }
    BOOL result;
    if (alerted) {
        result = TRUE;
        if (was_pending) {
            __atomic_add_fetch(&pending_alerts_used, 1, __ATOMIC_SEQ_CST);
        }
    } else if (taken == QUEUED || single_wake_timeout) {
        result = FALSE; /* single-wake-timeout: a wake that dequeued this waiter now is used up */
        if (taken == TAKEN_BY_SINGLE) {
            __atomic_add_fetch(&single_wakes_used_up, 1, __ATOMIC_SEQ_CST);
        }
    } else {
        /* dequeued by a wake after the deadline passed: woken, and the wake's alert is this one */
        result = TRUE;
        if (pending_alerts) {
            /* the waker alerts after unlocking: wait for that alert, so that it is not left pending */
            pthread_mutex_unlock(&b->lock);
            sleep_for_alert(a, INFINITE, 0);
            return TRUE;
        }
    }
    if (!pending_alerts) {
        __atomic_store_n(&a->word, 0, __ATOMIC_SEQ_CST);
    }
    pthread_mutex_unlock(&b->lock);
    if (result) {
        return TRUE;
    }
    set_last_error(ERROR_TIMEOUT);
    return FALSE;
}

#define ALERT_BATCH 64

static void wake(const volatile void *address, int single) {
    int late = (__atomic_load_n(&behaviours, __ATOMIC_SEQ_CST) & WOA_EMULATOR_PENDING_ALERTS) != 0;
    struct alert *batch[ALERT_BATCH];
    int batched = 0;
    struct bucket *b = bucket_of(address);
    pthread_mutex_lock(&b->lock);
    struct waiter *prev = NULL;
    struct waiter *x = b->head;
    while (x != NULL) {
        struct waiter *next = x->next;
        if (x->address != address) {
            prev = x;
        } else if (late && !single) {
            /* pending-alerts: WakeByAddressAll leaves the waiter queued and alerts it after unlocking */
            if (batched < ALERT_BATCH) {
                __atomic_add_fetch(&x->alert->refs, 1, __ATOMIC_ACQ_REL);
                batch[batched++] = x->alert;
            } else {
                alert(x->alert); /* the thread is queued, so alive */
            }
            prev = x;
        } else {
            unlink_after(b, prev, x);
            x->taken = single ? TAKEN_BY_SINGLE : TAKEN_BY_ALL;
            if (late) {
                __atomic_add_fetch(&x->alert->refs, 1, __ATOMIC_ACQ_REL);
                batch[batched++] = x->alert;
            } else {
                alert(x->alert);
            }
            if (single) {
                break;
            }
        }
        x = next;
    }
    pthread_mutex_unlock(&b->lock);
    for (int i = 0; i < batched; i++) {
        alert(batch[i]);
        release(batch[i]);
    }
}

EXPORT void WakeByAddressSingle(void *Address) {
    wake(Address, 1);
}

EXPORT void WakeByAddressAll(void *Address) {
    wake(Address, 0);
}

/* ---------------------------------------------------------------- test hooks (not Windows API) */

/** The next WaitOnAddress that would sleep returns TRUE at once instead, as a spurious wake-up does. */
EXPORT void woa_emulator_inject_spurious_wake(void) {
    __atomic_store_n(&pending_spurious, 1, __ATOMIC_SEQ_CST);
}

/** The next WaitOnAddress that would sleep fails at once with this last error instead (0 clears). */
EXPORT void woa_emulator_inject_error(DWORD code) {
    __atomic_store_n(&pending_error, code, __ATOMIC_SEQ_CST);
}

/** The dwMilliseconds of the most recent WaitOnAddress call, from any thread. */
EXPORT DWORD woa_emulator_last_milliseconds(void) {
    return __atomic_load_n(&last_milliseconds, __ATOMIC_SEQ_CST);
}

/** How many WaitOnAddress calls there have been, from any thread. */
EXPORT long woa_emulator_calls(void) {
    return __atomic_load_n(&calls, __ATOMIC_SEQ_CST);
}

/** How many threads are queued on Address right now. */
EXPORT int woa_emulator_waiters(void *Address) {
    struct bucket *b = bucket_of(Address);
    int n = 0;
    pthread_mutex_lock(&b->lock);
    for (struct waiter *x = b->head; x != NULL; x = x->next) {
        n += x->address == Address;
    }
    pthread_mutex_unlock(&b->lock);
    return n;
}

/**
 * Switches the behaviours described at the top of the file (WOA_EMULATOR_PENDING_ALERTS = 1,
 * WOA_EMULATOR_SINGLE_WAKE_TIMEOUT = 2; 0 = the documented contract only) and returns the
 * previous flags. Call it while no thread is inside the emulator.
 */
EXPORT unsigned woa_emulator_set_behaviours(unsigned flags) {
    return __atomic_exchange_n(&behaviours, flags & 3u, __ATOMIC_SEQ_CST);
}

/** Sets the lag (µs) described at the top of the file; returns the previous value. */
EXPORT unsigned woa_emulator_set_lag_us(unsigned microseconds) {
    return __atomic_exchange_n(&lag_us, microseconds, __ATOMIC_SEQ_CST);
}

/** Sets the lag (µs) of the calling thread alone; -1 returns it to the global lag. Returns the previous value. */
EXPORT int woa_emulator_set_thread_lag_us(int microseconds) {
    int previous = thread_lag_us;
    thread_lag_us = microseconds < 0 ? -1 : microseconds;
    return previous;
}

/** How many waits returned TRUE on an alert already pending when they began (pending-alerts). */
EXPORT long woa_emulator_pending_alerts_used(void) {
    return __atomic_load_n(&pending_alerts_used, __ATOMIC_SEQ_CST);
}

/** How many waits reported a time-out although a WakeByAddressSingle had dequeued them (single-wake-timeout). */
EXPORT long woa_emulator_single_wakes_used_up(void) {
    return __atomic_load_n(&single_wakes_used_up, __ATOMIC_SEQ_CST);
}

/** Closes (1) or opens (0) the gate at `point`: 0 before a queued waiter's sleep, 1 after it. */
EXPORT void woa_emulator_gate(int point, int closed) {
    __atomic_store_n(&gates[point & 1], closed ? 1u : 0u, __ATOMIC_SEQ_CST);
    if (!closed) {
        syscall(SYS_futex, &gates[point & 1], FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    }
}

/** How many threads wait at the gate of `point` right now. */
EXPORT int woa_emulator_held(int point) {
    return __atomic_load_n(&held[point & 1], __ATOMIC_SEQ_CST);
}
