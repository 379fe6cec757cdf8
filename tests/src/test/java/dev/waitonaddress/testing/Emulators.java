package dev.waitonaddress.testing;

import dev.waitonaddress.WaitOnAddress;
import org.junit.jupiter.api.Assumptions;

/**
 * Helpers for the classes of the emulator run ({@link EmulatorRun}): the surefire execution
 * {@code emulators} sets each foreign backend's library override to its contract emulator. Picked
 * by {@code -Dtest=...} into a JVM without the overrides (an IDE, say), such a test skips (also
 * under {@code -Dwoa.strict=true}): a missing override means "wrong run", not "cannot run here".
 */
public final class Emulators {
    private Emulators() {
    }

    private static String property(String backend) {
        return "dev.waitonaddress." + backend + ".library";
    }

    /** @return whether {@code b} is bound to a stand-in library through its override property */
    public static boolean isBound(WaitOnAddress b) {
        return System.getProperty(property(b.name())) != null;
    }

    /** @return whether this JVM sets any backend's library override (the execution {@code emulators} does) */
    public static boolean anyBound() {
        return System.getProperties().stringPropertyNames().stream()
                .anyMatch(k -> k.startsWith("dev.waitonaddress.") && k.endsWith(".library"));
    }

    /** Skips unless {@code -Ddev.waitonaddress.<backend>.library} is set. */
    public static void assumeOverride(String backend) {
        String property = property(backend);
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
