package dev.waitonaddress.testing;

import dev.waitonaddress.WaitOnAddress;
import org.junit.jupiter.api.Assumptions;

/**
 * The tests of this package that drive a backend run in the surefire execution {@code emulators},
 * which sets each foreign backend's library override to its contract emulator. Picked by
 * {@code -Dtest=...} into the default execution as well, they skip there (also under
 * {@code -Dwoa.strict=true}): a missing override means "wrong run", not "cannot run here".
 */
public final class Emulators {
    private Emulators() {
    }

    /** Skips unless {@code -Ddev.waitonaddress.<backend>.library} is set. */
    public static void assumeOverride(String backend) {
        String property = "dev.waitonaddress." + backend + ".library";
        Assumptions.assumeTrue(System.getProperty(property) != null,
                property + " is not set: this test runs in the surefire execution 'emulators'");
    }

    /**
     * @return the installed backend {@code name}, bound to its emulator; skips outside the
     *     emulators run, and skips (strictly: fails) when the emulator could not be bound
     */
    public static WaitOnAddress boundBackend(String name) {
        assumeOverride(name);
        WaitOnAddress woa = Backend.named(name);
        Strict.require(woa.isAvailable(), name + " is unavailable: " + woa.unavailabilityCause().orElse(null));
        return woa;
    }
}
