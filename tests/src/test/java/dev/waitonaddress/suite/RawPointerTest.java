package dev.waitonaddress.suite;

import dev.waitonaddress.WaitOnAddress;
import java.util.List;

/** The raw-pointer contract on every backend of this OS (see {@link AbstractRawPointerTest}). */
class RawPointerTest extends AbstractRawPointerTest {
    @Override
    protected List<WaitOnAddress> backends() {
        return ReliabilityBackends.host();
    }
}
