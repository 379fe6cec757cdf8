package dev.waitonaddress.openbsd;

import com.sun.jna.Platform;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.suite.ConformanceSuite;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.RealOsRun;
import org.junit.jupiter.api.Assumptions;

/**
 * The conformance suite on a real OpenBSD kernel (the OpenBSD CI workflow, where
 * {@code SystemBackendTest} checks that {@link WaitOnAddress#system()} picks this backend). Not
 * selected on Linux ({@link RealOsRun}); on other systems it is skipped, not failed, since it is
 * not meant for them. futex(2) reads the word with copyin, so the suite's default
 * ({@code osComparesNativeWidths() == true}) holds.
 */
@RealOsRun
class ConformanceOpenBsdFutexOnOpenBsdTest extends ConformanceSuite {
    @Override
    protected WaitOnAddress backend() {
        Assumptions.assumeTrue(Platform.isOpenBSD(), "the real openbsd-futex backend runs on OpenBSD only");
        return Backend.named("openbsd-futex");
    }
}
