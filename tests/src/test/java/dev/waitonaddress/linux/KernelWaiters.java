package dev.waitonaddress.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;

/**
 * Sees, without disturbing them, which threads of a process sleep in the kernel and on what:
 * {@code /proc/PID/task/TID/syscall} names the system call a blocked thread is in and its
 * arguments. Tests use it to wake only once a waiter really sleeps, so that wake counts are exact
 * on a loaded machine without sleeping for a guessed time.
 */
final class KernelWaiters {
    private KernelWaiters() {
    }

    /** {@code SYS_futex} of x86_64; also what an aarch64 JVM under qemu-user on x86_64 shows there. */
    static final long SYS_FUTEX_X86_64 = 202;
    /** {@code SYS_futex} of this JVM's architecture. */
    static final long SYS_FUTEX = System.getProperty("os.arch").equals("aarch64") ? 98 : SYS_FUTEX_X86_64;
    /** {@code SYS_futex_waitv}, the same on x86_64 and aarch64. */
    static final long SYS_FUTEX_WAITV = 449;

    static long self() {
        return ProcessHandle.current().pid();
    }

    /** @return how many threads of {@code pid} sleep in futex(2) with {@code address} as the word */
    static int inFutex(long pid, long address) {
        int n = count(pid, SYS_FUTEX, address);
        return n > 0 || SYS_FUTEX == SYS_FUTEX_X86_64 ? n : count(pid, SYS_FUTEX_X86_64, address);
    }

    /** @return how many threads of {@code pid} sleep in futex_waitv(2) */
    static int inFutexWaitv(long pid) {
        return count(pid, SYS_FUTEX_WAITV, -1);
    }

    /** Waits until {@code n} threads of {@code pid} sleep in futex(2) on {@code address}; fails after {@code limit}. */
    static void awaitInFutex(long pid, long address, int n, Duration limit) throws InterruptedException {
        awaitCount(() -> inFutex(pid, address), n, limit,
                n + " threads of " + pid + " asleep in futex on 0x" + Long.toHexString(address));
    }

    /** Waits until {@code n} threads of {@code pid} sleep in futex_waitv(2); fails after {@code limit}. */
    static void awaitInFutexWaitv(long pid, int n, Duration limit) throws InterruptedException {
        awaitCount(() -> inFutexWaitv(pid), n, limit, n + " threads of " + pid + " asleep in futex_waitv");
    }

    private static void awaitCount(java.util.function.IntSupplier count, int n, Duration limit, String what)
            throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        int seen;
        while ((seen = count.getAsInt()) != n) {
            if (System.nanoTime() - end > 0) {
                Assertions.fail("waited " + limit + " for " + what + "; saw " + seen);
            }
            Thread.sleep(1);
        }
    }

    private static int count(long pid, long syscall, long firstArgument) {
        Path tasks = Paths.get("/proc", Long.toString(pid), "task");
        int n = 0;
        try (Stream<Path> s = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) s::iterator) {
                String[] f = read(task.resolve("syscall")).trim().split(" ");
                if (f.length > 1 && f[0].equals(Long.toString(syscall))
                        && (firstArgument < 0 || Long.parseUnsignedLong(f[1].substring(2), 16) == firstArgument)) {
                    n++;
                }
            }
        } catch (NoSuchFileException gone) {
            return n;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + tasks, e);
        }
        return n;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) { // the thread ended meanwhile, or is running ("running" has no fields)
            return "";
        }
    }
}
