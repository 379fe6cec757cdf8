package dev.waitonaddress.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.NativeArtefacts;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 10,000 virtual threads in native INT32 waits on linux-futex, with two carriers: the hand-off to
 * platform helpers keeps the carriers free, and every waiter returns — woken (half from Java, half
 * by a C process's raw FUTEX_WAKE on a SHARED word), timed out never early, or interrupted. Runs
 * {@link VirtualThreadHandOffProbe} in a JDK 21+ JVM: the running one if 21+, else
 * {@code -Dwoa.jdk21} / {@code WOA_JDK21} (a JDK home or its java), else {@code java} on PATH if
 * it is 21+. Skips without one (fails with {@code -Dwoa.strict=true}).
 */
class ReliabilityVirtualThreadHandOffTest {
    static final int N = 10_000;

    /** @return a java launcher of JDK 21+, or null */
    static Path java21() throws Exception {
        if (Runtime.version().feature() >= 21) {
            return Paths.get(System.getProperty("java.home"), "bin", "java");
        }
        String given = System.getProperty("woa.jdk21", System.getenv("WOA_JDK21"));
        if (given == null) {
            given = System.getProperty("woa.jdk21.java");
        }
        if (given != null && !given.isEmpty()) {
            Path p = Paths.get(given);
            return Files.isDirectory(p) ? p.resolve("bin").resolve("java") : p;
        }
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path java = Paths.get(dir, "java");
            if (Files.isExecutable(java) && feature(java) >= 21) {
                return java;
            }
        }
        return null;
    }

    private static int feature(Path java) throws Exception {
        Process p = new ProcessBuilder(java.toString(), "-XshowSettings:properties", "-version")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        for (String l : out.split("\n")) {
            l = l.trim();
            if (l.startsWith("java.specification.version = ")) {
                try {
                    return Integer.parseInt(l.substring("java.specification.version = ".length()).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    @Test
    void tenThousandVirtualThreadsInKernelWaitsLeaveTheCarriersFree() throws Exception {
        boolean linux = WaitOnAddress.installed().stream().anyMatch(w -> w.name().equals("linux-futex")
                && w.isAvailable());
        Strict.require(linux, "linux-futex is not available here");
        run("linux-futex", N, NativeArtefacts.require("futex-peer").toString(), new ArrayList<>());
    }

    /**
     * Runs the probe in a JDK 21+ child JVM with two carriers.
     *
     * @param backend the backend's name
     * @param n how many virtual threads
     * @param peer futex-peer, or "-" to wake all from Java
     * @param jvmArgs more arguments for the child JVM (library overrides)
     */
    static void run(String backend, int n, String peer, List<String> jvmArgs) throws Exception {
        Path java = java21();
        Strict.require(java != null && Files.isExecutable(java),
                "no JDK 21+ found (running JVM, -Dwoa.jdk21, WOA_JDK21, PATH): " + java);
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Djdk.virtualThreadScheduler.parallelism=2");
        cmd.add("-Djdk.virtualThreadScheduler.maxPoolSize=2");
        cmd.add("-Ddev.waitonaddress.virtualThreadHelpers=" + (n + 100));
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(VirtualThreadHandOffProbe.class.getName());
        cmd.add(backend);
        cmd.add(Integer.toString(n));
        cmd.add(peer);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Watchdog.run(Duration.ofSeconds(400), "virtual-thread hand-off probe", () -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    lines.add(line);
                    ReliabilityBackends.report("virtual-thread hand-off: " + line);
                }
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            return null;
        });
        assertEquals(0, p.exitValue(), "the probe failed:\n" + String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("OK all ")), String.join("\n", lines));
    }
}
