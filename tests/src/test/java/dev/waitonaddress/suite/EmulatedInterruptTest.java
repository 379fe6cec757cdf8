package dev.waitonaddress.suite;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.EmulatorRun;
import java.util.List;

/** {@link AbstractInterruptTest} against every foreign backend bound to its contract emulator (the {@code emulators} run). */
@EmulatorRun
class EmulatedInterruptTest extends AbstractInterruptTest {
    @Override
    protected List<WaitOnAddress> backends() {
        return ReliabilityBackends.emulated();
    }
}
