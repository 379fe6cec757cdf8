/*
 * sync-peer: C code taking part in the SHARED synchronizers of dev.waitonaddress.sync through raw
 * futex calls, following only the word protocols documented in their javadoc (Mutex, Condition,
 * Semaphore, Latch, Barrier, Event). No private flag: the words lie in a file mapped MAP_SHARED.
 *
 *   sync-peer FILE OFFSET mutex-count N COUNTER_OFFSET
 *                       N times: lock the mutex at OFFSET, add 1 to the plain 64-bit counter at
 *                       COUNTER_OFFSET, unlock; print "done N ownerdead K" (K takeovers from a
 *                       dead owner, each repaired at once)
 *   sync-peer FILE OFFSET mutex-hold
 *                       lock; print "locked RESULT"; sleep until killed
 *   sync-peer FILE OFFSET mutex-wait
 *                       print "waiting"; lock; print "locked RESULT"; repair; unlock
 *   sync-peer FILE OFFSET cond-wait MUTEX_OFFSET FLAG_OFFSET
 *                       lock the mutex; wait on the condition at OFFSET while the 32-bit flag is
 *                       0 (printing "waiting" once the waiter count is raised); unlock; print "woken"
 *   sync-peer FILE OFFSET cond-signal-all MUTEX_OFFSET FLAG_OFFSET
 *                       lock the mutex; set the flag to 1; signal every waiter of the condition at
 *                       OFFSET, moving them onto the mutex word; unlock; print "signalled"
 *   sync-peer FILE OFFSET sem-acquire N     take N permits one at a time; print "acquired N"
 *   sync-peer FILE OFFSET sem-release N     give N permits one at a time; print "released N"
 *   sync-peer FILE OFFSET latch-arrive      count down and wait for zero; print "released"
 *   sync-peer FILE OFFSET barrier N         arrive and wait N times; print "phases LAST"
 *   sync-peer FILE OFFSET event-wait        wait until set; print "set"
 *   sync-peer FILE OFFSET event-set         set; print "done"
 *
 * RESULT is "ok", "ownerdead" (taken over from a dead owner) or "notrecoverable".
 * Exit status 0 on success, 2 on bad usage, 3 on a system call error, 5 if the mutex is not
 * recoverable.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Mutex, SHARED scope */
#define WAITERS_BIT 0x80000000u
#define OWNER_DIED_BIT 0x40000000u
#define OWNER_MASK 0x3fffffffu
#define NOT_RECOVERABLE 0x7fffffffu
/* the re-check interval (Mutex.DEFAULT_RECHECK_MILLIS) */
#define RECHECK_NS 100000000L

enum { LOCK_OK, LOCK_OWNERDEAD, LOCK_NOTRECOVERABLE };
static const char *RESULT[] = {"ok", "ownerdead", "notrecoverable"};

static void die(const char *what) {
    fprintf(stderr, "sync-peer: %s: %s\n", what, strerror(errno));
    exit(3);
}

static uint32_t load(uint32_t *w) {
    return __atomic_load_n(w, __ATOMIC_SEQ_CST);
}

static void store(uint32_t *w, uint32_t v) {
    __atomic_store_n(w, v, __ATOMIC_SEQ_CST);
}

