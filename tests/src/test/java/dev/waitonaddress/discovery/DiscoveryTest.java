package dev.waitonaddress.discovery;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Native;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.linux.LinuxFutexWaitOnAddress;
import dev.waitonaddress.testing.ChildJvm;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Discovery through ServiceLoader, on the class path and on the module path, and forcing a backend. */
class DiscoveryTest {
    private static final List<String> ALL = List.of("freebsd-umtx", "linux-futex", "macos-os-sync", "macos-ulock",
            "openbsd-futex", "portable", "windows");

    @Test
    void everyProviderIsInstalledHighestPriorityFirst() {
        List<WaitOnAddress> installed = WaitOnAddress.installed();
        assertEquals(ALL, installed.stream().map(WaitOnAddress::name).sorted().collect(Collectors.toList()));
        for (int i = 1; i < installed.size(); i++) {
            assertTrue(installed.get(i - 1).priority() >= installed.get(i).priority(), installed.toString());
        }
        WaitOnAddress portable = installed.get(installed.size() - 1);
        assertEquals("portable", portable.name(), "portable is last");
        assertTrue(portable.isAvailable());
        for (WaitOnAddress b : installed) {
            assertEquals(!b.isAvailable(), b.unavailabilityCause().isPresent(), b.name());
        }
    }

    @Test
    void systemIsTheNativeBackendOnLinux() {
        if (System.getProperty("os.name").equals("Linux")) {
            assertEquals("linux-futex", WaitOnAddress.system().name());
        }
        assertSame(WaitOnAddress.system(), WaitOnAddress.system(), "cached");
    }

    @Test
    void aBackendCanBeForcedByName() throws Exception {
        List<String> out = run(List.of("-Ddev.waitonaddress.backend=portable"), false);
        assertTrue(out.contains("system portable"), out.toString());
    }

    @Test
    void forcingAnUnknownBackendListsWhatIsInstalled() throws Exception {
        String error = errorLine(run(List.of("-Ddev.waitonaddress.backend=no-such-thing"), false));
        assertTrue(error.contains("no-such-thing") && error.contains("names no installed backend"), error);
        for (String name : ALL) {
            assertTrue(error.contains(name), name + " missing from: " + error);
        }
    }

    @Test
    void forcingAnUnavailableBackendSaysWhy() throws Exception {
        // the child JVM has no library override, so a foreign OS's backend is unavailable there
        String foreign = com.sun.jna.Platform.isWindows() ? "openbsd-futex" : "windows";
        String error = errorLine(run(List.of("-Ddev.waitonaddress.backend=" + foreign), false));
        assertTrue(error.contains("names a backend that is unavailable here"), error);
        assertTrue(error.matches(".*" + foreign + " \\(priority -?\\d+\\): unavailable: .*"), error);
    }

    @Test
    void modulePathFindsTheSameProviders() throws Exception {
        List<String> out = run(List.of(), true);
        List<String> names = out.stream().filter(l -> l.startsWith("installed ")).map(l -> l.split(" ")[1]).sorted()
                .collect(Collectors.toList());
        assertEquals(ALL, names, out.toString());
        assertTrue(out.contains("system linux-futex") || !System.getProperty("os.name").equals("Linux"), out.toString());
    }

    private static String errorLine(List<String> out) {
        return out.stream().filter(l -> l.startsWith("error ")).findFirst()
                .orElseGet(() -> fail("no error reported: " + out));
    }

    /** Runs {@link PrintBackends} in a child JVM, on the class path or with the library on the module path. */
    private static List<String> run(List<String> options, boolean modulePath) throws Exception {
        List<String> jvm = new ArrayList<>(options);
        Process p;
        if (modulePath) {
            String mp = String.join(File.pathSeparator, location(WaitOnAddress.class), location(Native.class),
                    location(LinuxFutexWaitOnAddress.class), location(dev.waitonaddress.windows.WindowsWaitOnAddress.class),
                    location(dev.waitonaddress.macos.MacOsSyncWaitOnAddress.class),
                    location(dev.waitonaddress.openbsd.OpenBsdFutexWaitOnAddress.class),
                    location(dev.waitonaddress.freebsd.FreeBsdUmtxWaitOnAddress.class));
            List<String> cmd = List.of(ChildJvm.javaBinary(), "--module-path", mp, "--add-modules", "ALL-MODULE-PATH",
                    "-cp", location(PrintBackends.class), PrintBackends.class.getName());
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } else {
            p = ChildJvm.start(PrintBackends.class, jvm);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM hung");
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text.lines().collect(Collectors.toList());
    }

    private static String location(Class<?> c) throws Exception {
        return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
