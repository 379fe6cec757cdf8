/*
 * Scenarios of the Windows address-wait API (WaitOnAddress, WakeByAddressSingle,
 * WakeByAddressAll), one observation per line, "key: value", for a line-by-line comparison of two
 * implementations: built with MinGW into windows-scenario.exe and run under Wine, and built on
 * Linux against the contract emulator libwoa-windows.so, run with both of Wine's behaviours on
 * and a lag that makes its races likely (WOA_EMULATOR_WINDOWS_BEHAVIOURS=wine,
 * WOA_EMULATOR_WINDOWS_LAG_US=100; see libwoa-windows.c). WineCrossCheckTest builds the .exe, runs
 * both and compares; build.sh builds the Linux one.
 *
 * Usage: windows-scenario [GROUP], GROUP one of sizes, compares, timeouts, order, addresses,
 * mixed, misaligned, alerts (default: all, in that order). The last line is "end".
 *
 * Every line must be stable from run to run on a loaded machine: results and booleans, never
 * counts or times. A scenario that depends on a race repeats until it has seen the event or its
 * time budget is spent, and prints "seen" or "not seen"; how often the events happened goes to
 * stderr. Every wait has a finite time-out, so the program cannot hang. Waiters are queued in a
 * known order by starting them one at a time, QUEUE_MS apart: the API cannot say who is queued.
 *
 * Exit status 0; a line "error: ..." reports something the scenario could not set up.
 */
#ifndef _WIN32
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <pthread.h>
#include <time.h>
typedef int BOOL;
typedef uint32_t DWORD;
typedef size_t SIZE_T;
#define TRUE 1
#define FALSE 0
#define INFINITE 0xFFFFFFFFu
BOOL WaitOnAddress(volatile void *Address, void *CompareAddress, SIZE_T AddressSize, DWORD dwMilliseconds);
void WakeByAddressSingle(void *Address);
void WakeByAddressAll(void *Address);
DWORD GetLastError(void);
#endif

#define QUEUE_MS 60          /* between starting two waiters that must queue in order */
#define SETTLE_MS 60         /* for a woken waiter to return, or a not-woken one to show it stays */
#define LONG_WAIT_MS 5000    /* a waiter that must be woken by the scenario (never reached) */
#define ALL_BUDGET_MS 10000     /* the WakeByAddressAll race gives up after this long: "not seen" */
#define SINGLE_BUDGET_MS 15000  /* the WakeByAddressSingle race too */

/* ---------------------------------------------------------------- portability: threads, time */

struct task {
    void (*fn)(void *);
    void *arg;
#ifdef _WIN32
    HANDLE handle;
#else
    pthread_t thread;
#endif
};

#ifdef _WIN32
static DWORD WINAPI trampoline(LPVOID p) {
    struct task *t = p;
    t->fn(t->arg);
    return 0;
}

static void start(struct task *t, void (*fn)(void *), void *arg) {
    t->fn = fn;
    t->arg = arg;
    t->handle = CreateThread(NULL, 0, trampoline, t, 0, NULL);
    if (t->handle == NULL) {
        printf("error: CreateThread failed\n");
        exit(2);
    }
}

static void join(struct task *t) {
    WaitForSingleObject(t->handle, INFINITE);
    CloseHandle(t->handle);
}

static void sleep_ms(int ms) {
    Sleep((DWORD) ms);
}

static double now_ms(void) {
    static LARGE_INTEGER frequency;
    LARGE_INTEGER c;
    if (frequency.QuadPart == 0) {
        QueryPerformanceFrequency(&frequency);
    }
    QueryPerformanceCounter(&c);
    return (double) c.QuadPart * 1000.0 / (double) frequency.QuadPart;
}
#else
static void *trampoline(void *p) {
    struct task *t = p;
    t->fn(t->arg);
    return NULL;
}

static void start(struct task *t, void (*fn)(void *), void *arg) {
    t->fn = fn;
    t->arg = arg;
    if (pthread_create(&t->thread, NULL, trampoline, t) != 0) {
        printf("error: pthread_create failed\n");
        exit(2);
    }
}

