package dev.waitonaddress.suite;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.EmulatorRun;
import java.util.List;

/**
 * {@link AbstractBadInputProperties} against every foreign backend bound to its contract emulator.
 * Unmapped addresses go to their {@code wake}s, never to their {@code await}s: the stand-ins compare
 * in user space, as Windows' own {@code WaitOnAddress} does.
 */
@EmulatorRun
class EmulatedBadInputPropertiesTest extends AbstractBadInputProperties {
    @Override
    protected List<WaitOnAddress> backends() {
        return ReliabilityBackends.emulated();
    }

    @Override
    protected boolean kernelCompares(WaitOnAddress woa) {
        return false;
    }
}
