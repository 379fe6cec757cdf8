package dev.waitonaddress.macos;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Platform;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.Backend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Where the macOS backends are available, in the default test run (no library override): on any
 * other OS both are unavailable with a cause that names macOS and the override; on macOS the ulock
 * backend always is (10.15+), and macos-os-sync is exactly where libSystem has its symbols.
 */
class MacOsAvailabilityTest {
    @Test
    void bothMacOsBackendsAreInstalledWithTheirNamesAndPriorities() {
        WaitOnAddress osSync = Backend.named("macos-os-sync");
        WaitOnAddress ulock = Backend.named("macos-ulock");
        assertEquals(100, osSync.priority());
        assertEquals(50, ulock.priority());
    }

    @Test
    void elsewhereBothAreUnavailableSayingTheyNeedMacOs() {
        if (Platform.isMac()) {
            return; // covered below
        }
        Assumptions.assumeTrue(System.getProperty("dev.waitonaddress.macos-os-sync.library") == null
                && System.getProperty("dev.waitonaddress.macos-ulock.library") == null, "a library override is set");
        for (String name : new String[] {"macos-os-sync", "macos-ulock"}) {
            WaitOnAddress b = Backend.named(name);
            assertFalse(b.isAvailable(), name);
            String cause = b.unavailabilityCause().map(Throwable::getMessage).orElse("");
            assertTrue(cause.contains("needs macOS"), cause);
            assertTrue(cause.contains("-Ddev.waitonaddress." + name + ".library=PATH"), cause);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.wakeAll(
                    new com.sun.jna.Memory(8), dev.waitonaddress.Width.INT32, dev.waitonaddress.Scope.PRIVATE));
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }

    @Test
    void onMacOsUlockIsAvailableAndOsSyncWhereItsSymbolsAre() {
        if (!Platform.isMac()) {
            return;
        }
        WaitOnAddress ulock = Backend.named("macos-ulock");
        assertTrue(ulock.isAvailable(), "macOS 10.15+ has __ulock_wait: " + ulock.unavailabilityCause().orElse(null));
        WaitOnAddress osSync = Backend.named("macos-os-sync");
        boolean symbols;
        try {
            com.sun.jna.NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("os_sync_wait_on_address");
            symbols = true;
        } catch (UnsatisfiedLinkError e) {
            symbols = false;
        }
        assertEquals(symbols, osSync.isAvailable(), "os_sync available exactly where libSystem exports it: "
                + osSync.unavailabilityCause().map(Throwable::toString).orElse("available"));
    }
}
