package dev.waitonaddress.emulated;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.conformance.AbstractConformanceTest;
import dev.waitonaddress.testing.Backend;

/**
 * The conformance suite on the {@code openbsd-futex} backend, bound to the contract emulator
 * {@code libwoa-openbsd.so} through {@code -Ddev.waitonaddress.openbsd-futex.library}. OpenBSD's
 * futex(2) reads the word with copyin and answers EFAULT for an unmapped one, so the suite's
 * default ({@code osComparesNativeWidths() == true}) holds.
 */
class OpenBsdEmulatorConformanceTest extends AbstractConformanceTest {
    @Override
    protected WaitOnAddress backend() {
        EmulatorRun.assumeOverride("openbsd-futex");
        return Backend.named("openbsd-futex");
    }
}
