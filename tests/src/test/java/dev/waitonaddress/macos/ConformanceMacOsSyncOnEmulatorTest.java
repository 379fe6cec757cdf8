package dev.waitonaddress.macos;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.suite.ConformanceSuite;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.NativeArtefacts;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The conformance suite against {@code macos-os-sync} bound to its contract emulator. */
@EmulatorRun
class ConformanceMacOsSyncOnEmulatorTest extends ConformanceSuite {
    @Override
    protected WaitOnAddress backend() {
        try {
            NativeArtefacts.require("libwoa-macos-os-sync.so");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Backend.named("macos-os-sync");
    }
}
