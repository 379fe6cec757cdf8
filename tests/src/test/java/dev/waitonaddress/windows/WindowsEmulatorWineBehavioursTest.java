package dev.waitonaddress.windows;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.waitonaddress.testing.Emulators;
import dev.waitonaddress.testing.NativeArtefacts;
import dev.waitonaddress.testing.Watchdog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import dev.waitonaddress.testing.EmulatorRun;
import org.junit.jupiter.api.Test;

/**
 * The Windows contract emulator's two switchable behaviours, which Wine shows (issue 14), checked
 * by calling its exports directly: pending alerts (an alert that arrives after a wait ended makes
 * the thread's next equal-value wait, 0 ms included, return TRUE) and single-wake-timeout (a
 * waiter that WakeByAddressSingle dequeues as its deadline passes reports the time-out, and the
 * wake is used up). Each race is set up without timing: the emulator's gates hold a queued waiter
 * just before its sleep ({@link #BEFORE}) or just after it ({@link #AFTER}) while the test wakes.
 * Every test opens the gates and switches the behaviours off after itself.
 */
@EmulatorRun
class WindowsEmulatorWineBehavioursTest {
    static final int TRUE = 1;
    static final int FALSE = 0;
    static final int INFINITE = 0xFFFF_FFFF;
    static final int ERROR_TIMEOUT = 1460;
    static final int PENDING_ALERTS = 1;
    static final int SINGLE_WAKE_TIMEOUT = 2;
    static final int BEFORE = 0;
    static final int AFTER = 1;
    static final String TIMED_OUT = "FALSE " + ERROR_TIMEOUT;
    /** How long a thread that must stay asleep is watched. */
    static final long STAYS_MS = 200;

    /** The emulator's exports, bound directly. */
    static final class Emulator {
        static native int WaitOnAddress(long address, long compareAddress, long size, int milliseconds);

        static native void WakeByAddressSingle(long address);

        static native void WakeByAddressAll(long address);

        static native int woa_emulator_waiters(long address);

        static native int woa_emulator_set_behaviours(int flags);

        static native void woa_emulator_gate(int point, int closed);

        static native int woa_emulator_held(int point);
    }

    private final List<Memory> memories = new ArrayList<>();

    @BeforeAll
    static void bind() throws Exception {
        Native.register(Emulator.class, NativeLibrary.getInstance(NativeArtefacts.require("libwoa-windows.so").toString()));
    }

    @AfterEach
    void reset() {
        Emulator.woa_emulator_gate(BEFORE, 0);
        Emulator.woa_emulator_gate(AFTER, 0);
        Emulator.woa_emulator_set_behaviours(0);
        memories.forEach(Memory::close);
    }

    private long word(long value) {
        Memory m = new Memory(16);
        m.clear();
        m.setLong(0, value);
        memories.add(m);
        return Pointer.nativeValue(m);
    }

    /** A thread that makes WaitOnAddress calls one after another and records each result: "TRUE" or "FALSE 1460". */
    private static final class Waiter {
        private final List<String> results = new ArrayList<>();
        private final Thread thread;

