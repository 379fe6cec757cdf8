package dev.waitonaddress.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.waitonaddress.testing.Jdks;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Virtual threads that await: run {@link VirtualThreadProbe} in a JDK 21+ JVM (the running one if
 * it is 21+, else {@code -Dwoa.jdk21=DIR} or {@code WOA_JDK21=DIR}, else one found by
 * {@link Jdks}). Wake-ups, time-outs and interrupts must work in virtual threads on every backend;
 * the carrier pinning of each kind of wait is printed.
 */
class ReliabilityVirtualThreadTest {
    @Test
    void virtualThreadsWaitWakeTimeOutAndTakeInterrupts() throws Exception {
        Jdks.Found jdk = Jdks.atLeast(21);
        Strict.require(jdk.java != null, jdk.reason);
        Path java = jdk.java;
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Djdk.virtualThreadScheduler.parallelism=2");
        cmd.add("-Djdk.virtualThreadScheduler.maxPoolSize=2");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(VirtualThreadProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Watchdog.run(Duration.ofSeconds(120), "virtual-thread probe", () -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    lines.add(line);
                }
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            return null;
        });
        long ok = lines.stream().filter(l -> l.startsWith("OK ")).count();
        lines.stream().filter(l -> l.startsWith("PINNING") || l.startsWith("FAIL") || l.startsWith("java "))
                .forEach(l -> ReliabilityBackends.report("virtual threads: " + l));
        ReliabilityBackends.report("virtual threads: " + ok + " checks passed");
        assertEquals(0, p.exitValue(), "the probe failed:\n" + String.join("\n", lines));
        assertTrue(ok > 0, String.join("\n", lines));
    }
}
