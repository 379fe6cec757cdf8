package dev.waitonaddress.suite;

import dev.waitonaddress.WaitOnAddress;
import java.util.List;

/** Interrupts on every backend of this OS (see {@link AbstractInterruptTest}). */
class InterruptTest extends AbstractInterruptTest {
    @Override
    protected List<WaitOnAddress> backends() {
        return ReliabilityBackends.host();
    }
}