static void join(struct task *t) {
    pthread_join(t->thread, NULL);
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long) (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec * 1000.0 + (double) ts.tv_nsec / 1e6;
}
#endif

static int get(const volatile int *p) {
    return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void set(volatile int *p, int v) {
    __atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

/* ---------------------------------------------------------------- results */

/* "TRUE" or "FALSE, error N" (GetLastError is only meaningful after FALSE). */
static const char *result_text(BOOL r, DWORD error, char *buf, size_t size) {
    if (r) {
        snprintf(buf, size, "TRUE");
    } else {
        snprintf(buf, size, "FALSE, error %lu", (unsigned long) error);
    }
    return buf;
}

static const char *wait_text(volatile void *address, void *compare, SIZE_T size, DWORD ms, char *buf, size_t bufsize) {
    BOOL r = WaitOnAddress(address, compare, size, ms);
    DWORD e = r ? 0 : GetLastError();
    return result_text(r, e, buf, bufsize);
}

static _Alignas(16) unsigned char memory[64];
static _Alignas(16) unsigned char compare[64];

/* ---------------------------------------------------------------- sizes and compares */

static void sizes(void) {
    static const SIZE_T all[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16};
    char buf[64];
    memset(memory, 0x5a, 32);
    memset(compare, 0x5a, 32);
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        printf("size %u, equal, 0 ms: %s\n", (unsigned) all[i], wait_text(memory, compare, all[i], 0, buf, sizeof buf));
    }
    printf("size 3, unequal, 0 ms: %s\n", (compare[0] = 0x5b, wait_text(memory, compare, 3, 0, buf, sizeof buf)));
    compare[0] = 0x5a;
}

static void compares(void) {
    char buf[64];
    static const SIZE_T widths[] = {1, 2, 4, 8};
    for (int i = 0; i < 4; i++) {
        SIZE_T n = widths[i];
        memset(memory, 0x11, 16);
        memset(compare, 0x11, 16);
        compare[0] = 0x12; /* the lowest byte differs */
        printf("size %u, lowest byte differs, 0 ms: %s\n", (unsigned) n, wait_text(memory, compare, n, 0, buf, sizeof buf));
        double t0 = now_ms();
        const char *r = wait_text(memory, compare, n, INFINITE, buf, sizeof buf);
        printf("size %u, lowest byte differs, INFINITE: %s, at once: %s\n", (unsigned) n, r, now_ms() - t0 < 1000 ? "yes" : "no");
        compare[0] = 0x11;
        compare[n - 1] = 0x13; /* the highest byte of the value differs */
        printf("size %u, highest byte differs, 0 ms: %s\n", (unsigned) n, wait_text(memory, compare, n, 0, buf, sizeof buf));
        compare[n - 1] = 0x11;
        compare[n] = 0x14; /* the byte after the value differs: not compared */
        printf("size %u, byte after the value differs, 0 ms: %s\n", (unsigned) n, wait_text(memory, compare, n, 0, buf, sizeof buf));
        compare[n] = 0x11;
    }
}

/* ---------------------------------------------------------------- time-outs */

static void timeouts(void) {
    char buf[64];
    memset(memory, 0, 16);
    memset(compare, 0, 16);
    double t0 = now_ms();
    const char *r = wait_text(memory, compare, 4, 0, buf, sizeof buf);
    printf("0 ms, equal: %s, returned within 100 ms: %s\n", r, now_ms() - t0 < 100 ? "yes" : "no");
    static const int small[] = {1, 20, 100};
    for (int i = 0; i < 3; i++) {
        t0 = now_ms();
        r = wait_text(memory, compare, 4, (DWORD) small[i], buf, sizeof buf);
        double took = now_ms() - t0;
        /* Windows' timer may round a time-out to its tick, so "not early" allows 2 ms */
        printf("%d ms, equal: %s, not early: %s, within 1 s of the time-out: %s\n", small[i], r,
               took >= small[i] - 2 ? "yes" : "no", took < small[i] + 1000 ? "yes" : "no");
    }
    compare[0] = 1;
    t0 = now_ms();
    r = wait_text(memory, compare, 4, 0xFFFFFFFEu, buf, sizeof buf);
    printf("0xFFFFFFFE ms, unequal: %s, at once: %s\n", r, now_ms() - t0 < 1000 ? "yes" : "no");
    compare[0] = 0;
    WakeByAddressSingle(memory);
    WakeByAddressAll(memory);
    printf("20 ms after wakes with nobody waiting (not remembered): %s\n", wait_text(memory, compare, 4, 20, buf, sizeof buf));
    WakeByAddressSingle(NULL);
    WakeByAddressAll(NULL);
    printf("wakes of NULL: return\n");
}

/* ---------------------------------------------------------------- waiters on their own threads */

struct waiter {
    volatile void *address;
    SIZE_T size;
    DWORD ms;
    unsigned char expected[8];
    volatile int done;      /* 0 while waiting, then the order in which it returned (1, 2, ...) */
    BOOL result;
    DWORD error;
    struct task task;
};

static volatile int returned;

static void wait_on(void *p) {
    struct waiter *w = p;
    BOOL r = WaitOnAddress(w->address, w->expected, w->size, w->ms);
    w->error = r ? 0 : GetLastError();
    w->result = r;
    set(&w->done, __atomic_add_fetch(&returned, 1, __ATOMIC_SEQ_CST));
}

/* Starts waiters[0..n) one by one, QUEUE_MS apart, each expecting the current value at its address. */
static void queue_waiters(struct waiter *waiters, int n) {
    set(&returned, 0);
    for (int i = 0; i < n; i++) {
        memcpy(waiters[i].expected, (const void *) waiters[i].address, waiters[i].size);
        waiters[i].done = 0;
        start(&waiters[i].task, wait_on, &waiters[i]);
        sleep_ms(QUEUE_MS);
    }
}

/* Waits up to 2 s for `count` waiters in all to have returned, then SETTLE_MS more. */
static void settle(int count) {
    double until = now_ms() + 2000;
    while (get(&returned) < count && now_ms() < until) {
        sleep_ms(1);
    }
    sleep_ms(SETTLE_MS);
}

/* "waiter 0" / "waiters 1, 2" / "nobody": those that returned after the first `after` returns, by index */
static const char *who(struct waiter *waiters, int n, int after, char *buf, size_t size) {
    char list[64] = "";
    size_t len = 0;
    int found = 0;
    for (int i = 0; i < n; i++) {
        if (get(&waiters[i].done) > after) {
            len += (size_t) snprintf(list + len, sizeof list - len, "%s%d", found++ ? ", " : "", i);
        }
    }
    if (!found) {
        return "nobody";
    }
    snprintf(buf, size, "%s %s", found > 1 ? "waiters" : "waiter", list);
    return buf;
}

static void join_all(struct waiter *waiters, int n) {
    for (int i = 0; i < n; i++) {
        join(&waiters[i].task);
    }
}

static void wake_order(void) {
    char buf[128], rb[64];
    memset(memory, 0, 16);
    struct waiter w[3];
    memset(w, 0, sizeof w);
    for (int i = 0; i < 3; i++) {
        w[i].address = memory;
        w[i].size = 4;
        w[i].ms = LONG_WAIT_MS;
    }
    queue_waiters(w, 3);
    WakeByAddressSingle(memory);
    settle(1);
    printf("3 queued waiters, first WakeByAddressSingle woke: %s\n", who(w, 3, 0, buf, sizeof buf));
    WakeByAddressSingle(memory);
    settle(2);
    printf("3 queued waiters, second WakeByAddressSingle woke: %s\n", who(w, 3, 1, buf, sizeof buf));
    WakeByAddressAll(memory);
    settle(3);
    printf("3 queued waiters, then WakeByAddressAll woke: %s\n", who(w, 3, 2, buf, sizeof buf));
    join_all(w, 3);
    for (int i = 0; i < 3; i++) {
        printf("3 queued waiters, waiter %d returned: %s\n", i, result_text(w[i].result, w[i].error, rb, sizeof rb));
    }

    /* WakeByAddressAll first: every waiter, whatever the order */
    queue_waiters(w, 3);
    WakeByAddressAll(memory);
    settle(3);
    printf("3 queued waiters, WakeByAddressAll woke: %d of them\n", get(&returned));
    join_all(w, 3);
}

static void exact_addresses(void) {
    char buf[128], rb[64];
    memset(memory, 0, 32);
    struct waiter w[2];
    memset(w, 0, sizeof w);
    w[0].address = memory + 1; /* the neighbouring byte of memory + 0, in the same word */
    w[0].size = 1;
    w[0].ms = 500;
    w[1].address = memory + 8; /* the next 8-byte word */
    w[1].size = 8;
    w[1].ms = 500;
    queue_waiters(w, 2);
    WakeByAddressAll(memory);
    WakeByAddressSingle(memory);
    WakeByAddressAll(memory + 2);
    WakeByAddressSingle(memory + 4);
    settle(2); /* both time out after 500 ms */
    join_all(w, 2);
    printf("wakes of neighbouring addresses, waiter on +1 (size 1): %s\n", result_text(w[0].result, w[0].error, rb, sizeof rb));
    printf("wakes of neighbouring addresses, waiter on +8 (size 8): %s\n", result_text(w[1].result, w[1].error, rb, sizeof rb));
    (void) buf;
}

static void mixed_sizes(void) {
    char buf[128], rb[64];
    memset(memory, 0, 16);
    static const SIZE_T widths[] = {1, 4, 8, 2};
    struct waiter w[4];
    memset(w, 0, sizeof w);
    for (int i = 0; i < 4; i++) {
        w[i].address = memory;
        w[i].size = widths[i];
        w[i].ms = LONG_WAIT_MS;
    }
    queue_waiters(w, 4);
    WakeByAddressSingle(memory);
    settle(1);
    printf("sizes 1, 4, 8, 2 queued on one address, WakeByAddressSingle woke: %s\n", who(w, 4, 0, buf, sizeof buf));
    WakeByAddressSingle(memory);
    settle(2);
    printf("sizes 1, 4, 8, 2 queued on one address, second WakeByAddressSingle woke: %s\n", who(w, 4, 1, buf, sizeof buf));
    WakeByAddressAll(memory);
    settle(4);
    printf("sizes 1, 4, 8, 2 queued on one address, WakeByAddressAll woke: %s\n", who(w, 4, 2, buf, sizeof buf));
    join_all(w, 4);
    for (int i = 0; i < 4; i++) {
        printf("sizes 1, 4, 8, 2 queued on one address, size %u returned: %s\n", (unsigned) widths[i],
               result_text(w[i].result, w[i].error, rb, sizeof rb));
    }

    /* a 1-byte waiter whose byte is unchanged sleeps on while the rest of the word changes */
    memset(memory, 0, 16);
    struct waiter one;
    memset(&one, 0, sizeof one);
    one.address = memory;
    one.size = 1;
    one.ms = 300;
    queue_waiters(&one, 1);
    memory[1] = 7;
    WakeByAddressAll(memory);
    settle(1);
    join_all(&one, 1);
    printf("size 1 waiter, another byte of its word changed and woken: %s\n", result_text(one.result, one.error, rb, sizeof rb));
    memory[1] = 0;
}

static void misalignment(void) {
    char buf[64], rb[64];
    static const int offsets[] = {1, 2, 3, 4, 6};
    static const SIZE_T widths[] = {2, 4, 8};
    for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 3; j++) {
            int at = offsets[i];
            SIZE_T n = widths[j];
            if (at % (int) n == 0) {
                continue;
            }
            memset(memory, 0x21, 32);
            memset(compare, 0x21, 32);
            printf("misaligned +%d, size %u, equal, 0 ms: %s\n", at, (unsigned) n, wait_text(memory + at, compare, n, 0, buf, sizeof buf));
            compare[n - 1] = 0x22;
            printf("misaligned +%d, size %u, unequal, 0 ms: %s\n", at, (unsigned) n, wait_text(memory + at, compare, n, 0, buf, sizeof buf));
        }
    }
    /* a value across a 16-byte line, woken by a wake of its exact (misaligned) address */
    memset(memory, 0, 32);
    struct waiter w;
    memset(&w, 0, sizeof w);
    w.address = memory + 13;
    w.size = 8;
    w.ms = LONG_WAIT_MS;
    queue_waiters(&w, 1);
    WakeByAddressSingle(memory + 13);
    settle(1);
    join_all(&w, 1);
    printf("misaligned +13, size 8, waiter woken by WakeByAddressSingle(+13): %s\n", result_text(w.result, w.error, rb, sizeof rb));
}

