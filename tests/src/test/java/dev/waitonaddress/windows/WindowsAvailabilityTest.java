package dev.waitonaddress.windows;

import static org.junit.jupiter.api.Assertions.*;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * On Linux, without their library overrides, the {@code windows} and {@code openbsd-futex}
 * backends are installed but unavailable, with a cause that names the OS they need and the OS this
 * is, and {@link WaitOnAddress#system()} never picks them. Runs in the default test run, where no
 * override is set.
 */
@EnabledOnOs(OS.LINUX)
class WindowsAvailabilityTest {
    private static void assertUnavailable(String name, String property, String neededOs) {
        // the emulators execution (or -Dtest picking this class there) sets the override: nothing to check then
        Assumptions.assumeTrue(System.getProperty(property) == null, property + " is set in this run");
        WaitOnAddress b = Backend.named(name);
        assertFalse(b.isAvailable(), name + " must be unavailable on Linux without " + property);
        String cause = b.unavailabilityCause().map(Throwable::getMessage).orElse("");
        assertTrue(cause.contains(neededOs), "the cause names the OS needed: " + cause);
        assertTrue(cause.contains(System.getProperty("os.name")), "the cause names this OS: " + cause);
        assertTrue(cause.contains(property), "the cause names the override: " + cause);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.wakeAll(
                new com.sun.jna.Memory(8), dev.waitonaddress.Width.INT32, dev.waitonaddress.Scope.PRIVATE));
        assertTrue(e.getMessage().contains(name), e.getMessage());
        assertNotEquals(name, WaitOnAddress.system().name());
    }

    @Test
    void windowsIsUnavailableWithACauseNamingTheOs() {
        assertUnavailable("windows", "dev.waitonaddress.windows.library", "Windows");
    }

    @Test
    void openBsdFutexIsUnavailableWithACauseNamingTheOs() {
        assertUnavailable("openbsd-futex", "dev.waitonaddress.openbsd-futex.library", "OpenBSD");
    }

    /** An override naming a missing library leaves the backend unavailable, with the loader's reason. */
    @Test
    void anOverrideThatCannotBeLoadedIsAnUnavailabilityNotACrash() throws Exception {
        for (String[] c : new String[][] {{"windows", "dev.waitonaddress.windows.library"},
                {"openbsd-futex", "dev.waitonaddress.openbsd-futex.library"}}) {
            String missing = "/nonexistent/libwoa-missing-" + c[0] + ".so";
            Process p = ChildJvm.start(PrintAvailability.class, List.of("-D" + c[1] + "=" + missing), c[0]);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM hung");
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.startsWith("unavailable:"), out);
            assertTrue(out.contains("libwoa-missing-" + c[0]), "the cause names the path: " + out);
        }
    }

    /** Child JVM: prints whether the named backend is available, and why not. */
    public static final class PrintAvailability {
        public static void main(String[] args) throws IOException {
            WaitOnAddress b = Backend.named(args[0]);
            System.out.println(b.isAvailable() ? "available" : "unavailable: " + b.unavailabilityCause().orElse(null));
        }
    }
}
