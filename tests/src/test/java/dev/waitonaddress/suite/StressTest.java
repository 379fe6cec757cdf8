package dev.waitonaddress.suite;

import dev.waitonaddress.WaitOnAddress;
import java.util.List;

/** The stress suite against every backend of this OS (see {@link AbstractStressTest}). */
class StressTest extends AbstractStressTest {
    @Override
    protected List<WaitOnAddress> backends() {
        return ReliabilityBackends.host();
    }
}