/* ---------------------------------------------------------------- the alert mechanism */

/*
 * Races: each runs until it has seen what it looks for or its budget is spent, so "seen" is
 * quick and "not seen" costs the budget. How often each event happened goes to stderr ("counts"),
 * for people, not for the comparison.
 */

static volatile int stop;
static volatile uint32_t hammered; /* a word whose waiters another thread keeps waking */

static void hammer_all(void *p) {
    (void) p;
    while (!get(&stop)) {
        WakeByAddressAll((void *) &hammered);
    }
}

/*
 * WakeByAddressAll hammering `hammered`: after a 1 ms wait there, does the thread carry an alert
 * to its next wait on a word that nobody wakes? In turn: kind 0, a 0 ms wait; kind 1, a wait on
 * unequal values first, then the 0 ms wait; kind 2, a 5 ms wait.
 */
static void pending_after_all(void) {
    long tries[3] = {0, 0, 0}, hits[3] = {0, 0, 0};
    int used_up = 1; /* every 0 ms wait right after a TRUE one timed out */
    uint32_t unwoken = 0, same = 0, other = 1;
    struct task hammer;
    set(&stop, 0);
    start(&hammer, hammer_all, NULL);
    double until = now_ms() + ALL_BUDGET_MS;
    for (int i = 0; now_ms() < until && !(hits[0] >= 5 && hits[1] && hits[2]); i++) {
        int kind = i % 3;
        uint32_t expected = 0;
        WaitOnAddress(&hammered, &expected, 4, 1);
        tries[kind]++;
        if (kind == 2) {
            hits[2] += WaitOnAddress(&unwoken, &same, 4, 5) != 0;
            continue;
        }
        if (kind == 1) {
            WaitOnAddress(&unwoken, &other, 4, INFINITE); /* unequal: TRUE at once */
        }
        if (WaitOnAddress(&unwoken, &same, 4, 0)) {
            hits[kind]++;
            if (WaitOnAddress(&unwoken, &same, 4, 0)) {
                used_up = 0;
            }
        }
    }
    set(&stop, 1);
    join(&hammer);
    fprintf(stderr, "counts, WakeByAddressAll hammered: alert pending at the next 0 ms wait %ld/%ld, after an unequal wait %ld/%ld, "
            "at a 5 ms wait %ld/%ld\n", hits[0], tries[0], hits[1], tries[1], hits[2], tries[2]);
    printf("pending alert after WakeByAddressAll, next 0 ms wait on another word: %s\n", hits[0] ? "seen" : "not seen");
    printf("pending alert after WakeByAddressAll, kept through a wait on unequal values: %s\n", hits[1] ? "seen" : "not seen");
    printf("pending alert after WakeByAddressAll, next 5 ms wait returns TRUE: %s\n", hits[2] ? "seen" : "not seen");
    printf("pending alert used up by one wait (the 0 ms wait after a TRUE one times out): %s\n",
           hits[0] + hits[1] == 0 ? "not tried" : used_up ? "yes" : "no");
}

