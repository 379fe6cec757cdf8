package dev.waitonaddress.emulated;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.conformance.AbstractConformanceTest;
import dev.waitonaddress.testing.Backend;

/**
 * The conformance suite on the {@code windows} backend, bound to the contract emulator
 * {@code libwoa-windows.so} through {@code -Ddev.waitonaddress.windows.library}.
 */
class WindowsEmulatorConformanceTest extends AbstractConformanceTest {
    @Override
    protected WaitOnAddress backend() {
        EmulatorRun.assumeOverride("windows");
        return Backend.named("windows");
    }

    /**
     * False, truthfully: Windows compares the word itself, but an unreadable address raises an
     * access violation there instead of returning an error, so a readable address is the caller's
     * duty (see {@code WindowsWaitOnAddress}). What the emulator answers instead is checked in
     * WindowsBackendOnEmulatorTest.
     */
    @Override
    protected boolean osComparesNativeWidths() {
        return false;
    }
}
