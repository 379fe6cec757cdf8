package dev.waitonaddress.macos;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.Emulators;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Wakes on macOS that find nobody must say so, not throw. xnu keys waiters by address and answers
 * EDOM to a 4-byte wake when the waiters there wait on 8 bytes: nobody of that width waits, so
 * there is nobody to wake. (AtomicWait.wakeAll(p) and every SHARED AtomicWait wake make a 4-byte
 * wake before the 8-byte one: an exception there also lost the 8-byte waiter's wake-up.) And a
 * PRIVATE wake never reads memory (xnu: key pid and address), so any address is fine.
 */
@EmulatorRun
class AuditDarwinWakeTest {
    private static Object[] bind(String name) throws Exception {
        Emulators.assumeOverride(name);
        DarwinEmulator os = DarwinEmulator.load(name.equals("macos-os-sync") ? "libwoa-macos-os-sync.so"
                : "libwoa-macos-ulock.so");
        WaitOnAddress woa = Backend.named(name);
        Strict.require(woa.isAvailable(), name + ": " + woa.unavailabilityCause().orElse(null));
        return new Object[] {os, woa};
    }

    /** The 8-byte waiters on m: a wait for another value returns at once with the count of waiters. */
    private static int waiters64(DarwinEmulator os, String backend, Memory m, Scope scope) {
        long other = m.getLong(0) ^ 0x5a5a5a5a5a5aL;
        boolean shared = scope == Scope.SHARED;
        return backend.equals("macos-ulock")
                ? os.call("__ulock_wait2", (shared ? 6 : 5) | 0x0100_0000, m, other, 0L, 0L).value
                : os.call("os_sync_wait_on_address", m, other, 8L, shared ? 1 : 0).value;
    }

    @ParameterizedTest
    @ValueSource(strings = {"macos-os-sync", "macos-ulock"})
    void aWakeOfAnotherWidthThanTheWaitersIsNobodyToWake(String name) throws Exception {
        Object[] b = bind(name);
        DarwinEmulator os = (DarwinEmulator) b[0];
        WaitOnAddress woa = (WaitOnAddress) b[1];
        for (Scope scope : Scope.values()) {
            try (Memory m = new Memory(8)) {
                m.setLong(0, 0);
                AtomicReference<Object> result = new AtomicReference<>();
                Thread t = new Thread(() -> {
                    try {
                        result.set(woa.await(m, Width.INT64, 0, scope));
                    } catch (Throwable e) {
                        result.set(e);
                    }
                });
                t.start();
                Watchdog.run(Duration.ofSeconds(30), name + " wake of another width", () -> {
                    while (waiters64(os, name, m, scope) != 1) {
                        assertNull(result.get(), "the waiter left early");
                        Thread.sleep(5);
                    }
                    assertDoesNotThrow(() -> woa.wakeAll(m, Width.INT32, scope),
                            "a 4-byte wake where only 8-byte waiters wait (" + scope + ")");
                    assertDoesNotThrow(() -> woa.wakeOne(m, Width.INT32, scope),
                            "a 4-byte wakeOne where only 8-byte waiters wait (" + scope + ")");
                    m.setLong(0, 1L << 40);
                    while (t.isAlive()) {
                        woa.wakeAll(m, Width.INT64, scope);
                        t.join(10);
                    }
                    return null;
                });
                assertTrue(result.get() == WaitResult.WOKEN || result.get() == WaitResult.MISMATCH,
                        String.valueOf(result.get()));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"macos-os-sync", "macos-ulock"})
    void aPrivateWakeOfAnyAlignedAddressIsNobodyToWake(String name) throws Exception {
        WaitOnAddress woa = (WaitOnAddress) bind(name)[1];
        for (long address : new long[] {0x1000L, 0x4000_0000_0000L, 0xffff_ffff_ffff_f000L}) {
            for (Width width : new Width[] {Width.INT32, Width.INT64}) {
                assertDoesNotThrow(() -> woa.wakeAll(new Pointer(address), width, Scope.PRIVATE),
                        "PRIVATE wakeAll of 0x" + Long.toHexString(address) + " " + width);
                assertDoesNotThrow(() -> woa.wakeOne(new Pointer(address), width, Scope.PRIVATE),
                        "PRIVATE wakeOne of 0x" + Long.toHexString(address) + " " + width);
            }
        }
    }
}
