package dev.waitonaddress.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.waitonaddress.WaitOnAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Counts, with the kernel as witness, the futex system calls one thread of a second JVM makes in a
 * marked stretch of its run. The child (its {@code main} calls {@link #runMarked}) prints
 * {@code tid=<the thread's Linux id>}, warms its loop up, then runs it once between two
 * {@code readlink("/proc/thread-self")} calls that mark it in the trace, and prints {@code done};
 * the parent ({@link #futexCalls}) runs the child under {@code strace -f -e trace=futex,...} and
 * counts that thread's futex calls between the markers.
 */
public final class FutexTrace {
    private FutexTrace() {
    }

    /** A loop that may throw. */
    public interface Loop {
        void run() throws Exception;
    }

    /**
     * Skips off Linux (also under {@code woa.strict}: the count is of Linux futex calls); skips
     * (strictly: fails) when {@code linux-futex} is not the system backend or strace is not on PATH.
     */
    public static void requireLinuxStrace() {
        boolean linux = System.getProperty("os.name").toLowerCase().contains("linux");
        Assumptions.assumeTrue(linux, "counts futex system calls; this is " + System.getProperty("os.name"));
        Strict.require(WaitOnAddress.system().name().equals("linux-futex"),
                "the linux-futex backend is not the system backend here: " + WaitOnAddress.system().name());
        Strict.require(NativeArtefacts.onPath("strace") != null, "strace is not on PATH (" + System.getenv("PATH")
                + "): install it (Debian and Ubuntu: apt-get install strace; .ci/run does)");
    }

    /**
     * Runs {@code main} in a second JVM under strace and counts the futex calls of its marked thread
     * between the markers; fails unless the child ends well within 100 s and the trace holds the three
     * markers. Prints the count.
     *
     * @param main a class whose {@code main} runs its loop through {@link #runMarked}
     * @param args its arguments
     * @return the futex calls of the marked thread in the measured loop
     */
    public static int futexCalls(Class<?> main, String... args) throws IOException, InterruptedException {
        Path trace = Files.createTempFile("woa-strace", ".txt");
        try {
            List<String> cmd = new ArrayList<>(List.of("strace", "-f", "-qq", "-e",
                    "trace=futex,readlink,readlinkat", "-o", trace.toString(), ChildJvm.javaBinary(), "-cp",
                    System.getProperty("java.class.path"), "-XX:+UseSerialGC", main.getName()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(100, TimeUnit.SECONDS)) { // it prints two lines: the pipe never fills
                p.destroyForcibly();
                fail("the traced child did not finish");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String traceText = Files.readString(trace);
            Strict.require(p.exitValue() == 0 || !traceText.isEmpty(), "strace cannot trace here (ptrace refused?)");
            assertEquals(0, p.exitValue(), "child output: " + out);
            Matcher m = Pattern.compile("tid=(\\d+)").matcher(out);
            assertTrue(m.find() && out.contains("done"), "child output: " + out);
            String tid = m.group(1);
            int calls = 0;
            int markers = 0;
            for (String line : traceText.split("\n")) {
                if (!line.startsWith(tid + " ")) {
                    continue;
                }
                if (line.contains("readlink") && line.contains("/proc/thread-self")) {
                    markers++; // 1: the tid query, 2: the measured loop begins, 3: it ended
                } else if (markers == 2 && line.contains("futex(")) {
                    calls++;
                }
            }
            assertEquals(3, markers, "readlink markers of the loop thread in the trace");
            System.out.println("[woa] " + main.getSimpleName() + " " + String.join(" ", args) + ": the loop thread made "
                    + calls + " futex calls");
            return calls;
        } finally {
            Files.deleteIfExists(trace);
        }
    }

    /**
     * The child's side: on a new thread named {@code name}, prints {@code tid=...}, runs {@code loop}
     * five times (class initialisation and JIT compilation, the JVM's own futex calls, happen here),
     * rests 300 ms, then runs it once between the two markers. Returns when the thread has ended;
     * rethrows what the loop threw. The caller prints {@code done} when it has finished.
     */
    public static void runMarked(String name, Loop loop) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                Path self = Paths.get("/proc/thread-self");
                String tid = Files.readSymbolicLink(self).getFileName().toString();
                System.out.println("tid=" + tid);
                System.out.flush();
                for (int warm = 0; warm < 5; warm++) {
                    loop.run();
                }
                Thread.sleep(300);
                Files.readSymbolicLink(self); // marker for the trace: the measured loop begins
                loop.run();
                Files.readSymbolicLink(self); // marker: it ended
            } catch (Exception e) {
                failure.set(e);
            }
        }, name);
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
