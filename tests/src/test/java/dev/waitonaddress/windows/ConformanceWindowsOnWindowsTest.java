package dev.waitonaddress.windows;

import com.sun.jna.Platform;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.suite.ConformanceSuite;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.RealOsRun;
import org.junit.jupiter.api.Assumptions;

/**
 * The conformance suite on a real Windows (the Windows CI workflow, where
 * {@code SystemBackendTest} checks that {@link WaitOnAddress#system()} picks this backend). Not
 * selected on Linux ({@link RealOsRun}); on other systems it is skipped, not failed, since it is
 * not meant for them.
 */
@RealOsRun
class ConformanceWindowsOnWindowsTest extends ConformanceSuite {
    @Override
    protected WaitOnAddress backend() {
        Assumptions.assumeTrue(Platform.isWindows(), "the real windows backend runs on Windows only");
        return Backend.named("windows");
    }

    /** Windows raises an access violation on an unreadable address instead of returning an error. */
    @Override
    protected boolean osComparesNativeWidths() {
        return false;
    }
}
