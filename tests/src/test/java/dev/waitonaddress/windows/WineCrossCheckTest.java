package dev.waitonaddress.windows;

import static org.junit.jupiter.api.Assertions.*;

import dev.waitonaddress.testing.NativeArtefacts;
import dev.waitonaddress.testing.Strict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import dev.waitonaddress.testing.EmulatorRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Windows contract emulator against Wine, an independent implementation of the same API:
 * {@code tests/src/test/c/windows-scenario.c}, built natively against {@code libwoa-windows.so}
 * (by build.sh) and with MinGW into an {@code .exe} (here) run under Wine, must print the same
 * observations line by line. The emulator runs with both of Wine's behaviours switched on
 * ({@code WOA_EMULATOR_WINDOWS_BEHAVIOURS=wine}) and a lag that makes its races likely; the keys
 * that {@code libwoa-windows.c} lists as deliberate differences ({@code difference: KEY -- why})
 * are not compared.
 *
 * <p>Lines whose value is "seen" or "not seen" come from races that run until the event or a
 * budget: "seen" proves the behaviour, "not seen" may be bad luck on a loaded machine. Where only
 * such lines differ, the side that did not see it runs the {@code alerts} scenarios again, at most
 * twice, and a "seen" in any run counts.
 *
 * <p>Needs {@code x86_64-w64-mingw32-gcc} and {@code wine64} or {@code wine} on PATH (Debian,
 * Ubuntu: {@code gcc-mingw-w64-x86-64-win32 wine wine64}); without them it skips, and under
 * {@code -Dwoa.strict=true} fails. On a machine that is not x86_64 it skips, strictly too. Wine uses a private prefix, {@code target/wine-prefix}: its first
 * start creates it (seconds); later runs reuse it.
 */
@EmulatorRun
class WineCrossCheckTest {
    private static final Pattern DIFFERENCE = Pattern.compile("^\\s*\\*\\s+difference:\\s*(.+?)\\s+--\\s", Pattern.MULTILINE);
    private static final long RUN_LIMIT_SECONDS = 150;
    private static final int RACE_RERUNS = 2;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void wineAndTheEmulatorAgreeLineByLine() throws Exception {
        // like the other classes of the emulators run: outside it (no library override), skip
        Assumptions.assumeTrue(System.getProperty("dev.waitonaddress.windows.library") != null,
                "dev.waitonaddress.windows.library is not set: this test runs in the surefire execution 'emulators'");
        String arch = System.getProperty("os.arch");
        Assumptions.assumeTrue(arch.equals("amd64") || arch.equals("x86_64"),
                "Wine runs the x86_64 scenario program on x86_64 machines only (this is " + arch + ")");
        Path nativeProgram = NativeArtefacts.require("windows-scenario");
        Path source = sourceDir().resolve("windows-scenario.c");
        Path mingw = NativeArtefacts.onPath("x86_64-w64-mingw32-gcc");
        Strict.require(mingw != null, "x86_64-w64-mingw32-gcc is not on PATH (Debian, Ubuntu: apt-get install gcc-mingw-w64-x86-64-win32)");
        Path wine = NativeArtefacts.onPath("wine64");
        wine = wine != null ? wine : NativeArtefacts.onPath("wine");
        Strict.require(wine != null, "neither wine64 nor wine is on PATH (Debian: apt-get install wine wine64)");

        Path dir = NativeArtefacts.dir().resolve("wine");
        Files.createDirectories(dir);
        Path exe = dir.resolve("windows-scenario.exe");
        if (!Files.exists(exe) || Files.getLastModifiedTime(exe).compareTo(Files.getLastModifiedTime(source)) < 0) {
            long t0 = System.nanoTime();
            Run build = run(List.of(mingw.toString(), "-O2", "-Wall", "-Wextra", "-Werror", "-std=gnu11", "-static",
                    "-o", exe.toString(), source.toString(), "-lsynchronization"), Map.of());
            assertEquals(0, build.exit, "MinGW build failed:\n" + build.out + build.err);
            System.out.printf("[woa] wine cross-check: built %s in %.1f s%n", exe, seconds(t0));
        }
        Path prefix = NativeArtefacts.dir().getParent().resolve("wine-prefix");
        Map<String, String> wineEnv = new LinkedHashMap<>();
        wineEnv.put("WINEPREFIX", prefix.toString());
        wineEnv.put("WINEDEBUG", "-all");
        wineEnv.put("WINEDLLOVERRIDES", "mscoree,mshtml="); // no Mono or Gecko installer when the prefix is created
        Map<String, String> emulatorEnv = Map.of("WOA_EMULATOR_WINDOWS_BEHAVIOURS", "wine", "WOA_EMULATOR_WINDOWS_LAG_US", "100");

        long t0 = System.nanoTime();
        boolean freshPrefix = !Files.isDirectory(prefix);
        Run underWine = run(List.of(wine.toString(), exe.toString()), wineEnv);
        System.out.printf("[woa] wine cross-check: %s run took %.1f s%s%n", wine.getFileName(), seconds(t0),
                freshPrefix ? " (creating the prefix " + prefix + ")" : "");
        t0 = System.nanoTime();
        Run emulated = run(List.of(nativeProgram.toString()), emulatorEnv);
        System.out.printf("[woa] wine cross-check: emulator run took %.1f s%n", seconds(t0));
        System.out.print("[woa] wine cross-check, counts under wine:\n" + counts(underWine.err)
                + "[woa] wine cross-check, counts on the emulator:\n" + counts(emulated.err));

        Map<String, String> wineLines = lines("wine", underWine);
        Map<String, String> emulatorLines = lines("the emulator", emulated);
        for (int rerun = 0; rerun < RACE_RERUNS && !raceDifferences(wineLines, emulatorLines).isEmpty(); rerun++) {
            List<String> keys = raceDifferences(wineLines, emulatorLines);
            System.out.println("[woa] wine cross-check: races not seen on one side, running the alerts scenarios again: " + keys);
            if (keys.stream().anyMatch(k -> "not seen".equals(wineLines.get(k)))) {
                seenInEither(wineLines, lines("wine", run(List.of(wine.toString(), exe.toString(), "alerts"), wineEnv)));
            }
            if (keys.stream().anyMatch(k -> "not seen".equals(emulatorLines.get(k)))) {
                seenInEither(emulatorLines, lines("the emulator", run(List.of(nativeProgram.toString(), "alerts"), emulatorEnv)));
            }
        }

        List<String> deliberate = deliberateDifferences();
        List<String> agreed = new ArrayList<>();
        List<String> excused = new ArrayList<>();
        List<String> differ = new ArrayList<>();
        Map<String, String> all = new TreeMap<>(wineLines);
        emulatorLines.forEach(all::putIfAbsent);
        for (String key : all.keySet()) {
            String w = wineLines.get(key);
            String e = emulatorLines.get(key);
            String line = key + ": wine " + (w == null ? "(no line)" : "'" + w + "'") + ", emulator " + (e == null ? "(no line)" : "'" + e + "'");
            if (w != null && w.equals(e)) {
                agreed.add(key);
            } else if (deliberate.contains(key)) {
                excused.add(line);
            } else {
                differ.add(line);
            }
        }
        System.out.println("[woa] wine cross-check: " + agreed.size() + " lines agree, " + excused.size()
                + " deliberate differences" + (excused.isEmpty() ? "" : ":\n  " + String.join("\n  ", excused)));
        assertTrue(agreed.size() >= 60, "too few lines compared: " + agreed.size());
        assertTrue(differ.isEmpty(), differ.size() + " lines differ between Wine and the emulator:\n  " + String.join("\n  ", differ));
    }

