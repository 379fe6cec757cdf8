package dev.waitonaddress.macos;

import static dev.waitonaddress.macos.DarwinEmulator.*;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitOnAddressException;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How both macOS backends treat each error their OS can return, driven through the emulators'
 * test hook (the calling thread's next waits fail with a chosen macOS errno): EINTR and ENOMEM are
 * retried, EFAULT a few times and then reported, an unrequested ETIMEDOUT is slept through, EINVAL
 * is reported with its macOS number.
 */
@EmulatorRun
class MacOsBackendErrorPathsTest {
    static final String[][] BACKENDS = {{"macos-os-sync", "libwoa-macos-os-sync.so"},
        {"macos-ulock", "libwoa-macos-ulock.so"}};

    private static Object[] bind(String name) throws Exception {
        String file = name.equals("macos-os-sync") ? BACKENDS[0][1] : BACKENDS[1][1];
        DarwinEmulator emulator = DarwinEmulator.load(file);
        WaitOnAddress woa = Backend.named(name);
        Strict.require(woa.isAvailable(), name + ": " + woa.unavailabilityCause().orElse(null));
        return new Object[] {emulator, woa};
    }

    @ParameterizedTest
    @ValueSource(strings = {"macos-os-sync", "macos-ulock"})
    void eintrAndEnomemAreRetried(String name) throws Exception {
        Object[] b = bind(name);
        DarwinEmulator os = (DarwinEmulator) b[0];
        WaitOnAddress woa = (WaitOnAddress) b[1];
        try (Memory m = new Memory(8)) {
            m.setLong(0, 3);
            for (int errno : new int[] {EINTR, ENOMEM}) {
                for (Width w : new Width[] {Width.INT32, Width.INT64}) {
                    os.failNextWaits(errno, 5);
                    assertEquals(WaitResult.TIMED_OUT, woa.await(m, w, 3, Scope.PRIVATE, 0, TimeUnit.SECONDS));
                    os.failNextWaits(errno, 5);
                    assertEquals(WaitResult.MISMATCH, woa.await(m, w, 4, Scope.SHARED, 1, TimeUnit.SECONDS));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"macos-os-sync", "macos-ulock"})
    void efaultIsRetriedAFewTimesThenReported(String name) throws Exception {
        Object[] b = bind(name);
        DarwinEmulator os = (DarwinEmulator) b[0];
        WaitOnAddress woa = (WaitOnAddress) b[1];
        try (Memory m = new Memory(8)) {
            m.setLong(0, 3);
            os.failNextWaits(EFAULT, 3); // transient: a page the kernel could not read under its lock
            assertEquals(WaitResult.TIMED_OUT, woa.await(m, Width.INT32, 3, Scope.PRIVATE, 0, TimeUnit.SECONDS));
            os.failNextWaits(EFAULT, 1000);
            WaitOnAddressException e = assertThrows(WaitOnAddressException.class,
                    () -> woa.await(m, Width.INT64, 3, Scope.PRIVATE, 0, TimeUnit.SECONDS));
            os.failNextWaits(0, 0);
            assertEquals(EFAULT, e.errorCode());
            assertTrue(e.errorName().startsWith("EFAULT"), e.getMessage());
            assertEquals(name, e.backend());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"macos-os-sync", "macos-ulock"})
    void einvalIsReportedWithItsMacOsNumber(String name) throws Exception {
        Object[] b = bind(name);
        DarwinEmulator os = (DarwinEmulator) b[0];
        WaitOnAddress woa = (WaitOnAddress) b[1];
        try (Memory m = new Memory(8)) {
            m.setLong(0, 0);
            os.failNextWaits(EINVAL, 1);
            WaitOnAddressException e = assertThrows(WaitOnAddressException.class,
                    () -> woa.await(m, Width.INT32, 0, Scope.PRIVATE, 1, TimeUnit.MILLISECONDS));
            assertEquals(EINVAL, e.errorCode());
            assertEquals("EINVAL", e.errorName());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"macos-os-sync", "macos-ulock"})
    void aTimeOutNobodyAskedForIsSleptThrough(String name) throws Exception {
        Object[] b = bind(name);
        DarwinEmulator os = (DarwinEmulator) b[0];
        WaitOnAddress woa = (WaitOnAddress) b[1];
        try (Memory m = new Memory(8)) {
            m.setLong(0, 0);
            Watchdog.run(Duration.ofSeconds(20), "spurious ETIMEDOUT", () -> {
                AtomicReference<Object> result = new AtomicReference<>();
                Thread t = new Thread(() -> {
                    os.failNextWaits(ETIMEDOUT, 1);
                    try {
                        result.set(woa.await(m, Width.INT64, 0, Scope.PRIVATE));
                    } catch (Throwable e) {
                        result.set(e);
                    }
                });
                t.setDaemon(true);
                t.start();
                long until = System.nanoTime() + 10_000_000_000L;
                while (waiting(os, name, m, Width.INT64) != 1) { // the second call, after the injected ETIMEDOUT
                    assertTrue(System.nanoTime() < until && result.get() == null, "result " + result.get());
                    Thread.sleep(5);
                }
                Thread.sleep(50);
                assertNull(result.get(), "an untimed wait sleeps on after an ETIMEDOUT it did not ask for");
                m.setLong(0, 1L << 40);
                while (t.isAlive()) {
                    woa.wakeAll(m, Width.INT64, Scope.PRIVATE);
                    t.join(10);
                }
                assertTrue(result.get() == WaitResult.WOKEN || result.get() == WaitResult.MISMATCH,
                        String.valueOf(result.get()));
                return null;
            });
        }
    }

    /**
     * @return the number of threads the emulator has waiting on the private word at {@code m}: a
     *     wait for a value the word does not hold returns it at once
     */
    private static int waiting(DarwinEmulator os, String backend, Memory m, Width width) {
        long other = m.getLong(0) ^ 0x5a5a5a5a5a5aL;
        return backend.equals("macos-ulock")
                ? os.call("__ulock_wait2", (width == Width.INT64 ? 5 : 1) | 0x0100_0000, m, other, 0L, 0L).value
                : os.call("os_sync_wait_on_address", m, other, (long) width.bytes(), 0).value;
    }

    @ParameterizedTest
    @ValueSource(strings = {"macos-os-sync", "macos-ulock"})
    void wakeOfNCallsTheOsAtMostNTimesAndWakesAtMostN(String name) throws Exception {
        Object[] b = bind(name);
        WaitOnAddress woa = (WaitOnAddress) b[1];
        try (Memory m = new Memory(8)) {
            m.setLong(0, 0);
            Watchdog.run(Duration.ofSeconds(30), "wake(n)", () -> {
                int waiters = 5;
                java.util.concurrent.atomic.AtomicInteger returned = new java.util.concurrent.atomic.AtomicInteger();
                Thread[] ts = new Thread[waiters];
                for (int i = 0; i < waiters; i++) {
                    ts[i] = new Thread(() -> {
                        try {
                            woa.await(m, Width.INT32, 0, Scope.PRIVATE);
                        } catch (InterruptedException e) {
                            return;
                        }
                        returned.incrementAndGet();
                    });
                    ts[i].setDaemon(true);
                    ts[i].start();
                }
                DarwinEmulator os = (DarwinEmulator) b[0];
                long until = System.nanoTime() + 10_000_000_000L;
                while (waiting(os, name, m, Width.INT32) != waiters) { // a wait for another value returns the waiter count
                    assertTrue(System.nanoTime() < until, "five waiters never waited");
                    Thread.sleep(5);
                }
                assertEquals(WaitOnAddress.COUNT_UNKNOWN, woa.wake(m, Width.INT32, Scope.PRIVATE, 2));
                while (returned.get() < 2 && System.nanoTime() < until) {
                    Thread.sleep(1);
                }
                Thread.sleep(100);
                assertEquals(2, returned.get(), "wake(2) wakes two of five");
                assertEquals(WaitOnAddress.COUNT_UNKNOWN, woa.wake(m, Width.INT32, Scope.PRIVATE, 1000));
                for (Thread t : ts) {
                    t.join();
                }
                assertEquals(waiters, returned.get());
                return null;
            });
        }
    }
}