        Waiter(String name, long[]... calls) {
            thread = new Thread(() -> {
                for (long[] c : calls) {
                    int r = Emulator.WaitOnAddress(c[0], c[1], c[2], (int) c[3]);
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

    private static long[] call(long address, long compare, int milliseconds) {
        return new long[] {address, compare, 4, milliseconds};
    }

    private static void awaitQueued(long address, int n) throws InterruptedException {
        Emulators.awaitCount("queued", () -> Emulator.woa_emulator_waiters(address), n);
    }

    private static void awaitHeld(int point, int n) throws InterruptedException {
        String what = point == BEFORE ? "held before the sleep" : "held after the sleep";
        Emulators.awaitCount(what, () -> Emulator.woa_emulator_held(point), n);
    }

    /** Asserts that {@code w} has not returned within {@link #STAYS_MS}. */
    private static void staysAsleep(Waiter w, String why) throws InterruptedException {
        Thread.sleep(STAYS_MS);
        assertEquals(0, w.returned(), why);
    }

    /** Waits until {@code w} sleeps on {@code a}: queued, and given time to pass the open gate before its sleep. */
    private static void asleep(long a, int queued) throws InterruptedException {
        awaitQueued(a, queued);
        Thread.sleep(20); // were it not asleep yet, a wake would still reach it before its sleep, with the same result
    }

    /** A waiter woken by one WakeByAddressAll, held after its sleep, and alerted again by a second one. */
    private List<String> twoWakeAllsThen(long[]... after) throws Exception {
        long a = word(0);
        long zero = word(0);
        long[][] calls = new long[after.length + 1][];
        calls[0] = call(a, zero, INFINITE);
        System.arraycopy(after, 0, calls, 1, after.length);
        Waiter w = new Waiter("twice-woken", calls);
        asleep(a, 1);
        Emulator.woa_emulator_gate(AFTER, 1);
        Emulator.WakeByAddressAll(a);
        awaitHeld(AFTER, 1);
        assertEquals(1, Emulator.woa_emulator_waiters(a), "woken by WakeByAddressAll and still queued until it leaves");
        Emulator.WakeByAddressAll(a);
        Emulator.woa_emulator_gate(AFTER, 0);
        return w.join();
    }

    @Test
    void offByDefaultASecondWakeAllLeavesNothingBehind() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "default: no pending alert", () -> {
            long a = word(0);
            long zero = word(0);
            long unwoken = word(0);
            Waiter w = new Waiter("default", call(a, zero, INFINITE), call(unwoken, zero, 0));
            asleep(a, 1);
            Emulator.woa_emulator_gate(AFTER, 1);
            Emulator.WakeByAddressAll(a);
            awaitHeld(AFTER, 1);
            assertEquals(0, Emulator.woa_emulator_waiters(a), "off, WakeByAddressAll dequeues its waiters");
            Emulator.WakeByAddressAll(a);
            Emulator.woa_emulator_gate(AFTER, 0);
            assertEquals(List.of("TRUE", TIMED_OUT), w.join(), "the poll after the wait times out");
            return null;
        });
    }

    @Test
    void pendingAlertMakesTheNextZeroMillisecondWaitReturnTrueOnce() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "pending alert, 0 ms", () -> {
            Emulator.woa_emulator_set_behaviours(PENDING_ALERTS);
            long unwoken = word(0);
            long zero = word(0);
            assertEquals(List.of("TRUE", "TRUE", TIMED_OUT), twoWakeAllsThen(call(unwoken, zero, 0), call(unwoken, zero, 0)),
                    "woken; then a poll of a word nobody wakes returns TRUE (the second alert); then the alert is used up");
            return null;
        });
    }