/*
 * WakeByAddressSingle at a waiter's deadline: a prober waits on its own word with 0 ms or 1 ms
 * time-outs, and its own waker calls WakeByAddressSingle on that word as fast as it can from
 * `target` (µs of now_ms) until the prober is back. For 1 ms waits the target sweeps from 20 µs
 * before to 140 µs after the deadline. A wait that timed out and left an alert behind (the
 * prober's next 0 ms wait, on a word nobody wakes, returns TRUE) had been picked by one of those
 * single wakes: the wake was used up by a waiter that reported a time-out.
 */
enum { SINGLE_PROBES = 2 };

struct single_probe {
    volatile uint32_t word;
    volatile int64_t target;
    volatile int stop;
    long tries[2], hits[2];     /* [0]: 0 ms waits, [1]: 1 ms waits, that timed out; hits: then an alert pending */
    long woken[2];              /* waits that returned TRUE */
    struct task waker, prober;
};

static struct single_probe single_probes[SINGLE_PROBES];

static int64_t now_us(void) {
    return (int64_t) (now_ms() * 1000.0);
}

static int single_race_done(void) {
    long hits0 = 0, hits1 = 0, woken0 = 0;
    for (int i = 0; i < SINGLE_PROBES; i++) {
        hits0 += single_probes[i].hits[0];
        hits1 += single_probes[i].hits[1];
        woken0 += single_probes[i].woken[0];
    }
    return hits0 && hits1 && woken0;
}

