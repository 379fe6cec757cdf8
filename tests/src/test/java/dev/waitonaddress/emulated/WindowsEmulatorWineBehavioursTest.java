package dev.waitonaddress.emulated;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.waitonaddress.testing.NativeArtefacts;
import dev.waitonaddress.testing.Watchdog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Windows contract emulator's two switchable behaviours, which Wine shows (issue 14), checked
 * by calling its exports directly: pending alerts (a WakeByAddressAll alert that arrives after a
 * wait ended makes the thread's next equal-value wait, 0 ms included, return TRUE) and
 * single-wake-timeout (a waiter that WakeByAddressSingle dequeues as its deadline passes reports
 * the time-out, and the wake is used up). Each race is made certain with the emulator's lag: a
 * waiter stays queued {@link #LAG_MS} before it sleeps and after its sleep ended. Every test
 * switches the behaviours back off and the lag to 0 after itself.
 */
class WindowsEmulatorWineBehavioursTest {
    static final int TRUE = 1;
    static final int FALSE = 0;
    static final int INFINITE = 0xFFFF_FFFF;
    static final int ERROR_TIMEOUT = 1460;
    static final int PENDING_ALERTS = 1;
    static final int SINGLE_WAKE_TIMEOUT = 2;
    static final int LAG_MS = 400;
    /** From a waiter's queueing: past its lag before sleeping, and (for a time-out of at most 20 ms) halfway through its lag after. */
    static final int MID_EXIT_LAG_MS = LAG_MS * 3 / 2;

    /** The emulator's exports, bound directly. */
    static final class Emulator {
        static native int WaitOnAddress(long address, long compareAddress, long size, int milliseconds);

        static native void WakeByAddressSingle(long address);

        static native void WakeByAddressAll(long address);

        static native int woa_emulator_waiters(long address);

        static native int woa_emulator_set_behaviours(int flags);

        static native int woa_emulator_set_lag_us(int microseconds);
    }

    private final List<Memory> memories = new ArrayList<>();

    @BeforeAll
    static void bind() throws Exception {
        Native.register(Emulator.class, NativeLibrary.getInstance(NativeArtefacts.require("libwoa-windows.so").toString()));
    }

    @AfterEach
    void reset() {
        Emulator.woa_emulator_set_behaviours(0);
        Emulator.woa_emulator_set_lag_us(0);
        memories.forEach(Memory::close);
    }

    private long word(long value) {
        Memory m = new Memory(16);
        m.clear();
        m.setLong(0, value);
        memories.add(m);
        return Pointer.nativeValue(m);
    }

    /** A thread that runs a sequence of WaitOnAddress calls and records each result as "TRUE" or "FALSE 1460". */
    private static final class Waiter {
        final List<String> results = new ArrayList<>();
        private final Thread thread;

        Waiter(String name, long[][] calls) {
            this(name, new CountDownLatch(0), calls);
        }

        /** Started at once, it makes its calls when {@code go} opens. */
        Waiter(String name, CountDownLatch go, long[][] calls) {
            thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < calls.length; i++) {
                    int r = Emulator.WaitOnAddress(calls[i][0], calls[i][1], calls[i][2], (int) calls[i][3]);
                    String text = r == TRUE ? "TRUE" : "FALSE " + Native.getLastError();
                    synchronized (results) {
                        results.add(text);
                    }
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }

        List<String> join() throws InterruptedException {
            thread.join();
            synchronized (results) {
                return new ArrayList<>(results);
            }
        }

        int returned() {
            synchronized (results) {
                return results.size();
            }
        }
    }

    private static void awaitWaiters(long address, int n) throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        while (Emulator.woa_emulator_waiters(address) != n) {
            assertTrue(System.nanoTime() < until, "expected " + n + " queued, have " + Emulator.woa_emulator_waiters(address));
            Thread.sleep(1);
        }
    }

    private static void awaitReturned(Waiter w, int n) throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        while (w.returned() < n) {
            assertTrue(System.nanoTime() < until, "expected " + n + " calls to have returned, have " + w.results);
            Thread.sleep(1);
        }
    }

    private static void behaviours(int flags) {
        Emulator.woa_emulator_set_behaviours(flags);
        Emulator.woa_emulator_set_lag_us(LAG_MS * 1000);
    }

    /** A waiter woken by one WakeByAddressAll and alerted again by a second while it is still queued. */
    private List<String> twoWakeAllsThen(long[]... after) throws Exception {
        long a = word(0);
        long zero = word(0);
        long[][] calls = new long[after.length + 1][];
        calls[0] = new long[] {a, zero, 4, INFINITE};
        System.arraycopy(after, 0, calls, 1, after.length);
        Waiter w = new Waiter("twice-woken", calls);
        awaitWaiters(a, 1);
        Thread.sleep(LAG_MS + 50); // asleep now
        Emulator.WakeByAddressAll(a);
        Thread.sleep(50);
        assertEquals(1, Emulator.woa_emulator_waiters(a), "still queued while it lags after its wake");
        Emulator.WakeByAddressAll(a);
        return w.join();
    }

    @Test
    void offByDefaultASecondWakeAllLeavesNothingBehind() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "default: no pending alert", () -> {
            Emulator.woa_emulator_set_lag_us(LAG_MS * 1000);
            long a = word(0);
            long zero = word(0);
            long unwoken = word(0);
            Waiter w = new Waiter("default", new long[][] {{a, zero, 4, INFINITE}, {unwoken, zero, 4, 0}});
            awaitWaiters(a, 1);
            Thread.sleep(LAG_MS + 50);
            Emulator.WakeByAddressAll(a);
            assertEquals(0, Emulator.woa_emulator_waiters(a), "off, WakeByAddressAll dequeues its waiters");
            Emulator.WakeByAddressAll(a);
            assertEquals(List.of("TRUE", "FALSE " + ERROR_TIMEOUT), w.join(), "the poll after the wait times out");
            return null;
        });
    }

    @Test
    void pendingAlertMakesTheNextZeroMillisecondWaitReturnTrueOnce() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "pending alert, 0 ms", () -> {
            behaviours(PENDING_ALERTS);
            long unwoken = word(0);
            long zero = word(0);
            List<String> r = twoWakeAllsThen(new long[] {unwoken, zero, 4, 0}, new long[] {unwoken, zero, 4, 0});
            assertEquals(List.of("TRUE", "TRUE", "FALSE " + ERROR_TIMEOUT), r,
                    "woken; then a poll of a word nobody wakes returns TRUE (the second alert); then the alert is used up");
            return null;
        });
    }

    @Test
    void pendingAlertMakesATimedWaitReturnAtOnceAndSurvivesAnUnequalWait() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "pending alert, timed and unequal", () -> {
            behaviours(PENDING_ALERTS);
            long unwoken = word(0);
            long zero = word(0);
            long one = word(1);
            long t0 = System.nanoTime();
            List<String> r = twoWakeAllsThen(new long[] {unwoken, one, 4, INFINITE}, new long[] {unwoken, zero, 4, 10_000});
            assertEquals(List.of("TRUE", "TRUE", "TRUE"), r, "unequal: TRUE at once; then the still pending alert ends a 10 s wait");
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "the 10 s wait returned at once");
            return null;
        });
    }

    @Test
    void wakeAllRacingATimeOutLeavesTheAlertPending() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "wake all racing a time-out", () -> {
            behaviours(PENDING_ALERTS);
            long a = word(0);
            long zero = word(0);
            long unwoken = word(0);
            Waiter w = new Waiter("timing-out", new long[][] {{a, zero, 4, 20}, {unwoken, zero, 4, 0}});
            awaitWaiters(a, 1);
            Thread.sleep(MID_EXIT_LAG_MS); // its 20 ms are over; it lags, still queued
            assertEquals(1, Emulator.woa_emulator_waiters(a));
            Emulator.WakeByAddressAll(a);
            assertEquals(List.of("FALSE " + ERROR_TIMEOUT, "TRUE"), w.join(), "timed out, and the late alert came to the next wait");
            return null;
        });
    }

    @Test
    void singleWakeAtTheDeadlineIsUsedUpByTheWaiterThatTimesOut() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "single wake at the deadline", () -> {
            behaviours(SINGLE_WAKE_TIMEOUT);
            long a = word(0);
            long zero = word(0);
            long unwoken = word(0);
            Waiter first = new Waiter("timing-out", new long[][] {{a, zero, 4, 20}, {unwoken, zero, 4, 0}});
            awaitWaiters(a, 1);
            Waiter second = new Waiter("long", new long[][] {{a, zero, 4, 10_000}});
            awaitWaiters(a, 2);
            Thread.sleep(MID_EXIT_LAG_MS); // the first's 20 ms are over; it lags, still queued at the head
            Emulator.WakeByAddressSingle(a);
            awaitReturned(first, 2);
            assertEquals(List.of("FALSE " + ERROR_TIMEOUT, "FALSE " + ERROR_TIMEOUT), first.join(),
                    "the dequeued waiter reports its time-out; without pending alerts the wake's alert is dropped");
            Thread.sleep(LAG_MS + 100);
            assertEquals(0, second.returned(), "the single wake is used up: the other waiter sleeps on");
            assertEquals(1, Emulator.woa_emulator_waiters(a));
            Emulator.WakeByAddressSingle(a);
            assertEquals(List.of("TRUE"), second.join());
            return null;
        });
    }

    @Test
    void withBothTheUsedUpSingleWakeLeavesItsAlertPending() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "single wake at the deadline, both behaviours", () -> {
            behaviours(PENDING_ALERTS | SINGLE_WAKE_TIMEOUT);
            long a = word(0);
            long zero = word(0);
            long unwoken = word(0);
            Waiter first = new Waiter("timing-out", new long[][] {{a, zero, 4, 20}, {unwoken, zero, 4, 0}});
            awaitWaiters(a, 1);
            Thread.sleep(MID_EXIT_LAG_MS);
            Emulator.WakeByAddressSingle(a);
            assertEquals(List.of("FALSE " + ERROR_TIMEOUT, "TRUE"), first.join(), "timed out, and the alert came to the next wait");
            return null;
        });
    }

    @Test
    void offASingleWakeAtTheDeadlineWakes() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "default: single wake at the deadline", () -> {
            Emulator.woa_emulator_set_lag_us(LAG_MS * 1000);
            long a = word(0);
            long zero = word(0);
            long unwoken = word(0);
            Waiter first = new Waiter("timing-out", new long[][] {{a, zero, 4, 20}, {unwoken, zero, 4, 0}});
            awaitWaiters(a, 1);
            Thread.sleep(MID_EXIT_LAG_MS);
            Emulator.WakeByAddressSingle(a);
            assertEquals(List.of("TRUE", "FALSE " + ERROR_TIMEOUT), first.join(), "off, a dequeued waiter is woken, and nothing is left pending");
            return null;
        });
    }

    @Test
    void aZeroMillisecondWaitIsQueuedForAMomentAndCanUseUpASingleWake() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "0 ms wait takes a single wake", () -> {
            behaviours(SINGLE_WAKE_TIMEOUT);
            long a = word(0);
            long zero = word(0);
            Waiter poll = new Waiter("poll", new long[][] {{a, zero, 4, 0}});
            awaitWaiters(a, 1); // queued, lagging before its (zero-length) sleep
            Waiter sleeper = new Waiter("long", new long[][] {{a, zero, 4, 10_000}});
            awaitWaiters(a, 2);
            Thread.sleep(MID_EXIT_LAG_MS); // the poll's sleep has ended; it lags after it, still at the head
            Emulator.WakeByAddressSingle(a);
            assertEquals(List.of("FALSE " + ERROR_TIMEOUT), poll.join());
            Thread.sleep(LAG_MS + 100);
            assertEquals(0, sleeper.returned(), "the poll used the single wake up");
            Emulator.WakeByAddressAll(a);
            assertEquals(List.of("TRUE"), sleeper.join());

            // a single wake during the poll's lag before its sleep: TRUE with the value unchanged
            Waiter early = new Waiter("poll", new long[][] {{a, zero, 4, 0}});
            awaitWaiters(a, 1);
            Emulator.WakeByAddressSingle(a);
            assertEquals(List.of("TRUE"), early.join(), "a 0 ms wait woken by a racing single wake");
            return null;
        });
    }

    @Test
    void offAZeroMillisecondWaitIsNeverQueued() throws Exception {
        Emulator.woa_emulator_set_lag_us(LAG_MS * 1000);
        long a = word(0);
        long zero = word(0);
        long t0 = System.nanoTime();
        assertEquals(FALSE, Emulator.WaitOnAddress(a, zero, 4, 0));
        assertEquals(ERROR_TIMEOUT, Native.getLastError());
        assertTrue(System.nanoTime() - t0 < LAG_MS * 1_000_000L, "no lag: it never queued");
    }

    @Test
    void aSingleWakeCanPickAWaiterThatAWakeAllAlreadyAlerted() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "single wake after wake all", () -> {
            int lagMs = 1000; // the second waiter must queue within the first one's lag after its wake
            Emulator.woa_emulator_set_behaviours(PENDING_ALERTS);
            Emulator.woa_emulator_set_lag_us(lagMs * 1000);
            long a = word(0);
            long zero = word(0);
            long unwoken = word(0);
            Waiter first = new Waiter("woken-by-all", new long[][] {{a, zero, 4, INFINITE}, {unwoken, zero, 4, 0}});
            awaitWaiters(a, 1);
            Thread.sleep(lagMs + 50);
            CountDownLatch go = new CountDownLatch(1);
            Waiter second = new Waiter("queued-after", go, new long[][] {{a, zero, 4, 10_000}});
            Emulator.WakeByAddressAll(a); // the first is alerted; it lags, still queued
            go.countDown();
            awaitWaiters(a, 2);
            Emulator.WakeByAddressSingle(a); // picks the first, already alerted
            assertEquals(List.of("TRUE", "TRUE"), first.join(), "woken by the WakeByAddressAll; the single wake's alert pending");
            Thread.sleep(lagMs + 100);
            assertEquals(0, second.returned(), "the single wake reached nobody new");
            Emulator.WakeByAddressSingle(a);
            assertEquals(List.of("TRUE"), second.join());
            return null;
        });
    }

    @Test
    void theEnvironmentSwitchesTheBehavioursAtLoad() throws Exception {
        Path program = NativeArtefacts.require("windows-scenario");
        ProcessBuilder pb = new ProcessBuilder(program.toString(), "alerts");
        pb.environment().put("WOA_EMULATOR_WINDOWS_BEHAVIOURS", "pending-alerts, single-wake-timeout");
        pb.environment().put("WOA_EMULATOR_WINDOWS_LAG_US", "100");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertFalse(out.contains("not seen"), out);
        assertTrue(out.contains("single wake taken by a 1 ms wait that timed out (its alert left pending): seen"), out);

        pb = new ProcessBuilder(program.toString(), "sizes");
        pb.environment().put("WOA_EMULATOR_WINDOWS_BEHAVIOURS", "wine,bogus");
        pb.redirectErrorStream(true);
        p = pb.start();
        out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.contains("unknown behaviour 'bogus' ignored"), out);
    }
}
