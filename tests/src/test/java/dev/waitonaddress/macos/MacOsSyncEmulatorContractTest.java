package dev.waitonaddress.macos;

import static dev.waitonaddress.macos.DarwinEmulator.*;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.Emulators;
import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The os_sync contract emulator against Apple's {@code <os/os_sync_wait_on_address.h>} (macOS
 * 14.4): argument errors, units, the "waiters left" results, ENOENT for a wake of nobody, macOS
 * errno numbers. Written from the header, so that the emulator cannot drift into agreeing with the
 * backend's mistakes.
 */
@EmulatorRun
class MacOsSyncEmulatorContractTest {
    static final int SHARED = 1;
    static final int CLOCK = 32; // OS_CLOCK_MACH_ABSOLUTE_TIME

    DarwinEmulator os;
    Memory mem;
    Pointer word;

    @BeforeEach
    void load() throws Exception {
        os = DarwinEmulator.load("libwoa-macos-os-sync.so");
        mem = new Memory(64);
        mem.clear();
        word = new Pointer((Pointer.nativeValue(mem) + 15) & ~15L);
    }

    @AfterEach
    void free() {
        mem.close();
    }

    Result waitOn(Pointer p, long value, long size, int flags) {
        return os.call("os_sync_wait_on_address", p, value, size, flags);
    }

    Result waitFor(Pointer p, long value, long size, int flags, int clock, long ns) {
        return os.call("os_sync_wait_on_address_with_timeout", p, value, size, flags, clock, ns);
    }

    Result wake(boolean all, Pointer p, long size, int flags) {
        return os.call(all ? "os_sync_wake_by_address_all" : "os_sync_wake_by_address_any", p, size, flags);
    }

    static void assertError(int errno, Result r) {
        assertEquals(-1, r.value, "returns -1 on error: " + r);
        assertEquals(errno, r.errno, "errno: " + r);
    }

    @Test
    void exportsExactlyTheFourFunctions() {
        for (String s : new String[] {"os_sync_wait_on_address", "os_sync_wait_on_address_with_timeout",
                "os_sync_wake_by_address_any", "os_sync_wake_by_address_all"}) {
            assertTrue(os.exports(s), s);
        }
        assertFalse(os.exports("os_sync_wait_on_address_with_deadline"), "not emulated, so not exported");
    }

    @Test
    void invalidSizesFlagsAddressesClocksAndZeroTimeOutsAreEinval() {
        for (long size : new long[] {0, 1, 2, 3, 5, 16}) {
            assertError(EINVAL, waitOn(word, 1, size, 0));
            assertError(EINVAL, waitFor(word, 1, size, 0, CLOCK, 1_000_000));
            assertError(EINVAL, wake(false, word, size, 0));
            assertError(EINVAL, wake(true, word, size, 0));
        }
        for (int flags : new int[] {2, 3, 0x100, -1}) {
            assertError(EINVAL, waitOn(word, 1, 4, flags));
            assertError(EINVAL, wake(false, word, 4, flags));
        }
        assertError(EINVAL, waitOn(Pointer.NULL, 0, 4, 0));
        assertError(EINVAL, wake(false, Pointer.NULL, 4, 0));
        assertError(EINVAL, waitOn(word.share(2), 0, 4, 0));
        assertError(EINVAL, waitOn(word.share(4), 0, 8, 0));
        assertError(EINVAL, waitFor(word, 0, 4, 0, 0, 1_000_000));
        assertError(EINVAL, waitFor(word, 0, 4, 0, 1, 1_000_000));
        assertError(EINVAL, waitFor(word, 0, 4, 0, CLOCK, 0)); // a zero time-out is an error, not a poll
    }

    @Test
    void aDifferentValueReturnsAtOnceWithTheWaitersLeft() {
        word.setLong(0, 7);
        assertEquals(0, waitOn(word, 8, 4, 0).value);
        assertEquals(0, waitOn(word, 8, 8, SHARED).value);
        word.setLong(0, 1L << 32); // only the upper half of the 8-byte word differs from 0
        assertEquals(0, waitOn(word, 0, 8, 0).value);
    }

    @Test
    void theUpperHalfOfAFourByteValueIsIgnored() {
        word.setInt(0, 5);
        long start = System.nanoTime();
        Result r = waitFor(word, (0xdeadL << 32) | 5, 4, 0, CLOCK, 20_000_000L);
        assertError(ETIMEDOUT, r); // equal: it slept
        assertTrue(System.nanoTime() - start >= 20_000_000L, "slept the whole time-out");
    }

    @Test
    void timeOutsAreRelativeNanosecondsAndAnswerMacOsEtimedout() {
        for (long size : new long[] {4, 8}) {
            for (int flags : new int[] {0, SHARED}) {
                long start = System.nanoTime();
                Result r = waitFor(word, 0, size, flags, CLOCK, 30_000_000L);
                long took = System.nanoTime() - start;
                assertNotEquals(LINUX_ETIMEDOUT, r.errno, "a host errno leaked");
                assertError(ETIMEDOUT, r);
                assertTrue(took >= 30_000_000L, "never early: " + took);
                assertTrue(took < 5_000_000_000L, "not seconds: " + took);
            }
        }
    }

