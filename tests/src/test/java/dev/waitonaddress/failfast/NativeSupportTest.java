package dev.waitonaddress.failfast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.NativeSupport;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import dev.waitonaddress.linux.LinuxFutexWaitOnAddress;
import dev.waitonaddress.testing.ChildJvm;
import dev.waitonaddress.testing.Jdks;
import dev.waitonaddress.testing.Strict;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Fail-fast discovery: {@link NativeSupport#ensureAvailability()} passes where the OS backend
 * runs, and otherwise throws at once with what to fix. Each broken set-up is a child JVM:
 * the OS jar left off the class path, native access denied (JDK 24+), the module path without
 * the OS module. (The jlink image linked without --bind-services is checked by .ci/jlink.sh.)
 */
class NativeSupportTest {
    private static boolean linux() {
        return System.getProperty("os.name").toLowerCase().startsWith("linux");
    }

    @Test
    void theSystemBackendHereIsNative() {
        Strict.require(!WaitOnAddress.system().name().equals("portable"),
                "no native backend runs here: " + NativeSupport.unavailabilityCause().map(Throwable::getMessage).orElse("?"));
        assertTrue(NativeSupport.isAvailable());
        assertFalse(NativeSupport.unavailabilityCause().isPresent());
        NativeSupport.ensureAvailability();
        NativeSupport.ensureAvailability(Width.INT32, Scope.PRIVATE);
    }

    @Test
    void aWidthAndScopeTheBackendCannotServeIsRefusedByName() {
        WaitOnAddress system = WaitOnAddress.system();
        Assumptions.assumeFalse(system.name().equals("portable"), "no native backend here");
        Capabilities c = system.capabilities();
        for (Width w : Width.values()) {
            for (Scope s : Scope.values()) {
                if (c.supports(w, s)) {
                    NativeSupport.ensureAvailability(w, s);
                } else {
                    IllegalStateException e = assertThrows(IllegalStateException.class,
                            () -> NativeSupport.ensureAvailability(w, s));
                    assertTrue(e.getMessage().contains(system.name()) && e.getMessage().contains(w.toString())
                            && e.getMessage().contains(s.toString()), e.getMessage());
                }
            }
        }
        if (linux()) { // linux-futex waits across processes on 32-bit words only
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> NativeSupport.ensureAvailability(Width.INT64, Scope.SHARED));
            assertTrue(e.getMessage().contains("[INT32]"), e.getMessage());
        }
    }

    @Test
    void withoutTheOsJarOnTheClassPathItSaysWhichJarToAdd() throws Exception {
        Assumptions.assumeTrue(linux(), "leaves out the Linux jar");
        String linuxJar = location(LinuxFutexWaitOnAddress.class);
        List<String> cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !samePath(e, linuxJar)).collect(Collectors.toList());
        assertEquals(System.getProperty("java.class.path").split(File.pathSeparator).length - 1, cp.size(),
                "the class path holds " + linuxJar + " once");
        List<String> out = run(ChildJvm.javaBinary(), List.of("-cp", String.join(File.pathSeparator, cp)));
        assertTrue(out.contains("SYSTEM portable"), String.join("\n", out));
        String refused = refusal(out);
        assertTrue(refused.contains("add wait-on-address-linux (or the all-in-one wait-on-address) to the class path"),
                refused);
    }

    @Test
    void withNativeAccessDeniedItSaysSoAndNamesTheFlag() throws Exception {
        Assumptions.assumeTrue(linux(), "the Linux backend is the one JNA fails to bind");
        Jdks.Found jdk = Jdks.atLeast(24);
        Strict.require(jdk.java != null, "--illegal-native-access needs JDK 24+: " + jdk.reason);
        List<String> out = run(jdk.java.toString(), List.of("--illegal-native-access=deny", "-cp",
                System.getProperty("java.class.path")));
        // portable needs JNA too, so it reports itself unavailable and nothing is left to pick
        assertTrue(out.contains("SYSTEM none"), String.join("\n", out));
        String refused = refusal(out);
        assertTrue(refused.contains("JNA cannot load: native access is denied (--illegal-native-access=deny)")
                && refused.contains("--enable-native-access=ALL-UNNAMED"), refused);

        // the flag the message names is the fix: with it, the OS backend runs and nothing warns
        List<String> fixed = run(jdk.java.toString(), List.of("--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path")));
        assertTrue(fixed.contains("SYSTEM linux-futex") && fixed.contains("OK"), String.join("\n", fixed));
        assertTrue(fixed.stream().noneMatch(l -> l.contains("WARNING")), String.join("\n", fixed));
    }

    @Test
    void onTheModulePathWithoutTheOsModuleItSaysWhichModuleToAdd() throws Exception {
        Assumptions.assumeTrue(linux(), "leaves out the Linux module");
        String api = location(WaitOnAddress.class);
        String jna = location(Native.class);
        String tests = location(NativeSupportChild.class);
        String linuxJar = location(LinuxFutexWaitOnAddress.class);
        List<String> without = run(ChildJvm.javaBinary(), List.of("--module-path", api + File.pathSeparator + jna,
                "--add-modules", "dev.waitonaddress", "-cp", tests));
        assertTrue(without.contains("SYSTEM portable") && without.contains("MODULE module dev.waitonaddress"),
                String.join("\n", without));
        String refused = refusal(without);
        assertTrue(refused.contains("add wait-on-address-linux (or the all-in-one wait-on-address) to the module path"
                + " (module dev.waitonaddress.linux)"), refused);

        // the control: with the Linux module on the module path, service binding finds it
        List<String> with = run(ChildJvm.javaBinary(), List.of("--module-path",
                String.join(File.pathSeparator, api, jna, linuxJar), "--add-modules", "dev.waitonaddress", "-cp", tests));
        assertTrue(with.contains("SYSTEM linux-futex") && with.contains("OK"), String.join("\n", with));
    }

    private static String refusal(List<String> out) {
        assertFalse(out.contains("INCONSISTENT isAvailable()/unavailabilityCause()"), String.join("\n", out));
        return out.stream().filter(l -> l.startsWith("REFUSED ")).findFirst()
                .orElseThrow(() -> new AssertionError("ensureAvailability() did not refuse:\n" + String.join("\n", out)));
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static boolean samePath(String a, String b) {
        return Paths.get(a).toAbsolutePath().normalize().equals(Paths.get(b).toAbsolutePath().normalize());
    }

    /** @return the child's output lines (stdout and stderr) */
    private static List<String> run(String java, List<String> options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(options);
        cmd.add(NativeSupportChild.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] bytes = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
        assertEquals(0, p.exitValue(), String.join("\n", lines));
        System.out.println("[woa] fail-fast child " + options.get(0) + ": "
                + lines.stream().filter(l -> l.startsWith("SYSTEM") || l.startsWith("REFUSED") || l.equals("OK"))
                        .collect(Collectors.joining(" | ")));
        return lines;
    }
}
