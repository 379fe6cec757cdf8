package dev.waitonaddress.suite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.waitonaddress.testing.Jdks;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a probe of virtual threads in a JDK 21+ child JVM ({@link Jdks}: the running one if 21+,
 * else {@code -Dwoa.jdk21} / {@code WOA_JDK21}, else one found on the machine) with two carriers,
 * so that a pinned carrier shows. Skips without such a JDK (fails with {@code -Dwoa.strict=true}).
 */
final class VirtualThreadJvm {
    /** What the child printed (stdout and stderr, line by line) and its exit status. */
    static final class Run {
        final List<String> lines;
        final int exit;

        Run(List<String> lines, int exit) {
            this.lines = lines;
            this.exit = exit;
        }

        String output() {
            return String.join("\n", lines);
        }
    }

    private VirtualThreadJvm() {
    }

    /**
     * @param what names the run for the watchdog
     * @param limit how long the child may run before the watchdog fails the test
     * @param jvmArgs more options for the child JVM (library overrides)
     * @param eachLine sees each line as it comes
     */
    static Run run(String what, Duration limit, List<String> jvmArgs, Consumer<String> eachLine, Class<?> main,
            String... args) throws Exception {
        Jdks.Found jdk = Jdks.atLeast(21);
        Strict.require(jdk.java != null, jdk.reason);
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java.toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Djdk.virtualThreadScheduler.parallelism=2");
        cmd.add("-Djdk.virtualThreadScheduler.maxPoolSize=2");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Watchdog.run(limit, what, () -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    lines.add(line);
                    eachLine.accept(line);
                }
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            return null;
        });
        return new Run(lines, p.exitValue());
    }
}
