package dev.waitonaddress.freebsd;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.Availability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * On Linux, without its library override, the {@code freebsd-umtx} backend is installed but
 * unavailable, with a cause that names the OS it needs and the OS this is, and
 * {@link WaitOnAddress#system()} never picks it. Runs in the default test run, where no override is
 * set.
 */
@EnabledOnOs(OS.LINUX)
class FreeBsdAvailabilityTest {
    @Test
    void freeBsdUmtxIsUnavailableWithACauseNamingTheOs() {
        Availability.assertUnavailableWithoutOverride("freebsd-umtx", "FreeBSD");
    }

    /** An override naming a missing library leaves the backend unavailable, with the loader's reason. */
    @Test
    void anOverrideThatCannotBeLoadedIsAnUnavailabilityNotACrash() throws Exception {
        Availability.assertAMissingLibraryIsAnUnavailability("freebsd-umtx");
    }
}
