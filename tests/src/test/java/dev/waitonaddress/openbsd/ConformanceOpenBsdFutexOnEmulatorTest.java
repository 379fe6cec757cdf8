package dev.waitonaddress.openbsd;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.suite.ConformanceSuite;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.Emulators;

/**
 * The conformance suite on the {@code openbsd-futex} backend, bound to the contract emulator
 * {@code libwoa-openbsd.so} through {@code -Ddev.waitonaddress.openbsd-futex.library}. OpenBSD's
 * futex(2) reads the word with copyin and answers EFAULT for an unmapped one, so the suite's
 * default ({@code osComparesNativeWidths() == true}) holds.
 */
@EmulatorRun
class ConformanceOpenBsdFutexOnEmulatorTest extends ConformanceSuite {
    @Override
    protected WaitOnAddress backend() {
        Emulators.assumeOverride("openbsd-futex");
        return Backend.named("openbsd-futex");
    }
}
