package dev.waitonaddress.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.ChildJvm;
import dev.waitonaddress.testing.Strict;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * With the kernel as witness: the uncontended operations of every synchronizer (lock and unlock,
 * PRIVATE and SHARED; signals with nobody waiting; semaphore acquire and release; a latch counted
 * down and awaited; an event set, awaited and reset) make no system call. A second JVM runs
 * {@link UncontendedLoopChild} under {@code strace -f -e trace=futex}, and the futex calls of the
 * loop thread are counted between two markers. The control shows the count sees every raw wake.
 */
class NoSystemCallUncontendedTest {
    private static final int ROUNDS = 100_000;
    private static final int CONTROL_WAKES = 10_000;

    @Test
    void uncontendedOperationsMakeNoSystemCall() throws Exception {
        requireLinuxStrace();
        int calls = futexCalls("idle", ROUNDS);
        assertTrue(calls <= 4, "the loop thread made " + calls + " futex calls in " + ROUNDS
                + " rounds of uncontended operations");
    }

    @Test
    void controlEveryRawWakeReachesTheKernel() throws Exception {
        requireLinuxStrace();
        int calls = futexCalls("control", CONTROL_WAKES);
        assertTrue(calls >= CONTROL_WAKES, CONTROL_WAKES + " raw wakes made only " + calls + " futex calls");
    }

    private static void requireLinuxStrace() {
        boolean linux = System.getProperty("os.name").toLowerCase().contains("linux");
        Assumptions.assumeTrue(linux, "counts futex system calls; this is " + System.getProperty("os.name"));
        Strict.require(WaitOnAddress.system().name().equals("linux-futex"),
                "the linux-futex backend is not the system backend here: " + WaitOnAddress.system().name());
        boolean strace = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            strace |= new File(dir, "strace").canExecute();
        }
        Strict.require(strace, "strace is not installed (apt-get install strace)");
    }

    private static int futexCalls(String mode, int n) throws Exception {
        Path trace = Files.createTempFile("woa-sync-strace", ".txt");
        try {
            List<String> cmd = List.of("strace", "-f", "-qq", "-e", "trace=futex,readlink,readlinkat", "-o",
                    trace.toString(), ChildJvm.javaBinary(), "-cp", System.getProperty("java.class.path"),
                    "-XX:+UseSerialGC", UncontendedLoopChild.class.getName(), mode, Integer.toString(n));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(100, TimeUnit.SECONDS)) {
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
            System.out.println("[woa] sync " + mode + ": the loop thread made " + calls + " futex calls for " + n + " rounds");
            return calls;
        } finally {
            Files.deleteIfExists(trace);
        }
    }
}