    /** The keys where one side saw a race's event and the other did not. */
    private static List<String> raceDifferences(Map<String, String> a, Map<String, String> b) {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, String> e : a.entrySet()) {
            String other = b.get(e.getKey());
            if (other != null && !other.equals(e.getValue()) && isRace(e.getValue()) && isRace(other)) {
                keys.add(e.getKey());
            }
        }
        return keys;
    }

    private static boolean isRace(String value) {
        return value.equals("seen") || value.equals("not seen");
    }

    /** A race's "seen" in {@code again} proves the event: it replaces "not seen" in {@code lines}. */
    private static void seenInEither(Map<String, String> lines, Map<String, String> again) {
        again.forEach((k, v) -> {
            if (v.equals("seen") && "not seen".equals(lines.get(k))) {
                lines.put(k, v);
            }
        });
    }

    /** @return "key: value" lines (CRs from Wine dropped), after checking the run completed */
    private static Map<String, String> lines(String who, Run run) {
        assertEquals(0, run.exit, who + ": exit status " + run.exit + "\nstdout:\n" + run.out + "\nstderr:\n" + run.err);
        List<String> all = new ArrayList<>(List.of(run.out.replace("\r", "").split("\n")));
        assertEquals("end", all.isEmpty() ? null : all.get(all.size() - 1), who + " did not finish:\n" + run.out + run.err);
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : all.subList(0, all.size() - 1)) {
            assertFalse(line.startsWith("error:"), who + ": " + line);
            int colon = line.indexOf(": ");
            assertTrue(colon > 0, who + ": not a 'key: value' line: " + line);
            String previous = map.put(line.substring(0, colon), line.substring(colon + 2));
            assertNull(previous, who + ": key printed twice: " + line);
        }
        return map;
    }

    private static String counts(String stderr) {
        StringBuilder sb = new StringBuilder();
        for (String line : stderr.replace("\r", "").split("\n")) {
            if (line.startsWith("counts")) {
                sb.append("  ").append(line).append('\n');
            }
        }
        return sb.toString();
    }

    /** @return the keys listed as "difference: KEY -- reason" in libwoa-windows.c's header */
    static List<String> deliberateDifferences() throws IOException {
        String c = Files.readString(sourceDir().resolve("libwoa-windows.c"));
        List<String> keys = new ArrayList<>();
        Matcher m = DIFFERENCE.matcher(c.substring(0, c.indexOf("*/")));
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    private static Path sourceDir() {
        return NativeArtefacts.dir().getParent().getParent().resolve("src/test/c").normalize();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static final class Run {
        final int exit;
        final String out;
        final String err;

        Run(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }
    }

    /** Runs a command to its end (killed after RUN_LIMIT_SECONDS), stdout and stderr captured apart. */
    private static Run run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        Thread outReader = reader(p.getInputStream(), out);
        Thread errReader = reader(p.getErrorStream(), err);
        boolean finished = p.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
        // a helper the command started (wineserver) may hold the pipes open a little longer: do not wait for it
        outReader.join(5_000);
        errReader.join(5_000);
        String o = snapshot(out);
        String e = snapshot(err);
        if (!finished) {
            fail(command + " still running after " + RUN_LIMIT_SECONDS + " s, killed; stdout so far:\n" + o + "\nstderr:\n" + e);
        }
        return new Run(p.exitValue(), o, e);
    }

    private static String snapshot(StringBuilder sb) {
        synchronized (sb) {
            return sb.toString();
        }
    }

    private static Thread reader(InputStream in, StringBuilder sink) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    String text = new String(buf, 0, n, StandardCharsets.UTF_8); // ASCII output: no split characters
                    synchronized (sink) {
                        sink.append(text);
                    }
                }
            } catch (IOException ignored) {
                // the stream closed under us: what was read is kept
            }
        }, "wine-cross-check-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
