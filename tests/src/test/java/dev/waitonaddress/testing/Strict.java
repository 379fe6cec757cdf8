package dev.waitonaddress.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Skips a test that cannot run on this machine, with the reason printed; under
 * {@code -Dwoa.strict=true} (as in CI) the same skip fails the test instead.
 */
public final class Strict {
    private Strict() {
    }

    /** @return whether {@code -Dwoa.strict=true} is set */
    public static boolean enabled() {
        return Boolean.getBoolean("woa.strict");
    }

    /** Skips (or, strictly, fails) unless {@code condition} holds. */
    public static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        System.out.println("[woa] cannot run here: " + reason + (enabled() ? " (woa.strict: failing)" : " (skipped)"));
        if (enabled()) {
            Assertions.fail("woa.strict=true and this test cannot run here: " + reason);
        }
        Assumptions.assumeTrue(false, reason);
    }
}
