package dev.waitonaddress.macos;

import static org.junit.jupiter.api.Assertions.*;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.ChildJvm;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.NativeArtefacts;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The macOS backends decide by probing symbols, never the OS version. In a second JVM both are
 * bound to libraries standing in for older systems: {@code macos-os-sync} to the ulock emulator,
 * which lacks the os_sync symbols as macOS 13 does, so it must be unavailable naming the missing
 * symbol, while {@code macos-ulock} stays available; and a path that does not exist must make a
 * backend unavailable naming the path, not fail discovery.
 */
@EmulatorRun
class MacOsSymbolProbeTest {
    @Test
    void aLibraryWithoutOsSyncLeavesOnlyTheUlockBackend() throws Exception {
        String ulock = NativeArtefacts.require("libwoa-macos-ulock.so").toString();
        String out = child(List.of("-Ddev.waitonaddress.macos-os-sync.library=" + ulock,
                "-Ddev.waitonaddress.macos-ulock.library=" + ulock));
        assertTrue(out.contains("macos-os-sync false os_sync_wait_on_address is missing from " + ulock), out);
        assertTrue(out.contains("macos-ulock true"), out);
    }

    @Test
    void aMissingLibraryIsAnUnavailabilityCauseNamingThePath() throws Exception {
        String out = child(List.of("-Ddev.waitonaddress.macos-os-sync.library=/nonexistent/libSystem.so",
                "-Ddev.waitonaddress.macos-ulock.library=/nonexistent/libSystem.so"));
        assertTrue(out.contains("macos-os-sync false"), out);
        assertTrue(out.contains("macos-ulock false"), out);
        assertTrue(out.contains("/nonexistent/libSystem.so"), out);
        assertTrue(out.contains("system linux-futex") || out.contains("system portable"), out);
    }

    private static String child(List<String> options) throws Exception {
        Process p = ChildJvm.start(Child.class, options);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out.toString());
        return out.toString();
    }

    /** Prints each macOS backend's availability and cause, and the system backend. */
    public static final class Child {
        public static void main(String[] args) {
            for (WaitOnAddress b : WaitOnAddress.installed()) {
                if (b.name().startsWith("macos-")) {
                    System.out.println(b.name() + " " + b.isAvailable() + " "
                            + b.unavailabilityCause().map(Throwable::getMessage).orElse(""));
                }
            }
            System.out.println("system " + WaitOnAddress.system().name());
        }
    }
}
