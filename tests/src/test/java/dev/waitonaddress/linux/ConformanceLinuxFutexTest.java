package dev.waitonaddress.linux;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.suite.ConformanceSuite;
import dev.waitonaddress.testing.Backend;

/** The conformance suite on the real Linux kernel. */
class ConformanceLinuxFutexTest extends ConformanceSuite {
    @Override
    protected WaitOnAddress backend() {
        return Backend.named("linux-futex");
    }
}