    @Test
    void pendingAlertMakesATimedWaitReturnAtOnceAndSurvivesAnUnequalWait() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "pending alert, timed and unequal", () -> {
            Emulator.woa_emulator_set_behaviours(PENDING_ALERTS);
            long unwoken = word(0);
            long zero = word(0);
            long one = word(1);
            long t0 = System.nanoTime();
            assertEquals(List.of("TRUE", "TRUE", "TRUE"), twoWakeAllsThen(call(unwoken, one, INFINITE), call(unwoken, zero, 10_000)),
                    "unequal: TRUE at once; then the still pending alert ends a 10 s wait");
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "the 10 s wait returned at once");
            return null;
        });
    }

    @Test
    void wakeAllRacingATimeOutLeavesTheAlertPending() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "wake all racing a time-out", () -> {
            Emulator.woa_emulator_set_behaviours(PENDING_ALERTS);
            long a = word(0);
            long zero = word(0);
            long unwoken = word(0);
            Emulator.woa_emulator_gate(AFTER, 1);
            Waiter w = new Waiter("timing-out", call(a, zero, 20), call(unwoken, zero, 0));
            awaitHeld(AFTER, 1); // its 20 ms are over, and it is still queued
            assertEquals(1, Emulator.woa_emulator_waiters(a));
            Emulator.WakeByAddressAll(a);
            Emulator.woa_emulator_gate(AFTER, 0);
            assertEquals(List.of(TIMED_OUT, "TRUE"), w.join(), "timed out, and the late alert came to the next wait");
            return null;
        });
    }

    /** One waiter times out and is held, still queued at the head; another sleeps behind it; a single wake comes. */
    private List<String> singleWakeAtTheDeadline(boolean checkSecondSleeps) throws Exception {
        long a = word(0);
        long zero = word(0);
        long unwoken = word(0);
        Emulator.woa_emulator_gate(AFTER, 1);
        Waiter first = new Waiter("timing-out", call(a, zero, 20), call(unwoken, zero, 0));
        awaitHeld(AFTER, 1); // its 20 ms are over; it is still queued, at the head
        Waiter second = new Waiter("long", call(a, zero, 10_000));
        asleep(a, 2);
        Emulator.WakeByAddressSingle(a);
        assertEquals(1, Emulator.woa_emulator_waiters(a), "the single wake dequeued one waiter");
        Emulator.woa_emulator_gate(AFTER, 0);
        List<String> r = first.join();
        if (checkSecondSleeps) {
            staysAsleep(second, "the single wake is used up: the other waiter sleeps on");
        }
        Emulator.WakeByAddressAll(a);
        second.join();
        return r;
    }

    @Test
    void singleWakeAtTheDeadlineIsUsedUpByTheWaiterThatTimesOut() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "single wake at the deadline", () -> {
            Emulator.woa_emulator_set_behaviours(SINGLE_WAKE_TIMEOUT);
            assertEquals(List.of(TIMED_OUT, TIMED_OUT), singleWakeAtTheDeadline(true),
                    "the dequeued waiter reports its time-out; without pending alerts the wake's alert is dropped");
            return null;
        });
    }

    @Test
    void withBothTheUsedUpSingleWakeLeavesItsAlertPending() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "single wake at the deadline, both behaviours", () -> {
            Emulator.woa_emulator_set_behaviours(PENDING_ALERTS | SINGLE_WAKE_TIMEOUT);
            assertEquals(List.of(TIMED_OUT, "TRUE"), singleWakeAtTheDeadline(true), "timed out, and the alert came to the next wait");
            return null;
        });
    }

    @Test
    void offASingleWakeAtTheDeadlineWakes() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "default: single wake at the deadline", () -> {
            assertEquals(List.of("TRUE", TIMED_OUT), singleWakeAtTheDeadline(false),
                    "off, a dequeued waiter is woken, and nothing is left pending");
            return null;
        });
    }

    @Test
    void aZeroMillisecondWaitIsQueuedForAMomentAndCanUseUpASingleWake() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "0 ms wait takes a single wake", () -> {
            Emulator.woa_emulator_set_behaviours(SINGLE_WAKE_TIMEOUT);
            long a = word(0);
            long zero = word(0);
            Emulator.woa_emulator_gate(AFTER, 1);
            Waiter poll = new Waiter("poll", call(a, zero, 0));
            awaitHeld(AFTER, 1); // its zero-length sleep is over; it is still queued
            Waiter sleeper = new Waiter("long", call(a, zero, 10_000));
            asleep(a, 2);
            Emulator.WakeByAddressSingle(a);
            Emulator.woa_emulator_gate(AFTER, 0);
            assertEquals(List.of(TIMED_OUT), poll.join());
            staysAsleep(sleeper, "the poll used the single wake up");
            Emulator.WakeByAddressAll(a);
            assertEquals(List.of("TRUE"), sleeper.join());

            Emulator.woa_emulator_gate(BEFORE, 1);
            Waiter early = new Waiter("poll", call(a, zero, 0));
            awaitHeld(BEFORE, 1); // queued, not yet at its (zero-length) sleep
            Emulator.WakeByAddressSingle(a);
            Emulator.woa_emulator_gate(BEFORE, 0);
            assertEquals(List.of("TRUE"), early.join(), "a 0 ms wait woken by a racing single wake: TRUE, the value unchanged");
            return null;
        });
    }

    @Test
    void offAZeroMillisecondWaitIsNeverQueued() {
        Emulator.woa_emulator_gate(BEFORE, 1);
        Emulator.woa_emulator_gate(AFTER, 1);
        long a = word(0);
        long zero = word(0);
        assertEquals(FALSE, Emulator.WaitOnAddress(a, zero, 4, 0), "returns although both gates are closed: never queued");
        assertEquals(ERROR_TIMEOUT, Native.getLastError());
    }

    @Test
    void aSingleWakeCanPickAWaiterThatAWakeAllAlreadyAlerted() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "single wake after wake all", () -> {
            Emulator.woa_emulator_set_behaviours(PENDING_ALERTS);
            long a = word(0);
            long zero = word(0);
            long unwoken = word(0);
            Waiter first = new Waiter("woken-by-all", call(a, zero, INFINITE), call(unwoken, zero, 0));
            asleep(a, 1);
            Emulator.woa_emulator_gate(AFTER, 1);
            Emulator.WakeByAddressAll(a);
            awaitHeld(AFTER, 1); // alerted, still queued
            Waiter second = new Waiter("queued-after", call(a, zero, 10_000));
            asleep(a, 2);
            Emulator.WakeByAddressSingle(a); // picks the first, already alerted
            Emulator.woa_emulator_gate(AFTER, 0);
            assertEquals(List.of("TRUE", "TRUE"), first.join(), "woken by the WakeByAddressAll; the single wake's alert pending");
            staysAsleep(second, "the single wake reached nobody new");
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
