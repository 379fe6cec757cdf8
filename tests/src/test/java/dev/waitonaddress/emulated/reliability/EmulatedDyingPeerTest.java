package dev.waitonaddress.emulated.reliability;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.reliability.AbstractDyingPeerTest;
import dev.waitonaddress.reliability.ReliabilityBackends;
import java.util.List;

/** {@link AbstractDyingPeerTest} against every foreign backend bound to its contract emulator (the {@code emulators} run). */
class EmulatedDyingPeerTest extends AbstractDyingPeerTest {
    @Override
    protected List<WaitOnAddress> backends() {
        return ReliabilityBackends.emulated();
    }
}
