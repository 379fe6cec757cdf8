package dev.waitonaddress.suite;

import dev.waitonaddress.WaitOnAddress;
import java.util.List;

/** A dying peer process, on every backend of this OS with SHARED scope (see {@link AbstractDyingPeerTest}). */
class DyingPeerTest extends AbstractDyingPeerTest {
    @Override
    protected List<WaitOnAddress> backends() {
        return ReliabilityBackends.host();
    }
}
