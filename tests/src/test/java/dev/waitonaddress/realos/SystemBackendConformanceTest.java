package dev.waitonaddress.realos;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.conformance.AbstractConformanceTest;

/**
 * The conformance suite against the backend {@link WaitOnAddress#system()} picks on a real
 * Windows, macOS or OpenBSD machine (the per-OS CI workflows). The {@code realos} package is not
 * selected on Linux, where {@code LinuxFutexConformanceTest} runs the suite on the real kernel.
 */
class SystemBackendConformanceTest extends AbstractConformanceTest {
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
