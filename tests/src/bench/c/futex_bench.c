/*
 * Baselines for the JMH benchmarks, with raw system calls (gcc -O2):
 *   futex_bench MODE ITERATIONS SECONDS
 * MODE is one of
 *   wake          FUTEX_WAKE_PRIVATE of a word nobody waits on
 *   mismatch      FUTEX_WAIT_PRIVATE with a value the word does not hold (EAGAIN)
 *   pingpong      round trip between two threads over one word (FUTEX_WAIT/WAKE_PRIVATE, no spinning)
 *   pingpong-proc round trip between a process and its fork over a word of a MAP_SHARED file in
 *                 /dev/shm (FUTEX_WAIT/WAKE without the private flag)
 *   waitv64       round trip: futex_waitv over 64 words, one flipped and woken by the other thread,
 *                 which is asked by a FUTEX_WAKE on a request word
 * After one warm-up iteration it prints one line per iteration: "c.MODE <ns per op>".
 * The protocols are those of the Java benchmarks in dev.waitonaddress.bench.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#ifndef FUTEX2_SIZE_U32
#define FUTEX2_SIZE_U32 0x02
#endif
#ifndef FUTEX2_PRIVATE
#define FUTEX2_PRIVATE 128
#endif

struct waitv { /* struct futex_waitv */
    uint64_t val;
    uint64_t uaddr;
    uint32_t flags;
    uint32_t reserved;
};

static long futex(int *addr, int op, int val) {
    return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

static int load(int *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
static void store(int *p, int v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ------------------------------------------------------------------ ping-pong */

static int *ball;            /* 0: with the measured side; 1: with the answerer */
static volatile int stopping;
static int wait_op = FUTEX_WAIT_PRIVATE, wake_op = FUTEX_WAKE_PRIVATE;

static void answer_loop(void) {
    for (;;) {
        while (load(ball) == 0) futex(ball, wait_op, 0);
        if (stopping || load(ball + 1)) return;
        store(ball, 0);
        futex(ball, wake_op, 1);
    }
}

static void *answerer(void *unused) {
    (void) unused;
    answer_loop();
    return NULL;
}

static void ping(void) {
    store(ball, 1);
    futex(ball, wake_op, 1);
    while (load(ball) == 1) futex(ball, wait_op, 1);
}

/* ------------------------------------------------------------------ waitv64 */

#define N 64
static int words[N + 1]; /* words[N] is the request word */
static struct waitv waiters[N];
static int round_no;

static void *flipper(void *unused) {
    (void) unused;
    int next = 0;
    for (;;) {
        while (load(&words[N]) == 0) futex(&words[N], FUTEX_WAIT_PRIVATE, 0);
        if (stopping) return NULL;
        store(&words[N], 0);
        int i = next;
        next = (next + 1) % N;
        store(&words[i], load(&words[i]) ^ 1);
        futex(&words[i], FUTEX_WAKE_PRIVATE, 1);
    }
}

static void waitv_round(void) {
    int i = round_no;
    round_no = (round_no + 1) % N;
    int before = (int) waiters[i].val;
    store(&words[N], 1);
    futex(&words[N], FUTEX_WAKE_PRIVATE, 1);
    do {
        syscall(SYS_futex_waitv, waiters, N, 0, NULL, CLOCK_MONOTONIC);
    } while (load(&words[i]) == before);
    waiters[i].val = before ^ 1;
}

/* ------------------------------------------------------------------ driver */

static int word0;

static void op_wake(void) { futex(&word0, FUTEX_WAKE_PRIVATE, 1); }
static void op_mismatch(void) { futex(&word0, FUTEX_WAIT_PRIVATE, 1); }

static void measure(const char *name, void (*op)(void), int batch, int iterations, double seconds) {
    for (int it = -1; it < iterations; it++) { /* -1: warm-up */
        long ops = 0;
        double start = now_ns(), end = start + seconds * 1e9, t;
        do {
            for (int k = 0; k < batch; k++) op();
            ops += batch;
        } while ((t = now_ns()) < end);
        if (it >= 0) printf("c.%s %.1f\n", name, (t - start) / ops);
        fflush(stdout);
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s wake|mismatch|pingpong|pingpong-proc|waitv64 ITERATIONS SECONDS\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    int iterations = atoi(argv[2]);
    double seconds = atof(argv[3]);
    if (!strcmp(mode, "wake")) {
        measure(mode, op_wake, 1000, iterations, seconds);
    } else if (!strcmp(mode, "mismatch")) {
        measure(mode, op_mismatch, 1000, iterations, seconds);
    } else if (!strcmp(mode, "pingpong")) {
        static int words2[2];
        ball = words2;
        pthread_t t;
        pthread_create(&t, NULL, answerer, NULL);
        measure(mode, ping, 100, iterations, seconds);
        stopping = 1;
        store(ball, 1);
        futex(ball, wake_op, 1);
        pthread_join(t, NULL);
    } else if (!strcmp(mode, "pingpong-proc")) {
        char path[] = "/dev/shm/woa-bench-c-XXXXXX";
        int fd = mkstemp(path);
        if (fd < 0 || ftruncate(fd, 4096) != 0) { perror(path); return 1; }
        ball = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (ball == MAP_FAILED) { perror("mmap"); return 1; }
        unlink(path);
        wait_op = FUTEX_WAIT;
        wake_op = FUTEX_WAKE;
        pid_t child = fork();
        if (child == 0) { answer_loop(); _exit(0); }
        measure(mode, ping, 100, iterations, seconds);
        store(ball + 1, 1); /* the stop word, in the shared file */
        store(ball, 1);
        futex(ball, wake_op, 1);
        waitpid(child, NULL, 0);
    } else if (!strcmp(mode, "waitv64")) {
        for (int i = 0; i < N; i++) {
            waiters[i].uaddr = (uintptr_t) &words[i];
            waiters[i].val = 0;
            waiters[i].flags = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE;
        }
        pthread_t t;
        pthread_create(&t, NULL, flipper, NULL);
        measure(mode, waitv_round, 100, iterations, seconds);
        stopping = 1;
        store(&words[N], 1);
        futex(&words[N], FUTEX_WAKE_PRIVATE, 1);
        pthread_join(t, NULL);
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    return 0;
}
