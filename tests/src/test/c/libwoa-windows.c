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
 * waiter sleeps on its own futex word, so WakeByAddressSingle wakes exactly one waiter of that
 * address, whatever other addresses share the bucket, and any width works.
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

typedef int BOOL;
typedef uint32_t DWORD;
typedef size_t SIZE_T;

#define TRUE 1
#define FALSE 0
#define INFINITE 0xFFFFFFFFu
#define ERROR_INVALID_PARAMETER 87u
#define ERROR_NOACCESS 998u
#define ERROR_TIMEOUT 1460u

#define EXPORT __attribute__((visibility("default")))

struct waiter {
    struct waiter *next;
    const volatile void *address;
    uint32_t woken; /* futex word: 0 asleep, 1 woken (written under the bucket lock) */
};

struct bucket {
    pthread_mutex_t lock;
    struct waiter *head;
    struct waiter *tail;
};

#define BUCKETS 256
static struct bucket buckets[BUCKETS];

static __thread DWORD last_error;

/* test hooks (see the end of the file) */
static int pending_spurious;
static DWORD pending_error;
static DWORD last_milliseconds;
static long calls;

__attribute__((constructor)) static void init(void) {
    for (int i = 0; i < BUCKETS; i++) {
        pthread_mutex_init(&buckets[i].lock, NULL);
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

static void unlink_waiter(struct bucket *b, struct waiter *w) {
    struct waiter *prev = NULL;
    for (struct waiter *x = b->head; x != NULL; prev = x, x = x->next) {
        if (x == w) {
            if (prev == NULL) {
                b->head = x->next;
            } else {
                prev->next = x->next;
            }
            if (b->tail == x) {
                b->tail = prev;
            }
            return;
        }
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
    uint64_t deadline = 0;
    if (dwMilliseconds != INFINITE) {
        deadline = now_ns() + (uint64_t) dwMilliseconds * 1000000ull;
    }
    struct bucket *b = bucket_of(Address);
    pthread_mutex_lock(&b->lock);
    if (load(Address, AddressSize) != load(CompareAddress, AddressSize)) {
        pthread_mutex_unlock(&b->lock);
        return TRUE;
    }
    if (dwMilliseconds == 0) {
        pthread_mutex_unlock(&b->lock);
        set_last_error(ERROR_TIMEOUT);
        return FALSE;
    }
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
    struct waiter w = {NULL, Address, 0};
    if (b->tail == NULL) {
        b->head = &w;
    } else {
        b->tail->next = &w;
    }
    b->tail = &w;
    pthread_mutex_unlock(&b->lock);

    for (;;) {
        if (__atomic_load_n(&w.woken, __ATOMIC_ACQUIRE)) {
            break;
        }
        struct timespec rel;
        struct timespec *timeout = NULL;
        if (dwMilliseconds != INFINITE) {
            uint64_t now = now_ns();
            if (now >= deadline) {
                break;
            }
            uint64_t left = deadline - now;
            rel.tv_sec = (time_t) (left / 1000000000ull);
            rel.tv_nsec = (long) (left % 1000000000ull);
            timeout = &rel;
        }
        /* EAGAIN (woken meanwhile), ETIMEDOUT, EINTR and spurious returns all lead back to the checks above */
        syscall(SYS_futex, &w.woken, FUTEX_WAIT_PRIVATE, 0, timeout, NULL, 0);
    }

    pthread_mutex_lock(&b->lock); /* also waits for a waker that is still touching w */
    int woken = __atomic_load_n(&w.woken, __ATOMIC_ACQUIRE);
    if (!woken) {
        unlink_waiter(b, &w);
    }
    pthread_mutex_unlock(&b->lock);
    if (woken) {
        return TRUE;
    }
    set_last_error(ERROR_TIMEOUT);
    return FALSE;
}

static void wake(const volatile void *address, int count) {
    struct bucket *b = bucket_of(address);
    pthread_mutex_lock(&b->lock);
    struct waiter *prev = NULL;
    struct waiter *x = b->head;
    while (x != NULL && count > 0) {
        struct waiter *next = x->next;
        if (x->address == address) {
            if (prev == NULL) {
                b->head = next;
            } else {
                prev->next = next;
            }
            if (b->tail == x) {
                b->tail = prev;
            }
            __atomic_store_n(&x->woken, 1, __ATOMIC_RELEASE);
            syscall(SYS_futex, &x->woken, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
            count--;
        } else {
            prev = x;
        }
        x = next;
    }
    pthread_mutex_unlock(&b->lock);
}

EXPORT void WakeByAddressSingle(void *Address) {
    wake(Address, 1);
}

EXPORT void WakeByAddressAll(void *Address) {
    wake(Address, INT_MAX);
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
