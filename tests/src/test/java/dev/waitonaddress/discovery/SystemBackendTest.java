package dev.waitonaddress.discovery;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Platform;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.Strict;
import org.junit.jupiter.api.Test;

/**
 * The backend {@link WaitOnAddress#system()} picks is the one expected for this OS. Each CI
 * workflow passes its expectation as {@code -Dwoa.expect.backend=NAME} (linux-futex, windows,
 * macos-os-sync, macos-ulock, openbsd-futex, freebsd-umtx); on Linux it defaults to linux-futex. Elsewhere a
 * missing expectation skips the test (strictly: fails it), since guessing would prove nothing.
 */
class SystemBackendTest {
    @Test
    void systemPicksTheBackendExpectedForThisOs() {
        String expected = System.getProperty("woa.expect.backend", "");
        if (expected.isEmpty() && Platform.isLinux()) {
            expected = "linux-futex";
        }
        Strict.require(!expected.isEmpty(), "no -Dwoa.expect.backend=NAME for " + System.getProperty("os.name")
                + " " + System.getProperty("os.arch"));
        assertNull(System.getProperty(WaitOnAddress.BACKEND_PROPERTY), "the choice must not be forced");
        WaitOnAddress chosen = WaitOnAddress.system();
        assertEquals(expected, chosen.name(), "on " + System.getProperty("os.name") + " " + System.getProperty(
                "os.version") + " " + System.getProperty("os.arch") + ". " + "Installed: " + WaitOnAddress.installed());
        assertTrue(chosen.isAvailable());
        System.out.println("[woa] system() is " + chosen.name() + " on " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    }
}
