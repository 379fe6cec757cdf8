package dev.waitonaddress.testing;

import dev.waitonaddress.WaitOnAddress;
import org.junit.jupiter.api.Assertions;

/** Finds installed backends by name, through the same discovery users get. */
public final class Backend {
    private Backend() {
    }

    /** @return the installed backend called {@code name}; fails the test if none is */
    public static WaitOnAddress named(String name) {
        return WaitOnAddress.installed().stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseGet(() -> Assertions.fail("no installed backend is called " + name + "; installed: "
                        + WaitOnAddress.installed()));
    }
}