static void single_waker(void *p) {
    struct single_probe *s = p;
    while (!get(&s->stop)) {
        int64_t t = __atomic_load_n(&s->target, __ATOMIC_SEQ_CST);
        if (t != 0 && now_us() >= t) {
            WakeByAddressSingle((void *) &s->word);
        }
    }
}

static void single_prober(void *p) {
    struct single_probe *s = p;
    uint32_t unwoken = 0, same = 0;
    double until = now_ms() + SINGLE_BUDGET_MS;
    for (int i = 0; now_ms() < until && !single_race_done(); i++) {
        int kind = i % 2;
        uint32_t expected = 0;
        __atomic_store_n(&s->target, now_us() + (kind ? 980 + (i / 2 % 9) * 20 : 0), __ATOMIC_SEQ_CST);
        BOOL woken = WaitOnAddress(&s->word, &expected, 4, (DWORD) kind);
        __atomic_store_n(&s->target, 0, __ATOMIC_SEQ_CST);
        if (woken) {
            __atomic_add_fetch(&s->woken[kind], 1, __ATOMIC_SEQ_CST);
            continue; /* a single wake reached it in time, and its alert was used */
        }
        s->tries[kind]++;
        if (WaitOnAddress(&unwoken, &same, 4, 0)) {
            __atomic_add_fetch(&s->hits[kind], 1, __ATOMIC_SEQ_CST);
        }
    }
    set(&s->stop, 1);
}

