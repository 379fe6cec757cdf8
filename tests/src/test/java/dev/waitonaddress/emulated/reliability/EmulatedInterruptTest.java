package dev.waitonaddress.emulated.reliability;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.reliability.AbstractInterruptTest;
import dev.waitonaddress.reliability.ReliabilityBackends;
import java.util.List;

/** {@link AbstractInterruptTest} against every foreign backend bound to its contract emulator (the {@code emulators} run). */
class EmulatedInterruptTest extends AbstractInterruptTest {
    @Override
    protected List<WaitOnAddress> backends() {
        return ReliabilityBackends.emulated();
    }
}
