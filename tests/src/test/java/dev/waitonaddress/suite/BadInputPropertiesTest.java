package dev.waitonaddress.suite;

import dev.waitonaddress.WaitOnAddress;
import java.util.List;

/** Bad input against every backend of this OS (see {@link AbstractBadInputProperties}). */
class BadInputPropertiesTest extends AbstractBadInputProperties {
    @Override
    protected List<WaitOnAddress> backends() {
        return ReliabilityBackends.host();
    }
}
