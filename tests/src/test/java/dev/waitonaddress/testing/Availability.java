package dev.waitonaddress.testing;

import static org.junit.jupiter.api.Assertions.*;

import dev.waitonaddress.WaitOnAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** What a foreign backend looks like off its own OS; shared by the backends' availability tests. */
public final class Availability {
    private Availability() {
    }

    private static String property(String name) {
        return "dev.waitonaddress." + name + ".library";
    }

    /**
     * Asserts that, without its library override, backend {@code name} is installed but unavailable,
     * with a cause that names the OS it needs, the OS this is and the override; that it refuses calls
     * naming itself; and that {@link WaitOnAddress#system()} does not pick it. Skips when the override
     * is set (the execution {@code emulators}, or {@code -Dtest} picking the test there).
     */
    public static void assertUnavailableWithoutOverride(String name, String neededOs) {
        String property = property(name);
        Assumptions.assumeTrue(System.getProperty(property) == null, property + " is set in this run");
        WaitOnAddress b = Backend.named(name);
        assertFalse(b.isAvailable(), name + " must be unavailable on " + System.getProperty("os.name") + " without "
                + property);
        String cause = b.unavailabilityCause().map(Throwable::getMessage).orElse("");
        assertTrue(cause.contains(neededOs), "the cause names the OS needed: " + cause);
        assertTrue(cause.contains(System.getProperty("os.name")), "the cause names this OS: " + cause);
        assertTrue(cause.contains(property), "the cause names the override: " + cause);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.wakeAll(
                new com.sun.jna.Memory(8), dev.waitonaddress.Width.INT32, dev.waitonaddress.Scope.PRIVATE));
        assertTrue(e.getMessage().contains(name), e.getMessage());
        assertNotEquals(name, WaitOnAddress.system().name());
    }

    /**
     * Asserts, in a second JVM, that an override naming a missing library leaves backend
     * {@code name} unavailable, with a cause that names the path: an unavailability, not a crash.
     */
    public static void assertAMissingLibraryIsAnUnavailability(String name) throws Exception {
        String missing = "/nonexistent/libwoa-missing-" + name + ".so";
        Process p = ChildJvm.start(PrintAvailability.class, List.of("-D" + property(name) + "=" + missing), name);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM hung");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("unavailable:"), out);
        assertTrue(out.contains("libwoa-missing-" + name), "the cause names the path: " + out);
    }

    /** Child JVM: prints whether the named backend is available, and why not. */
    public static final class PrintAvailability {
        public static void main(String[] args) throws IOException {
            WaitOnAddress b = Backend.named(args[0]);
            System.out.println(b.isAvailable() ? "available" : "unavailable: " + b.unavailabilityCause().orElse(null));
        }
    }
}
