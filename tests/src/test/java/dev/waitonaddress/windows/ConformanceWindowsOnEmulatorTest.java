package dev.waitonaddress.windows;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.suite.ConformanceSuite;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.Emulators;

/**
 * The conformance suite on the {@code windows} backend, bound to the contract emulator
 * {@code libwoa-windows.so} through {@code -Ddev.waitonaddress.windows.library}.
 */
@EmulatorRun
class ConformanceWindowsOnEmulatorTest extends ConformanceSuite {
    @Override
    protected WaitOnAddress backend() {
        Emulators.assumeOverride("windows");
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
