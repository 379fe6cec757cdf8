package dev.waitonaddress.macos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.suite.ConformanceSuite;
import dev.waitonaddress.macos.MacOsUlockWaitOnAddress;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.NativeArtefacts;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The conformance suite against {@code macos-ulock} bound to its contract emulator, which has
 * {@code __ulock_wait2}, so waits take nanosecond time-outs ({@link MacOsUlockMicrosecondPathTest}
 * covers the {@code __ulock_wait} path).
 */
@EmulatorRun
class ConformanceMacOsUlockOnEmulatorTest extends ConformanceSuite {
    @Override
    protected WaitOnAddress backend() {
        try {
            NativeArtefacts.require("libwoa-macos-ulock.so");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        WaitOnAddress b = Backend.named("macos-ulock");
        assertTrue(!b.isAvailable()
                || new MacOsUlockWaitOnAddress().traits().timeoutUnit() == java.util.concurrent.TimeUnit.NANOSECONDS,
                "__ulock_wait2 is exported, so it must be used (nanosecond time-outs)");
        return b;
    }
}
