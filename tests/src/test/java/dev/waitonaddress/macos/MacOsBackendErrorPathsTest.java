package dev.waitonaddress.macos;

import static dev.waitonaddress.macos.DarwinEmulator.*;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitOnAddressException;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.Emulators;
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
 * is reported with its macOS number; and a wake that finds nobody (EDOM: the waiters there wait on
 * another width; any address in PRIVATE scope) says so instead of throwing.
 */
@EmulatorRun
class MacOsBackendErrorPathsTest {
    static final String[][] BACKENDS = {{"macos-os-sync", "libwoa-macos-os-sync.so"},
        {"macos-ulock", "libwoa-macos-ulock.so"}};

    /** The emulator of the backend under test, called directly (its test hook). */
    private DarwinEmulator os;
    /** The backend under test, bound to that emulator. */
    private WaitOnAddress woa;

    /** Sets {@link #os} and {@link #woa} for the backend {@code name}; skips outside the emulators run. */
    private void bind(String name) throws Exception {
        Emulators.assumeOverride(name);
        String file = name.equals("macos-os-sync") ? BACKENDS[0][1] : BACKENDS[1][1];
        os = DarwinEmulator.load(file);
        woa = Backend.named(name);
        Strict.require(woa.isAvailable(), name + ": " + woa.unavailabilityCause().orElse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"macos-os-sync", "macos-ulock"})
    void eintrAndEnomemAreRetried(String name) throws Exception {
        bind(name);
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
        bind(name);
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
        bind(name);
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
        bind(name);
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
        bind(name);
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

    // ------------------------------------------------------------------ wakes that find nobody

    // Wakes on macOS that find nobody must say so, not throw. xnu keys waiters by address and answers
    // EDOM to a 4-byte wake when the waiters there wait on 8 bytes: nobody of that width waits, so
    // there is nobody to wake. (AtomicWait.wakeAll(p) and every SHARED AtomicWait wake make a 4-byte
    // wake before the 8-byte one: an exception there also lost the 8-byte waiter's wake-up.) And a
    // PRIVATE wake never reads memory (xnu: key pid and address), so any address is fine.

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
        bind(name);
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
        bind(name);
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
