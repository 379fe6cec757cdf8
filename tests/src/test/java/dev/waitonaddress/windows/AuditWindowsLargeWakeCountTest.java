package dev.waitonaddress.windows;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.Emulators;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Windows reports no wake count, so {@code wake(n)} calls WakeByAddressSingle n times. A large n
 * that is not {@code ALL} (e.g. {@code Integer.MAX_VALUE - 1}) used to make billions of calls with
 * nobody waiting: minutes on Windows, a quarter of an hour on the emulator. A wake must not hang.
 */
@EmulatorRun
class AuditWindowsLargeWakeCountTest {
    @Test
    void aHugeWakeCountReturnsPromptly() {
        WaitOnAddress woa = Emulators.boundBackend("windows");
        try (Memory m = new Memory(8)) {
            m.clear();
            long start = System.nanoTime();
            woa.wake(m, Width.INT32, Scope.PRIVATE, Integer.MAX_VALUE - 1);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms < 5_000, "wake(Integer.MAX_VALUE - 1) with nobody waiting took " + ms + " ms");
        }
    }
}
