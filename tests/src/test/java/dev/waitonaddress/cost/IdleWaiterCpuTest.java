package dev.waitonaddress.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.jna.Memory;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.Strict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A thread blocked in {@code await} sleeps in the kernel: over 2 s it uses under 1 % of a core,
 * read from {@code /proc/self/task/<tid>/stat} (utime + stime). A waiter that polled or spun
 * would use far more.
 */
class IdleWaiterCpuTest {
    private static final Path TASKS = Paths.get("/proc/self/task");
    /** /proc reports times in USER_HZ ticks, 100 per second on every Linux architecture. */
    private static final int TICKS_PER_SECOND = 100;
    private static final long IDLE_MILLIS = 2_000;
    private static final double MAX_CORE_SHARE = 0.01;

    /** Blocks the calling thread until its word changes. */
    interface Waiter {
        void awaitChange(Memory word) throws InterruptedException;
    }

    @Test
    void idleSpiWaiterUsesNoCpu() throws Exception {
        WaitOnAddress futex = WaitOnAddress.system();
        assertIdle("woa-idle-spi", word -> {
            while (word.getInt(0) == 0) {
                futex.await(word, Width.INT32, 0, Scope.PRIVATE);
            }
        }, word -> futex.wakeAll(word, Width.INT32, Scope.PRIVATE));
    }

    @Test
    void idleTimedSpiWaiterUsesNoCpu() throws Exception {
        WaitOnAddress futex = WaitOnAddress.system();
        assertIdle("woa-idle-timed", word -> {
            while (word.getInt(0) == 0) {
                futex.await(word, Width.INT32, 0, Scope.PRIVATE, 1, TimeUnit.HOURS);
            }
        }, word -> futex.wakeAll(word, Width.INT32, Scope.PRIVATE));
    }

    /**
     * Starts a thread named {@code name} (at most 15 characters: the kernel's limit) that waits
     * with {@code waiter}, lets it settle, and measures its CPU time over {@link #IDLE_MILLIS}.
     */
    static void assertIdle(String name, Waiter waiter, java.util.function.Consumer<Memory> wake) throws Exception {
        Strict.require(Files.isDirectory(TASKS), "needs Linux /proc/self/task to read a thread's CPU time");
        assertTrue(name.length() <= 15, "thread names are cut to 15 characters in /proc");
        Memory word = new Memory(4);
        word.setInt(0, 0);
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                waiter.awaitChange(word);
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, name);
        t.setDaemon(true);
        t.start();
        try {
            Path task = findTask(name);
            // Settle: the thread must be asleep ('S') in the kernel, past any spinning phase.
            long settleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int asleepInARow = 0;
            while (asleepInARow < 20) { // 20 × 10 ms asleep in a row
                assertTrue(System.nanoTime() < settleUntil, name + " never went to sleep: " + stat(task));
                asleepInARow = stat(task)[0].equals("S") ? asleepInARow + 1 : 0;
                Thread.sleep(10);
            }
            long ticksBefore = cpuTicks(task);
            long nanosBefore = runNanos(task);
            long start = System.nanoTime();
            Thread.sleep(IDLE_MILLIS);
            long elapsed = System.nanoTime() - start;
            long ticks = cpuTicks(task) - ticksBefore;
            long ranNanos = runNanos(task) - nanosBefore;
            assertTrue(t.isAlive(), name + " returned while nobody woke it: " + failure[0]);
            double share = (double) ticks / TICKS_PER_SECOND / (elapsed / 1e9);
            String detail = String.format("%s used %d ticks (%.2f %% of a core) in %.2f s; schedstat run time %s",
                    name, ticks, share * 100, elapsed / 1e9, ranNanos < 0 ? "n/a" : ranNanos / 1000 + " µs");
            System.out.println("[idle] " + detail);
            assertTrue(share < MAX_CORE_SHARE, detail);
            if (ranNanos >= 0) {
                assertTrue(ranNanos < MAX_CORE_SHARE * elapsed, detail);
            }
        } finally {
            word.setInt(0, 1);
            while (t.isAlive()) {
                wake.accept(word);
                t.join(100);
            }
        }
        assertEquals(null, failure[0], "the waiter failed");
    }

    /** The /proc task directory of the thread whose comm is {@code name}. */
    private static Path findTask(String name) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
                for (Path task : tasks) {
                    try {
                        if (new String(Files.readAllBytes(task.resolve("comm")), StandardCharsets.UTF_8).trim().equals(name)) {
                            return task;
                        }
                    } catch (IOException gone) {
                        // a thread that ended while we looked
                    }
                }
            }
            Thread.sleep(10);
        }
        fail("no thread named " + name + " under " + TASKS);
        return null;
    }

    /** The fields of {@code stat} after the command name: [0] is the state, [11] utime, [12] stime. */
    private static String[] stat(Path task) throws IOException {
        String s = new String(Files.readAllBytes(task.resolve("stat")), StandardCharsets.UTF_8);
        return s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
    }

    private static long cpuTicks(Path task) throws IOException {
        String[] f = stat(task);
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Nanoseconds on a CPU from {@code schedstat} (finer than ticks), or -1 where the kernel has none. */
    private static long runNanos(Path task) {
        try {
            return Long.parseLong(new String(Files.readAllBytes(task.resolve("schedstat")), StandardCharsets.UTF_8)
                    .trim().split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
