package dev.waitonaddress.conformance;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.Backend;

/** The conformance suite on the pure-Java backend. */
class PortableConformanceTest extends AbstractConformanceTest {
    @Override
    protected WaitOnAddress backend() {
        return Backend.named("portable");
    }

    @Override
    protected boolean osComparesNativeWidths() {
        return false;
    }
}
