package dev.waitonaddress.suite;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.EveryRun;
import java.util.List;

/** The {@link InterruptSuite} on every backend of the run ({@link ReliabilityBackends#ofThisRun()}). */
@EveryRun
class ReliabilityInterruptTest extends InterruptSuite {
    @Override
    protected List<WaitOnAddress> backends() {
        return ReliabilityBackends.ofThisRun();
    }
}
