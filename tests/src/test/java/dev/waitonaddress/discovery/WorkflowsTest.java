package dev.waitonaddress.discovery;

import static org.junit.jupiter.api.Assertions.*;

import dev.waitonaddress.WaitOnAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The per-OS CI workflows ({@code .github/workflows}) cover every OS and name, as the backend
 * {@link SystemBackendTest} must find there, a backend that is really installed. (Their syntax is
 * checked by {@code .github/validate-workflows.sh}.)
 */
class WorkflowsTest {
    private static final Pattern EXPECT = Pattern.compile("-Dwoa\\.expect\\.backend=([A-Za-z0-9${}. _-]+)");
    private static final Pattern MATRIX_EXPECT = Pattern.compile("^\\s*expect:\\s*([a-z0-9-]+)\\s*$", Pattern.MULTILINE);

    private static Map<String, String> workflows() throws IOException {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve(".github/workflows"))) {
            dir = dir.getParent();
        }
        assertNotNull(dir, ".github/workflows not found above " + Paths.get("").toAbsolutePath());
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir.resolve(".github/workflows"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yml")).collect(Collectors.toList())) {
                out.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return out;
    }

    @Test
    void everyOsHasAWorkflowThatStatesItsExpectedBackend() throws IOException {
        Set<String> installed = WaitOnAddress.installed().stream().map(WaitOnAddress::name).collect(Collectors.toSet());
        Set<String> expected = new HashSet<>();
        for (Map.Entry<String, String> w : workflows().entrySet()) {
            Matcher m = EXPECT.matcher(w.getValue());
            while (m.find()) {
                String name = m.group(1).trim();
                if (name.contains("matrix.expect")) {
                    Matcher mm = MATRIX_EXPECT.matcher(w.getValue());
                    boolean any = false;
                    while (mm.find()) {
                        expected.add(mm.group(1));
                        any = true;
                    }
                    assertTrue(any, w.getKey() + " uses matrix.expect but sets none");
                } else {
                    expected.add(name);
                }
            }
        }
        for (String name : expected) {
            assertTrue(installed.contains(name), "a workflow expects " + name + ", which is no installed backend: "
                    + installed);
        }
        assertEquals(Set.of("linux-futex", "windows", "macos-os-sync", "macos-ulock", "openbsd-futex",
                "freebsd-umtx"), expected,
                "the workflows expect one backend per OS row");
    }

    @Test
    void theWorkflowsRunTheRunnersTheReadmePromises() throws IOException {
        String all = String.join("\n", workflows().values());
        for (String runner : List.of("ubuntu-24.04", "ubuntu-24.04-arm", "windows-2022", "macos-15", "macos-13",
                "operating_system: openbsd", "operating_system: freebsd")) {
            assertTrue(all.contains(runner), runner);
        }
        assertTrue(all.contains("temurin") && all.contains("java-version: '17'"), "Temurin 17 via setup-java");
    }
}
