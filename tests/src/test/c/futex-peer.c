/*
 * futex-peer: the C side of the cross-process tests. It speaks only the kernel ABI:
 * syscall(SYS_futex, ...) on a 32-bit word of a file mapped MAP_SHARED, with no private flag,
 * exactly as C code next to a Java program would.
 *
 *   futex-peer FILE OFFSET wait EXPECTED        sleep while the word holds EXPECTED; print "woken V K"
 *                                               (V the new value, K the futex returns it saw)
 *   futex-peer FILE OFFSET store-wake VALUE     store VALUE, wake every waiter; print "woke N"
 *   futex-peer FILE OFFSET kick-store-wake VALUE
 *                                               wake one waiter without changing the word until a
 *                                               wake reports one (so a waiter really slept), then
 *                                               store VALUE and wake all; print "kicked N woke M"
 *   futex-peer FILE OFFSET pingpong FIRST LAST  for n = FIRST, FIRST+2, ... < LAST: sleep until the
 *                                               word holds n, store n+1, wake one; print "done R"
 *
 * Exit status 0 on success, 2 on bad usage, 3 on a system call error, 4 on a time-out (10 s for a kick).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long futex_wait_shared(uint32_t *word, uint32_t expected) {
    return syscall(SYS_futex, word, FUTEX_WAIT, expected, NULL, NULL, 0);
}

static long futex_wake_shared(uint32_t *word, int count) {
    return syscall(SYS_futex, word, FUTEX_WAKE, count, NULL, NULL, 0);
}

static void die(const char *what) {
    fprintf(stderr, "futex-peer: %s: %s\n", what, strerror(errno));
    exit(3);
}

/* Sleeps while *word == expected; returns the value it found different. Counts returns in *sleeps. */
static uint32_t wait_while(uint32_t *word, uint32_t expected, long *sleeps) {
    uint32_t v;
    while ((v = __atomic_load_n(word, __ATOMIC_SEQ_CST)) == expected) {
        if (futex_wait_shared(word, expected) == 0) {
            ++*sleeps;
        } else if (errno != EAGAIN && errno != EINTR) {
            die("FUTEX_WAIT");
        }
    }
    return v;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: futex-peer FILE OFFSET wait|store-wake|kick-store-wake|pingpong ARGS\n");
        return 2;
    }
    long offset = strtol(argv[2], NULL, 0);
    if (offset < 0 || offset % 4 != 0) {
        fprintf(stderr, "futex-peer: offset %ld is not a multiple of 4\n", offset);
        return 2;
    }
    int fd = open(argv[1], O_RDWR);
    if (fd < 0) {
        die("open");
    }
    size_t length = (size_t) offset + 4;
    char *base = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) {
        die("mmap");
    }
    uint32_t *word = (uint32_t *) (base + offset);
    const char *mode = argv[3];
    long sleeps = 0;

    if (strcmp(mode, "wait") == 0) {
        uint32_t v = wait_while(word, (uint32_t) strtoul(argv[4], NULL, 0), &sleeps);
        printf("woken %u %ld\n", v, sleeps);
    } else if (strcmp(mode, "store-wake") == 0) {
        __atomic_store_n(word, (uint32_t) strtoul(argv[4], NULL, 0), __ATOMIC_SEQ_CST);
        long n = futex_wake_shared(word, INT_MAX);
        if (n < 0) {
            die("FUTEX_WAKE");
        }
        printf("woke %ld\n", n);
    } else if (strcmp(mode, "kick-store-wake") == 0) {
        long kicked = 0;
        for (int tries = 0; kicked == 0; tries++) {
            if (tries == 10000) {
                fprintf(stderr, "futex-peer: no waiter slept on the word within 10 s\n");
                return 4;
            }
            kicked = futex_wake_shared(word, 1);
            if (kicked < 0) {
                die("FUTEX_WAKE");
            }
            if (kicked == 0) {
                usleep(1000);
            }
        }
        __atomic_store_n(word, (uint32_t) strtoul(argv[4], NULL, 0), __ATOMIC_SEQ_CST);
        long n = futex_wake_shared(word, INT_MAX);
        if (n < 0) {
            die("FUTEX_WAKE");
        }
        printf("kicked %ld woke %ld\n", kicked, n);
    } else if (strcmp(mode, "pingpong") == 0 && argc >= 6) {
        uint32_t first = (uint32_t) strtoul(argv[4], NULL, 0);
        uint32_t last = (uint32_t) strtoul(argv[5], NULL, 0);
        long rounds = 0;
        for (uint32_t n = first; n < last; n += 2) {
            uint32_t v;
            while ((v = __atomic_load_n(word, __ATOMIC_SEQ_CST)) != n) {
                if (futex_wait_shared(word, v) != 0 && errno != EAGAIN && errno != EINTR) {
                    die("FUTEX_WAIT");
                }
            }
            __atomic_store_n(word, n + 1, __ATOMIC_SEQ_CST);
            if (futex_wake_shared(word, 1) < 0) {
                die("FUTEX_WAKE");
            }
            rounds++;
        }
        printf("done %ld\n", rounds);
    } else {
        fprintf(stderr, "futex-peer: unknown mode %s\n", mode);
        return 2;
    }
    fflush(stdout);
    return 0;
}
