package dev.waitonaddress.openbsd;

import dev.waitonaddress.Width;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.TokenAcrossJvms;
import org.junit.jupiter.api.Test;

/**
 * SHARED scope of {@code openbsd-futex} across two JVMs (FUTEX_WAIT / FUTEX_WAKE without
 * FUTEX_PRIVATE_FLAG on a file both map), each bound to the OpenBSD emulator: the two pass a token
 * back and forth ({@link TokenAcrossJvms}); a lost cross-process wake-up hangs and the watchdog
 * names it.
 */
@EmulatorRun
class OpenBsdSharedAcrossProcessesTest {
    @Test
    void tokenPassesBetweenProcessesThroughSharedWaits() throws Exception {
        TokenAcrossJvms.pass("openbsd-futex", "libwoa-openbsd.so", Width.INT32);
    }
}
