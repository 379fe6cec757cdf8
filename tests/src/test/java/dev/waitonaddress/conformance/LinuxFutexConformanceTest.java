package dev.waitonaddress.conformance;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.Backend;

/** The conformance suite on the real Linux kernel. */
class LinuxFutexConformanceTest extends AbstractConformanceTest {
    @Override
    protected WaitOnAddress backend() {
        return Backend.named("linux-futex");
    }
}
