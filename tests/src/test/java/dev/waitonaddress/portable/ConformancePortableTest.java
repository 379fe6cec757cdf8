package dev.waitonaddress.portable;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.suite.ConformanceSuite;
import dev.waitonaddress.testing.Backend;

/** The conformance suite on the pure-Java backend. */
class ConformancePortableTest extends ConformanceSuite {
    @Override
    protected WaitOnAddress backend() {
        return Backend.named("portable");
    }

    @Override
    protected boolean osComparesNativeWidths() {
        return false;
    }
}
