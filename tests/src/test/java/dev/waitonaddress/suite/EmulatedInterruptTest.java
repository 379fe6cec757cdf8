package dev.waitonaddress.suite;

import dev.waitonaddress.WaitOnAddress;
import java.util.List;

/** {@link AbstractInterruptTest} against every foreign backend bound to its contract emulator (the {@code emulators} run). */
class EmulatedInterruptTest extends AbstractInterruptTest {
    @Override
    protected List<WaitOnAddress> backends() {
        return ReliabilityBackends.emulated();
    }
}
