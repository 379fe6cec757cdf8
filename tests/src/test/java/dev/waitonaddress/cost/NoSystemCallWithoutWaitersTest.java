package dev.waitonaddress.cost;

import static org.junit.jupiter.api.Assertions.*;

import dev.waitonaddress.AtomicWait;
import dev.waitonaddress.testing.ChildJvm;
import dev.waitonaddress.testing.Strict;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Proves, with the kernel as witness, that a PRIVATE wake with nobody waiting makes no system
 * call, nor a SHARED wake of a counted ({@code wrapShared}) word with no process asleep: a second JVM runs {@link WakeLoopChild} under {@code strace -f -e trace=futex}, and the
 * futex calls of the thread that wakes are counted between two markers, after a warm-up. The control run, with a sleeping waiter,
 * shows that the same count sees every wake that does reach the kernel.
 */
class NoSystemCallWithoutWaitersTest {
    private static final int WAKES = 200_000;
    /** Traced system calls are slow (a ptrace stop each): the control makes fewer. */
    private static final int CONTROL_WAKES = 20_000;

    @Test
    void wakeWithNobodyWaitingMakesNoSystemCall() throws Exception {
        requireLinuxStrace();
        int calls = futexCallsOfWakeLoop("idle", WAKES);
        // 9 wake forms (7 PRIVATE, 2 SHARED counted) x 200 000 calls; allow a safepoint or two of the JVM's own in the window
        assertTrue(calls <= 4, "the wake loop thread made " + calls + " futex calls for " + 9 * WAKES
                + " wakes with nobody waiting");
    }

    @Test
    void controlEveryWakeWithAWaiterReachesTheKernel() throws Exception {
        requireLinuxStrace();
        int calls = futexCallsOfWakeLoop("waiter", CONTROL_WAKES);
        assertTrue(calls >= CONTROL_WAKES, "with a waiter asleep, " + CONTROL_WAKES + " wakes made only " + calls
                + " futex calls: the count does not see system calls");
    }

    private static void requireLinuxStrace() {
        boolean linux = System.getProperty("os.name").toLowerCase().contains("linux");
        // not applicable elsewhere (a skip even under woa.strict): it counts Linux futex calls
        Assumptions.assumeTrue(linux, "counts futex system calls; this is " + System.getProperty("os.name"));
        Strict.require(AtomicWait.backend().name().equals("linux-futex"),
                "the linux-futex backend is not the system backend here: " + AtomicWait.backend());
        Strict.require(onPath("strace"), "strace is not on PATH (" + System.getenv("PATH")
                + "): install it (Debian and Ubuntu: apt-get install strace; .ci/run does)");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** @return the futex calls made by the wake-loop thread of one {@link WakeLoopChild} run */
    private static int futexCallsOfWakeLoop(String mode, int wakes) throws IOException, InterruptedException {
        Path trace = Files.createTempFile("woa-strace", ".txt");
        try {
            List<String> cmd = new ArrayList<>(List.of("strace", "-f", "-qq", "-e", "trace=futex,readlink,readlinkat", "-o",
                    trace.toString(), ChildJvm.javaBinary(), "-cp", System.getProperty("java.class.path"),
                    "-XX:+UseSerialGC", WakeLoopChild.class.getName(), mode, Integer.toString(wakes)));
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
            assertEquals(3, markers, "readlink markers of the wake loop thread in the trace");
            System.out.println("[woa] " + mode + ": the wake loop thread made " + calls + " futex calls");
            return calls;
        } finally {
            Files.deleteIfExists(trace);
        }
    }
}