static void single_at_deadline(void) {
    memset(single_probes, 0, sizeof single_probes);
    for (int i = 0; i < SINGLE_PROBES; i++) {
        start(&single_probes[i].waker, single_waker, &single_probes[i]);
        start(&single_probes[i].prober, single_prober, &single_probes[i]);
    }
    long tries[2] = {0, 0}, hits[2] = {0, 0}, woken[2] = {0, 0};
    for (int i = 0; i < SINGLE_PROBES; i++) {
        join(&single_probes[i].prober);
        join(&single_probes[i].waker);
        for (int k = 0; k < 2; k++) {
            tries[k] += single_probes[i].tries[k];
            hits[k] += single_probes[i].hits[k];
            woken[k] += single_probes[i].woken[k];
        }
    }
    fprintf(stderr, "counts, WakeByAddressSingle at the deadline: 0 ms waits woken %ld, timed out %ld (then an alert pending %ld); "
            "1 ms waits woken %ld, timed out %ld (then an alert pending %ld)\n", woken[0], tries[0], hits[0], woken[1], tries[1], hits[1]);
    printf("0 ms wait on equal values returned TRUE, a racing single wake's alert: %s\n", woken[0] ? "seen" : "not seen");
    printf("single wake taken by a 0 ms wait that timed out (its alert left pending): %s\n", hits[0] ? "seen" : "not seen");
    printf("single wake taken by a 1 ms wait that timed out (its alert left pending): %s\n", hits[1] ? "seen" : "not seen");
}

static void alerts(void) {
    pending_after_all();
    single_at_deadline();
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *only = argc > 1 ? argv[1] : NULL;
    if (!only || !strcmp(only, "sizes")) sizes();
    if (!only || !strcmp(only, "compares")) compares();
    if (!only || !strcmp(only, "timeouts")) timeouts();
    if (!only || !strcmp(only, "order")) wake_order();
    if (!only || !strcmp(only, "addresses")) exact_addresses();
    if (!only || !strcmp(only, "mixed")) mixed_sizes();
    if (!only || !strcmp(only, "misaligned")) misalignment();
    if (!only || !strcmp(only, "alerts")) alerts();
    printf("end\n");
    return 0;
}
