package dev.waitonaddress.suite;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.EmulatorRun;
import java.util.List;

/** {@link AbstractTimeoutAccuracyTest} against every foreign backend bound to its contract emulator (the {@code emulators} run). */
@EmulatorRun
class EmulatedTimeoutAccuracyTest extends AbstractTimeoutAccuracyTest {
    @Override
    protected List<WaitOnAddress> backends() {
        return ReliabilityBackends.emulated();
    }
}
