package dev.waitonaddress.suite;

import dev.waitonaddress.WaitOnAddress;
import java.util.List;

/** Time-out accuracy on every backend of this OS (see {@link AbstractTimeoutAccuracyTest}). */
class TimeoutAccuracyTest extends AbstractTimeoutAccuracyTest {
    @Override
    protected List<WaitOnAddress> backends() {
        return ReliabilityBackends.host();
    }
}
