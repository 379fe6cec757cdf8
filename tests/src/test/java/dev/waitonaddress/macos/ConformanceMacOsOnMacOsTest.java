package dev.waitonaddress.macos;

import com.sun.jna.Platform;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.suite.ConformanceSuite;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.RealOsRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;

/**
 * The conformance suite on the real macOS kernel, for both macOS backends (run by the macOS CI
 * workflows; not selected on Linux ({@link RealOsRun}), and on other systems this class is
 * skipped, not failed, since it is not meant for them). On macOS
 * before 14.4, macos-os-sync is unavailable and its half skips (strictly: fails).
 */
@RealOsRun
class ConformanceMacOsOnMacOsTest {
    private static WaitOnAddress onMacOs(String name) {
        Assumptions.assumeTrue(Platform.isMac(), "the real macOS backends run on macOS only");
        return Backend.named(name);
    }

    @Nested
    class OsSync extends ConformanceSuite {
        @Override
        protected WaitOnAddress backend() {
            return onMacOs("macos-os-sync");
        }
    }

    @Nested
    class Ulock extends ConformanceSuite {
        @Override
        protected WaitOnAddress backend() {
            return onMacOs("macos-ulock");
        }
    }
}
