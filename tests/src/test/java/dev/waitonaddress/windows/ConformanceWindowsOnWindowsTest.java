package dev.waitonaddress.windows;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.suite.ConformanceSuite;
import dev.waitonaddress.testing.RealOsRun;

/**
 * The conformance suite against the backend {@link WaitOnAddress#system()} picks on a real
 * Windows, macOS or OpenBSD machine (the per-OS CI workflows). The {@code realos} package is not
 * selected on Linux, where {@code ConformanceLinuxFutexTest} runs the suite on the real kernel.
 */
@RealOsRun
class ConformanceWindowsOnWindowsTest extends ConformanceSuite {
    @Override
    protected WaitOnAddress backend() {
        return WaitOnAddress.system();
    }

    /** Windows raises an access violation on an unreadable address instead of returning an error. */
    @Override
    protected boolean osComparesNativeWidths() {
        return !WaitOnAddress.system().name().equals("windows");
    }
}
