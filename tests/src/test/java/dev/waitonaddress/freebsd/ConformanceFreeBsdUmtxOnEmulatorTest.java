package dev.waitonaddress.freebsd;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.suite.ConformanceSuite;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.Emulators;

/**
 * The conformance suite on the {@code freebsd-umtx} backend, bound to the contract emulator
 * {@code libwoa-freebsd.so} through {@code -Ddev.waitonaddress.freebsd-umtx.library}. FreeBSD's
 * {@code _umtx_op} reads the word before it compares and answers EFAULT for an unmapped one, so
 * the suite's default ({@code osComparesNativeWidths() == true}) holds.
 */
@EmulatorRun
class ConformanceFreeBsdUmtxOnEmulatorTest extends ConformanceSuite {
    @Override
    protected WaitOnAddress backend() {
        Emulators.assumeOverride("freebsd-umtx");
        return Backend.named("freebsd-umtx");
    }
}