static int cas(uint32_t *w, uint32_t expected, uint32_t value) {
    return __atomic_compare_exchange_n(w, &expected, value, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* Sleeps while *w == expected, at most timeout_ns (0: no limit). Wake-ups, mismatches, signals
 * and time-outs all just return: every caller re-reads the word. */
static void futex_wait(uint32_t *w, uint32_t expected, long timeout_ns) {
    struct timespec ts = {timeout_ns / 1000000000L, timeout_ns % 1000000000L};
    if (syscall(SYS_futex, w, FUTEX_WAIT, expected, timeout_ns > 0 ? &ts : NULL, NULL, 0) != 0
            && errno != EAGAIN && errno != EINTR && errno != ETIMEDOUT) {
        die("FUTEX_WAIT");
    }
}

static void futex_wake(uint32_t *w, int count) {
    if (syscall(SYS_futex, w, FUTEX_WAKE, count, NULL, NULL, 0) < 0) {
        die("FUTEX_WAKE");
    }
}

static int futex_cmp_requeue(uint32_t *from, uint32_t *to, uint32_t expected, int wake, int move) {
    long r = syscall(SYS_futex, from, FUTEX_CMP_REQUEUE, wake, (void *) (long) move, to, expected);
    if (r < 0 && errno != EAGAIN) {
        die("FUTEX_CMP_REQUEUE");
    }
    return r < 0 ? -1 : 0;
}

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* Whether process pid has ended: kill(pid, 0) says it does not exist, or /proc says zombie. */
static int dead(uint32_t pid) {
    if (kill((pid_t) pid, 0) != 0) {
        return errno == ESRCH;
    }
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%u/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return errno == ENOENT;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *close = strrchr(buf, ')');
    return close != NULL && close[1] == ' ' && (close[2] == 'Z' || close[2] == 'X');
}

/* Mutex.lock, SHARED protocol. contended: after a condition wait (requeued waiters may sleep). */
static int mutex_lock(uint32_t *w, int contended) {
    uint32_t self = (uint32_t) getpid();
    if (cas(w, 0, contended ? self | WAITERS_BIT : self)) {
        return LOCK_OK;
    }
    long last_check = now_ns();
    for (;;) {
        uint32_t v = load(w);
        if (v == 0) {
            if (cas(w, 0, self | WAITERS_BIT)) {
                return LOCK_OK;
            }
            continue;
        }
        if (v == NOT_RECOVERABLE) {
            return LOCK_NOTRECOVERABLE;
        }
        if (!(v & WAITERS_BIT)) {
            if (!cas(w, v, v | WAITERS_BIT)) {
                continue;
            }
            v |= WAITERS_BIT;
        }
        long elapsed = now_ns() - last_check;
        if (elapsed >= RECHECK_NS) {
            last_check += elapsed;
            elapsed = 0;
            uint32_t pid = v & OWNER_MASK;
            if (pid != self && dead(pid)) {
                if (cas(w, v, self | WAITERS_BIT | OWNER_DIED_BIT)) {
                    return LOCK_OWNERDEAD;
                }
                continue;
            }
        }
        futex_wait(w, v, RECHECK_NS - elapsed);
    }
}

static void mutex_consistent(uint32_t *w) {
    __atomic_fetch_and(w, ~OWNER_DIED_BIT, __ATOMIC_SEQ_CST);
}

static void mutex_unlock(uint32_t *w) {
    if (load(w) & OWNER_DIED_BIT) {
        store(w, NOT_RECOVERABLE);
        futex_wake(w, INT_MAX);
        return;
    }
    if (__atomic_exchange_n(w, 0, __ATOMIC_SEQ_CST) & WAITERS_BIT) {
        futex_wake(w, 1);
    }
}

/* Condition: word 0 seq, word 1 waiters. The caller holds the mutex. */
static int cond_wait(uint32_t *cond, uint32_t *mutex) {
    __atomic_fetch_add(&cond[1], 1, __ATOMIC_SEQ_CST);
    uint32_t s = load(&cond[0]);
    mutex_unlock(mutex);
    while (load(&cond[0]) == s) {
        futex_wait(&cond[0], s, RECHECK_NS); /* bounded: we may have been moved onto the mutex word */
    }
    __atomic_fetch_sub(&cond[1], 1, __ATOMIC_SEQ_CST);
    return mutex_lock(mutex, 1);
}

static void cond_signal_all(uint32_t *cond, uint32_t *mutex, int holding) {
    if (load(&cond[1]) == 0) {
        return;
    }
    uint32_t s = __atomic_add_fetch(&cond[0], 1, __ATOMIC_SEQ_CST);
    if (!holding) {
        futex_wake(&cond[0], INT_MAX);
        return;
    }
    __atomic_fetch_or(mutex, WAITERS_BIT, __ATOMIC_SEQ_CST);
    while (futex_cmp_requeue(&cond[0], mutex, s, 0, INT_MAX) != 0) {
        s = load(&cond[0]);
    }
}

/* Semaphore: word 0 count, word 1 waiters. */
static void sem_acquire(uint32_t *sem) {
    for (;;) {
        uint32_t c = load(&sem[0]);
        if (c > 0 && cas(&sem[0], c, c - 1)) {
            return;
        }
        if (c > 0) {
            continue;
        }
        __atomic_fetch_add(&sem[1], 1, __ATOMIC_SEQ_CST);
        for (;;) {
            c = load(&sem[0]);
            if (c > 0) {
                if (cas(&sem[0], c, c - 1)) {
                    break;
                }
                continue;
            }
            futex_wait(&sem[0], 0, RECHECK_NS);
        }
        __atomic_fetch_sub(&sem[1], 1, __ATOMIC_SEQ_CST);
        return;
    }
}

static void sem_release(uint32_t *sem) {
    __atomic_fetch_add(&sem[0], 1, __ATOMIC_SEQ_CST);
    if (load(&sem[1]) != 0) {
        futex_wake(&sem[0], 1);
    }
}

/* Latch: count in bits 0-30, waiters bit 31. */
static void latch_arrive_and_wait(uint32_t *l) {
    for (;;) {
        uint32_t v = load(l), count = v & 0x7fffffffu;
        if (count == 0) {
            break;
        }
        uint32_t next = count == 1 ? 0 : v - 1;
        if (cas(l, v, next)) {
            if (next == 0 && (v & 0x80000000u)) {
                futex_wake(l, INT_MAX);
            }
            break;
        }
    }
    for (;;) {
        uint32_t v = load(l);
        if ((v & 0x7fffffffu) == 0) {
            return;
        }
        if (!(v & 0x80000000u)) {
            if (!cas(l, v, v | 0x80000000u)) {
                continue;
            }
            v |= 0x80000000u;
        }
        futex_wait(l, v, 0);
    }
}

/* Barrier: word 0 phase, word 1 remaining, word 2 parties. Returns the phase arrived at. */
static uint32_t barrier_arrive_and_wait(uint32_t *b) {
    uint32_t phase = load(&b[0]);
    for (;;) {
        uint32_t r = load(&b[1]);
        if (r == 0) {
            fprintf(stderr, "sync-peer: more arrivals than parties\n");
            exit(2);
        }
        if (cas(&b[1], r, r - 1)) {
            if (r == 1) {
                store(&b[1], load(&b[2]));
                store(&b[0], phase + 1);
                futex_wake(&b[0], INT_MAX);
            }
            break;
        }
    }
    while (load(&b[0]) == phase) {
        futex_wait(&b[0], phase, 0);
    }
    return phase;
}

/* Event: bit 0 set, bit 1 waiters, bits 2-31 the count of sets. */
static void event_wait(uint32_t *e) {
    uint32_t sets = load(e) & ~3u;
    for (;;) {
        uint32_t v = load(e);
        if ((v & 1u) || (v & ~3u) != sets) {
            return;
        }
        if (!(v & 2u)) {
            if (!cas(e, v, v | 2u)) {
                continue;
            }
            v |= 2u;
        }
        futex_wait(e, v, 0);
    }
}

static void event_set(uint32_t *e) {
    for (;;) {
        uint32_t v = load(e);
        if (v & 1u) {
            return;
        }
        if (cas(e, v, ((v & ~3u) + 4u) | 1u)) {
            if (v & 2u) {
                futex_wake(e, INT_MAX);
            }
            return;
        }
    }
}

static long arg(char **argv, int argc, int i) {
    if (i >= argc) {
        fprintf(stderr, "sync-peer: missing argument %d\n", i);
        exit(2);
    }
    return strtol(argv[i], NULL, 0);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: sync-peer FILE OFFSET MODE ARGS\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    long offset = strtol(argv[2], NULL, 0);
    int fd = open(argv[1], O_RDWR);
    if (fd < 0) {
        die("open");
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        die("fstat");
    }
    if (offset < 0 || offset % 4 != 0 || offset + 12 > st.st_size) {
        fprintf(stderr, "sync-peer: offset %ld: not a multiple of 4 or beyond the file\n", offset);
        return 2;
    }
    char *base = mmap(NULL, (size_t) st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) {
        die("mmap");
    }
    uint32_t *w = (uint32_t *) (base + offset);
    const char *mode = argv[3];

    if (strcmp(mode, "mutex-count") == 0) {
        long n = arg(argv, argc, 4), ownerdead = 0;
        volatile uint64_t *counter = (uint64_t *) (base + arg(argv, argc, 5));
        for (long i = 0; i < n; i++) {
            int r = mutex_lock(w, 0);
            if (r == LOCK_NOTRECOVERABLE) {
                printf("locked notrecoverable\n");
                return 5;
            }
            if (r == LOCK_OWNERDEAD) {
                ownerdead++;
                mutex_consistent(w);
            }
            *counter = *counter + 1;
            mutex_unlock(w);
        }
        printf("done %ld ownerdead %ld\n", n, ownerdead);
    } else if (strcmp(mode, "mutex-hold") == 0) {
        int r = mutex_lock(w, 0);
        printf("locked %s\n", RESULT[r]);
        for (;;) {
            pause();
        }
    } else if (strcmp(mode, "mutex-wait") == 0) {
        printf("waiting\n");
        int r = mutex_lock(w, 0);
        printf("locked %s\n", RESULT[r]);
        if (r == LOCK_NOTRECOVERABLE) {
            return 5;
        }
        mutex_consistent(w);
        mutex_unlock(w);
    } else if (strcmp(mode, "cond-wait") == 0) {
        uint32_t *mutex = (uint32_t *) (base + arg(argv, argc, 4));
        uint32_t *flag = (uint32_t *) (base + arg(argv, argc, 5));
        if (mutex_lock(mutex, 0) != LOCK_OK) {
            return 5;
        }
        int announced = 0;
        while (load(flag) == 0) {
            if (!announced) {
                printf("waiting\n"); /* the waiter count is raised before the mutex is released */
                announced = 1;
            }
            if (cond_wait(w, mutex) != LOCK_OK) {
                return 5;
            }
        }
        mutex_unlock(mutex);
        printf("woken\n");
    } else if (strcmp(mode, "cond-signal-all") == 0) {
        uint32_t *mutex = (uint32_t *) (base + arg(argv, argc, 4));
        uint32_t *flag = (uint32_t *) (base + arg(argv, argc, 5));
        if (mutex_lock(mutex, 0) != LOCK_OK) {
            return 5;
        }
        store(flag, 1);
        cond_signal_all(w, mutex, 1);
        mutex_unlock(mutex);
        printf("signalled\n");
    } else if (strcmp(mode, "sem-acquire") == 0) {
        long n = arg(argv, argc, 4);
        for (long i = 0; i < n; i++) {
            sem_acquire(w);
        }
        printf("acquired %ld\n", n);
    } else if (strcmp(mode, "sem-release") == 0) {
        long n = arg(argv, argc, 4);
        for (long i = 0; i < n; i++) {
            sem_release(w);
        }
        printf("released %ld\n", n);
    } else if (strcmp(mode, "latch-arrive") == 0) {
        latch_arrive_and_wait(w);
        printf("released\n");
    } else if (strcmp(mode, "barrier") == 0) {
        long n = arg(argv, argc, 4);
        uint32_t last = 0;
        for (long i = 0; i < n; i++) {
            last = barrier_arrive_and_wait(w);
        }
        printf("phases %u\n", last);
    } else if (strcmp(mode, "event-wait") == 0) {
        event_wait(w);
        printf("set\n");
    } else if (strcmp(mode, "event-set") == 0) {
        event_set(w);
        printf("done\n");
    } else {
        fprintf(stderr, "sync-peer: unknown mode %s\n", mode);
        return 2;
    }
    return 0;
}
