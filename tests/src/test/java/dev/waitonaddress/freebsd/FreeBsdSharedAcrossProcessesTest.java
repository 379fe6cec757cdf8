package dev.waitonaddress.freebsd;

import dev.waitonaddress.Width;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.TokenAcrossJvms;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SHARED scope of {@code freebsd-umtx} across two JVMs (UMTX_OP_WAIT_UINT for 4 bytes and
 * UMTX_OP_WAIT for 8, woken by UMTX_OP_WAKE, on a file both map), each bound to the FreeBSD
 * emulator: the two pass a token back and forth ({@link TokenAcrossJvms}); a lost cross-process
 * wake-up hangs and the watchdog names it. The 8-byte token lives in the word's high half, which
 * the 32-bit compare of a Linux futex alone would not see.
 */
@EmulatorRun
class FreeBsdSharedAcrossProcessesTest {
    @ParameterizedTest
    @EnumSource(value = Width.class, names = {"INT32", "INT64"})
    void tokenPassesBetweenProcessesThroughSharedWaits(Width width) throws Exception {
        TokenAcrossJvms.pass("freebsd-umtx", "libwoa-freebsd.so", width);
    }
}
