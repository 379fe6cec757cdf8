package dev.waitonaddress.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assertions;

/**
 * Runs a concurrent test body with a time limit. A hang (a lost wake-up) fails fast, names itself
 * and prints every thread's stack, instead of stalling the build.
 */
public final class Watchdog {
    private Watchdog() {
    }

    /** A test body that may throw. */
    @FunctionalInterface
    public interface Body<T> {
        T run() throws Exception;
    }

    /** Runs {@code body}; fails with a thread dump if it takes longer than {@code limit}. */
    public static <T> T within(Duration limit, String what, Body<T> body) throws Exception {
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "watchdog-body: " + what);
            t.setDaemon(true);
            return t;
        });
        try {
            Future<T> f = runner.submit(body::run);
            try {
                return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                String dump = threadDump();
                System.err.println("[woa] watchdog: '" + what + "' still running after " + limit + ":\n" + dump);
                f.cancel(true);
                return Assertions.fail("watchdog: '" + what + "' hung for " + limit
                        + " (a lost wake-up?); thread dump printed to stderr");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof Exception) {
                    throw (Exception) c;
                }
                if (c instanceof Error) {
                    throw (Error) c;
                }
                throw e;
            }
        } finally {
            runner.shutdownNow();
        }
    }

    /** As {@link #within(Duration, String, Body)} for a body with no result. */
    public static void run(Duration limit, String what, Body<?> body) throws Exception {
        within(limit, what, body);
    }

    /** @return every live thread's stack */
    public static String threadDump() {
        StringBuilder sb = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            sb.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState()).append('\n');
            for (StackTraceElement e : info.getStackTrace()) {
                sb.append("    at ").append(e).append('\n');
            }
        }
        return sb.toString();
    }
}