    @Test
    void waitsOnUnmappedMemoryFail() {
        Pointer unmapped = new Pointer(UNMAPPED);
        assertError(EFAULT, waitFor(unmapped, 0, 4, 0, CLOCK, 1));
        assertError(EFAULT, waitFor(unmapped, 0, 8, 0, CLOCK, 1));
        // xnu looks up the backing object of a shared word first: none there is EINVAL
        assertError(EINVAL, waitFor(unmapped, 0, 4, SHARED, CLOCK, 1));
        assertError(EINVAL, waitFor(unmapped, 0, 8, SHARED, CLOCK, 1));
    }

    @Test
    void wakingNobodyIsEnoent() {
        for (long size : new long[] {4, 8}) {
            for (int flags : new int[] {0, SHARED}) {
                assertError(ENOENT, wake(false, word, size, flags));
                assertError(ENOENT, wake(true, word, size, flags));
            }
        }
        assertError(ENOENT, wake(false, new Pointer(UNMAPPED), 4, 0)); // a wake never reads the word
    }

    @Test
    void wakeAnyWakesOneWaiterAndTheWaitersLeftAreCounted() throws Exception {
        for (long size : new long[] {4, 8}) {
            for (int flags : new int[] {0, SHARED}) {
                Watchdog.run(Duration.ofSeconds(20), "wake any " + size + " " + flags, () -> {
                    AtomicReference<Result> first = new AtomicReference<>();
                    AtomicReference<Result> second = new AtomicReference<>();
                    Thread a = waiter(first, size, flags);
                    Thread b = waiter(second, size, flags);
                    awaitWaiters(2, size, flags);
                    assertNull(first.get());
                    assertNull(second.get());
                    assertEquals(0, wake(false, word, size, flags).value, "a waiter was there");
                    long until = System.nanoTime() + 5_000_000_000L;
                    while (first.get() == null && second.get() == null && System.nanoTime() < until) {
                        Thread.sleep(1);
                    }
                    Thread.sleep(50);
                    Result woken = first.get() != null ? first.get() : second.get();
                    assertNotNull(woken, "one waiter returned");
                    assertTrue(first.get() == null || second.get() == null, "wake_any woke only one");
                    assertEquals(1, woken.value, "one waiter left");
                    assertEquals(0, wake(false, word, size, flags).value);
                    a.join();
                    b.join();
                    assertEquals(0, (first.get() == woken ? second.get() : first.get()).value, "none left");
                    assertError(ENOENT, wake(false, word, size, flags));
                    return null;
                });
            }
        }
    }

    @Test
    void wakeAllWakesEveryWaiterOfThatScopeOnly() throws Exception {
        for (long size : new long[] {4, 8}) {
            Watchdog.run(Duration.ofSeconds(20), "wake all " + size, () -> {
                AtomicReference<Result> p1 = new AtomicReference<>();
                AtomicReference<Result> p2 = new AtomicReference<>();
                AtomicReference<Result> s1 = new AtomicReference<>();
                Thread a = waiter(p1, size, 0);
                Thread b = waiter(p2, size, 0);
                Thread c = waiter(s1, size, SHARED);
                awaitWaiters(2, size, 0);
                awaitWaiters(1, size, SHARED);
                assertEquals(0, wake(true, word, size, 0).value);
                a.join();
                b.join();
                Thread.sleep(50);
                assertNull(s1.get(), "a private wake does not reach a shared waiter");
                assertEquals(0, wake(true, word, size, SHARED).value);
                c.join();
                assertTrue(p1.get().value >= 0 && p2.get().value >= 0 && s1.get().value >= 0);
                return null;
            });
        }
    }

    @Test
    void noWakeUpIsLostForEightByteWords() throws Exception {
        // a token passed back and forth through the upper half only: a lost wake-up hangs
        Watchdog.run(Duration.ofSeconds(60), "8-byte ping-pong", () -> {
            int rounds = 2_000;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] sides = new Thread[2];
            for (int s = 0; s < 2; s++) {
                long mine = (long) s << 32;
                sides[s] = new Thread(() -> {
                    try {
                        for (int i = 0; i < rounds; i++) {
                            long v;
                            while ((v = word.getLong(0)) != mine) {
                                Result r = waitOn(word, v, 8, 0);
                                assertTrue(r.value >= 0, "wait " + r);
                            }
                            word.setLong(0, (1L << 32) - mine);
                            wake(false, word, 8, 0);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                sides[s].setDaemon(true);
                sides[s].start();
            }
            for (Thread t : sides) {
                t.join();
            }
            assertNull(failure.get());
            return null;
        });
    }

    @Test
    void theTestHookFailsTheCallingThreadsNextWaits() {
        os.failNextWaits(EINTR, 2);
        assertError(EINTR, waitFor(word, 0, 4, 0, CLOCK, 1));
        assertError(EINTR, waitOn(word, 0, 8, 0));
        assertError(ETIMEDOUT, waitFor(word, 0, 4, 0, CLOCK, 1)); // back to normal
    }

    /**
     * Waits until {@code n} threads wait on the word: a wait for a value the word does not hold
     * returns at once with the number of waiters (the header's "outstanding waiters").
     */
    private void awaitWaiters(int n, long size, int flags) throws InterruptedException {
        Emulators.awaitCount("waiters", () -> waitOn(word, 12345, size, flags).value, n);
    }

    private Thread waiter(AtomicReference<Result> out, long size, int flags) {
        Thread t = new Thread(() -> out.set(waitOn(word, 0, size, flags)));
        t.setDaemon(true);
        t.start();
        return t;
    }
}
