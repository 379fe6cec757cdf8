package dev.waitonaddress.windows;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.Width;
import dev.waitonaddress.spi.Outcome;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.NativeArtefacts;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import dev.waitonaddress.testing.EmulatorRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code windows} backend bound to its contract emulator with both of Wine's behaviours
 * switched on (issue 14), under stress:
 * <ul>
 * <li>a poll (time-out 0) of a value that still equals {@code expected} never returns
 *     {@code WOKEN}, although the OS answers TRUE there: an alert left pending by a
 *     {@code wakeAll} on a word the thread waited on before, or a {@code wakeOne} racing the
 *     poll itself;
 * <li>{@code wakeOne} loses no wake-up over at least {@link #HANDOFFS} handoffs although other
 *     waiters of the same word keep timing out: polls and 1 ms waits that give up when they time
 *     out, and that the emulator makes slow at their deadline (its per-thread lag), so that a
 *     single wake often dequeues one of them as it times out and is used up there.
 * </ul>
 * Both fail on a policy that maps every TRUE to {@code WOKEN} and lets a time-out end a wait that
 * a single wake reached; the policy must turn such a poll into {@code TIMED_OUT} and pass the wake
 * on. The emulator's counters prove that each run met the behaviour it is about.
 * {@code -Dwoa.wine.stress.handoffs=N} and {@code -Dwoa.wine.stress.seconds=S} change the size
 * (defaults 1,000,000 and 90 s; the budget ends a slow run, which then fails naming its figure).
 */
@EmulatorRun
class WindowsWineBehavioursStressTest {
    static final int PENDING_ALERTS = 1;
    static final int SINGLE_WAKE_TIMEOUT = 2;
    static final long HANDOFFS = Long.getLong("woa.wine.stress.handoffs", 1_000_000);
    static final double SECONDS = Double.parseDouble(System.getProperty("woa.wine.stress.seconds", "90"));
    /** A victim re-checks for a lost wake-up this often. */
    static final long DETECT_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);
    /** How long after a completed wake a victim may still be on its way out of a timed-out wait. */
    static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    /** The emulator keeps a timing-out waiter this long in the queue before and after its sleep. */
    static final int ATTACKER_LAG_US = 20;
    static final String WHO = "windows bound to the emulator (pending-alerts, single-wake-timeout)";

    /** The emulator's control exports, bound directly (the backend binds the same library). */
    static final class Emulator {
        static native int woa_emulator_set_behaviours(int flags);

        static native int woa_emulator_set_lag_us(int microseconds);

        static native int woa_emulator_set_thread_lag_us(int microseconds);

        static native long woa_emulator_pending_alerts_used();

        static native long woa_emulator_single_wakes_used_up();
    }

    private static WaitOnAddress woa;

    @BeforeAll
    static void switchOn() throws Exception {
        Assumptions.assumeTrue(System.getProperty("dev.waitonaddress.windows.library") != null,
                "dev.waitonaddress.windows.library is not set: this test runs in the surefire execution 'emulators'");
        woa = Backend.named("windows");
        Strict.require(woa.isAvailable(), "windows is unavailable: " + woa.unavailabilityCause().orElse(null));
        Native.register(Emulator.class, NativeLibrary.getInstance(NativeArtefacts.require("libwoa-windows.so").toString()));
        Emulator.woa_emulator_set_behaviours(PENDING_ALERTS | SINGLE_WAKE_TIMEOUT);
    }

    @AfterAll
    static void switchOff() {
        if (woa != null) {
            Emulator.woa_emulator_set_behaviours(0);
            Emulator.woa_emulator_set_lag_us(0);
        }
    }

    private static final class Failures {
        final AtomicReference<Throwable> first = new AtomicReference<>();

        void add(Throwable t) {
            if (!first.compareAndSet(null, t)) {
                first.get().addSuppressed(t);
            }
        }

        Thread thread(String name, Body body) {
            Thread t = new Thread(() -> {
                try {
                    body.run();
                } catch (Throwable e) {
                    add(e);
                }
            }, name);
            t.setDaemon(true);
            return t;
        }

        void check() {
            if (first.get() != null) {
                throw new AssertionError("a stress thread failed", first.get());
            }
        }
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    private static long read(Pointer p, Width width) {
        switch (width) {
            case INT8: return p.getByte(0);
            case INT16: return p.getShort(0);
            case INT32: return p.getInt(0);
            default: return p.getLong(0);
        }
    }

    private static void write(Pointer p, Width width, long v) {
        switch (width) {
            case INT8: p.setByte(0, (byte) v); break;
            case INT16: p.setShort(0, (short) v); break;
            case INT32: p.setInt(0, (int) v); break;
            default: p.setLong(0, v);
        }
    }

    private static long truncate(long v, Width width) {
        switch (width) {
            case INT8: return (byte) v;
            case INT16: return (short) v;
            case INT32: return (int) v;
            default: return v;
        }
    }

    // ------------------------------------------------------------------ polls of an equal value

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aPollOfAnEqualValueIsNeverWoken() throws Exception {
        int polls = 2_000;
        long pendingBefore = Emulator.woa_emulator_pending_alerts_used();
        int previousLag = Emulator.woa_emulator_set_lag_us(50); // a waiter stays queued after its wake: a second alert finds it
        List<String> wrong = new ArrayList<>();
        try {
            Watchdog.run(Duration.ofSeconds(150), "polls of an equal value on " + WHO, () -> {
                for (Width width : Width.values()) {
                    if (!woa.capabilities().supports(width, Scope.PRIVATE)) {
                        continue;
                    }
                    pollAfterWakeAll(width, polls, wrong);
                    pollRacingWakeOne(width, polls, wrong);
                }
                return null;
            });
        } finally {
            Emulator.woa_emulator_set_lag_us(previousLag);
        }
        long pendingUsed = Emulator.woa_emulator_pending_alerts_used() - pendingBefore;
        System.out.println("[woa] " + WHO + ": polls of an equal value: " + pendingUsed
                + " OS calls returned TRUE on a pending alert; wrong results: " + (wrong.isEmpty() ? "none" : wrong));
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertTrue(pendingUsed > 0, WHO + ": no poll met a pending alert; the stress tested nothing");
    }

    /** A thread waits 1 ms on a word another keeps calling wakeAll on, then polls a word nobody wakes. */
    private static void pollAfterWakeAll(Width width, int polls, List<String> wrong) throws Exception {
        try (Memory m = new Memory(64)) {
            m.clear();
            Pointer hot = m.share(0);
            Pointer quiet = m.share(32);
            Failures failures = new Failures();
            AtomicLong stop = new AtomicLong();
            Thread hammer = failures.thread("wakeAll-hammer", () -> {
                while (stop.get() == 0) {
                    woa.wakeAll(hot, width, Scope.PRIVATE);
                }
            });
            hammer.start();
            int woken = 0;
            try {
                for (int i = 0; i < polls; i++) {
                    woa.await(hot, width, 0, Scope.PRIVATE, 1, TimeUnit.MILLISECONDS);
                    if (woa.await(quiet, width, 0, Scope.PRIVATE, 0, TimeUnit.NANOSECONDS) == WaitResult.WOKEN) {
                        woken++;
                    }
                }
            } finally {
                stop.set(1);
                hammer.join();
            }
            failures.check();
            if (woken > 0) {
                wrong.add(WHO + ", " + width + "/PRIVATE: a poll of an equal value returned WOKEN " + woken + " times in "
                        + polls + " polls right after 1 ms waits on a word that wakeAll hammers (must be TIMED_OUT)");
            }
        }
    }

    /** A thread polls a word that another keeps calling wakeOne on; the value never changes. */
    private static void pollRacingWakeOne(Width width, int polls, List<String> wrong) throws Exception {
        try (Memory m = new Memory(64)) {
            m.clear();
            Pointer hot = m.share(0);
            Failures failures = new Failures();
            AtomicLong stop = new AtomicLong();
            Thread hammer = failures.thread("wakeOne-hammer", () -> {
                while (stop.get() == 0) {
                    woa.wakeOne(hot, width, Scope.PRIVATE);
                }
            });
            hammer.start();
            int woken = 0;
            try {
                for (int i = 0; i < polls; i++) {
                    if (woa.await(hot, width, 0, Scope.PRIVATE, 0, TimeUnit.NANOSECONDS) == WaitResult.WOKEN) {
                        woken++;
                    }
                }
            } finally {
                stop.set(1);
                hammer.join();
            }
            failures.check();
            if (woken > 0) {
                wrong.add(WHO + ", " + width + "/PRIVATE: a poll of an equal value returned WOKEN " + woken + " times in "
                        + polls + " polls of a word that wakeOne hammers (must be TIMED_OUT)");
            }
        }
    }

    /**
     * As a reviewer would check it, at the SPI: a thread waits 1 ms (raw {@code Backend.await}) on a
     * word that another thread storms with {@code WakeByAddressAll}, then polls (0 ms) a word nobody
     * changes. The raw poll may answer {@code WOKEN} (a pending alert; the backend declares
     * {@code ambiguousSuccess}), never {@code MISMATCH}; the same poll through the policy answers
     * {@code TIMED_OUT} every time.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aPollViaTheSpiAfterWakeAllStormsOnAnotherWordIsTimedOutThroughThePolicy() throws Exception {
        dev.waitonaddress.spi.Backend raw = null;
        for (dev.waitonaddress.spi.Backend b : java.util.ServiceLoader.load(dev.waitonaddress.spi.Backend.class)) {
            if (b.name().equals("windows")) {
                raw = b;
            }
        }
        assertNotNull(raw, "no spi.Backend named windows on the class path");
        assertTrue(raw.traits().ambiguousSuccess(), "windows must declare ambiguousSuccess: its TRUE is ambiguous");
        dev.waitonaddress.spi.Backend spi = raw;
        int polls = 2_000;
        try (Memory m = new Memory(64)) {
            m.clear();
            Pointer hot = m.share(0);
            Pointer quiet = m.share(32);
            long hotAddress = Pointer.nativeValue(hot);
            long quietAddress = Pointer.nativeValue(quiet);
            Failures failures = new Failures();
            AtomicLong stop = new AtomicLong();
            Thread storm = failures.thread("WakeByAddressAll-storm", () -> {
                while (stop.get() == 0) {
                    spi.wake(hotAddress, 4, false, Integer.MAX_VALUE);
                }
            });
            int[] raws = new int[Outcome.values().length];
            int policyWoken = 0;
            int previousLag = Emulator.woa_emulator_set_lag_us(50); // a waiter stays queued after its wake: a second alert finds it
            storm.start();
            try {
                for (int i = 0; i < polls; i++) {
                    spi.await(hotAddress, 4, 0, false, true, 1); // 1 ms: the storm finds this thread
                    raws[spi.await(quietAddress, 4, 0, false, true, spi.traits().pollTimeout()).ordinal()]++;
                    spi.await(hotAddress, 4, 0, false, true, 1);
                    if (woa.await(quiet, Width.INT32, 0, Scope.PRIVATE, 0, TimeUnit.NANOSECONDS) != WaitResult.TIMED_OUT) {
                        policyWoken++;
                    }
                }
            } finally {
                stop.set(1);
                storm.join();
                Emulator.woa_emulator_set_lag_us(previousLag);
            }
            failures.check();
            System.out.println("[woa] " + WHO + ": raw SPI polls of a quiet word after WakeByAddressAll storms: "
                    + Outcome.WOKEN + " " + raws[Outcome.WOKEN.ordinal()] + ", " + Outcome.TIMED_OUT + " "
                    + raws[Outcome.TIMED_OUT.ordinal()] + " of " + polls + "; through the policy, not TIMED_OUT: " + policyWoken);
            assertEquals(0, raws[Outcome.MISMATCH.ordinal()] + raws[Outcome.FAULT.ordinal()] + raws[Outcome.RETRY.ordinal()],
                    "a raw poll of an equal value answered other than WOKEN or TIMED_OUT");
            assertEquals(0, policyWoken, "a poll of an equal value through the policy answered other than TIMED_OUT");
            assertTrue(raws[Outcome.WOKEN.ordinal()] > 0, WHO + ": no raw poll met a pending alert; the storm tested nothing");
        }
    }

    // ------------------------------------------------------------------ wakeOne against waiters that time out

    /** The figures of the handoff stress. */
    private static final class Tally {
        final AtomicLong handoffs = new AtomicLong();
        final AtomicLong lost = new AtomicLong();
        final AtomicLong slow = new AtomicLong();
        final AtomicLong attackerTimeOuts = new AtomicLong();
        final List<String> losses = new ArrayList<>();
        final long end = System.nanoTime() + (long) (SECONDS * 1e9);

        boolean over() {
            return handoffs.get() >= HANDOFFS || System.nanoTime() - end > 0;
        }

        void lost(String where) {
            lost.incrementAndGet();
            synchronized (losses) {
                if (losses.size() < 20) {
                    losses.add(where);
                }
            }
        }
    }

    /**
     * One word, two victims taking turns on it with {@code wakeOne} (each waits for its turn in
     * waits of {@link #DETECT_NANOS}), and attackers waiting on the same word with short time-outs.
     */
    private static final class Group {
        final Pointer word;
        final Width width;
        final String name;
        final long paceNanos;
        volatile long wokenSeq = -1;
        volatile long wokenAt;

        Group(Pointer word, Width width, String name, long paceNanos) {
            this.word = word;
            this.width = width;
            this.name = name;
            this.paceNanos = paceNanos;
        }

        @Override
        public String toString() {
            return WHO + ", " + width + "/PRIVATE, " + name;
        }

        /** Victim {@code me} (0 or 1): acts on even or odd sequence numbers, then publishes the next. */
        Body victim(int me, Tally tally) {
            return () -> {
                long seq = 0;
                for (;;) {
                    while ((seq & 1) != me) {
                        long expected = truncate(seq, width);
                        while (read(word, width) == expected) {
                            WaitResult r = woa.await(word, width, expected, Scope.PRIVATE, DETECT_NANOS, TimeUnit.NANOSECONDS);
                            if (r == WaitResult.TIMED_OUT && read(word, width) != expected) {
                                long now = System.nanoTime();
                                if (wokenSeq > seq && now - wokenAt > GRACE_NANOS) {
                                    tally.lost(this + ": victim " + me + " slept " + TimeUnit.NANOSECONDS.toMillis(DETECT_NANOS)
                                            + " ms through the wakeOne for sequence " + (seq + 1));
                                } else {
                                    tally.slow.incrementAndGet();
                                }
                            }
                        }
                        seq++; // only the other victim writes, one step at a time
                    }
                    boolean last = tally.over();
                    if (paceNanos > 0) {
                        LockSupport.parkNanos(paceNanos); // the word stays put a while: the attackers' waits time out
                    }
                    write(word, width, truncate(++seq, width));
                    woa.wakeOne(word, width, Scope.PRIVATE);
                    wokenAt = System.nanoTime();
                    wokenSeq = seq;
                    tally.handoffs.incrementAndGet();
                    if (last) {
                        return;
                    }
                }
            };
        }

        /**
         * Waits on the word with {@code timeoutNanos} (0: polls) for the value it reads; gives up on
         * a time-out (the case under test), and passes a wake it may have taken on when woken, as
         * every correct waiter that does not consume the state must.
         */
        Body attacker(long timeoutNanos, Tally tally, AtomicLong stop) {
            return () -> {
                Emulator.woa_emulator_set_thread_lag_us(ATTACKER_LAG_US);
                try {
                    while (stop.get() == 0) {
                        long v = read(word, width);
                        WaitResult r = woa.await(word, width, v, Scope.PRIVATE, timeoutNanos, TimeUnit.NANOSECONDS);
                        if (r == WaitResult.WOKEN) {
                            woa.wakeOne(word, width, Scope.PRIVATE);
                        } else if (r == WaitResult.TIMED_OUT) {
                            tally.attackerTimeOuts.incrementAndGet();
                        }
                    }
                } finally {
                    Emulator.woa_emulator_set_thread_lag_us(-1);
                }
            };
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void wakeOneLosesNoWakeUpToWaitersThatTimeOut() throws Exception {
        Tally tally = new Tally();
        long usedUpBefore = Emulator.woa_emulator_single_wakes_used_up();
        long t0 = System.nanoTime();
        List<Group> groups = new ArrayList<>();
        try (Memory block = new Memory(64 * 8)) {
            block.clear();
            Watchdog.run(Duration.ofSeconds((long) SECONDS + 120), "wakeOne stress on " + WHO, () -> {
                Failures failures = new Failures();
                AtomicLong stop = new AtomicLong();
                List<Thread> victims = new ArrayList<>();
                List<Thread> attackers = new ArrayList<>();
                int slot = 0;
                for (Width width : Width.values()) {
                    if (!woa.capabilities().supports(width, Scope.PRIVATE)) {
                        continue;
                    }
                    Group fast = new Group(block.share(64L * slot++), width, "ping-pong with a polling attacker", 0);
                    groups.add(fast);
                    for (int me = 0; me < 2; me++) {
                        victims.add(failures.thread(fast.name + "-" + width + "-" + me, fast.victim(me, tally)));
                    }
                    attackers.add(failures.thread("poller-" + width, fast.attacker(0, tally, stop)));
                }
                Group paced = new Group(block.share(64L * slot), Width.INT32,
                        "1 ms-paced ping-pong with 1 ms attackers", TimeUnit.MILLISECONDS.toNanos(1));
                groups.add(paced);
                for (int me = 0; me < 2; me++) {
                    victims.add(failures.thread("paced-" + me, paced.victim(me, tally)));
                }
                for (int i = 0; i < 2; i++) {
                    attackers.add(failures.thread("1ms-attacker-" + i, paced.attacker(TimeUnit.MILLISECONDS.toNanos(1), tally, stop)));
                }
                attackers.forEach(Thread::start);
                victims.forEach(Thread::start);
                try {
                    for (Thread t : victims) {
                        while (t.isAlive()) {
                            t.join(100);
                            failures.check();
                        }
                    }
                } finally {
                    stop.set(1);
                    for (Thread t : attackers) {
                        t.join();
                    }
                }
                failures.check();
                return null;
            });
        }
        double took = (System.nanoTime() - t0) / 1e9;
        long usedUp = Emulator.woa_emulator_single_wakes_used_up() - usedUpBefore;
        System.out.printf("[woa] %s: wakeOne stress: %,d handoffs in %.1f s (%,.0f/s), %d groups, lost wake-ups %d, "
                        + "slow partners %d, attacker time-outs %,d, single wakes used up by a timing-out waiter %,d%n",
                WHO, tally.handoffs.get(), took, tally.handoffs.get() / took, groups.size(), tally.lost.get(),
                tally.slow.get(), tally.attackerTimeOuts.get(), usedUp);
        assertEquals(0, tally.lost.get(), tally.lost.get() + " lost wake-ups, the first:\n" + String.join("\n", tally.losses));
        assertTrue(usedUp > 0, WHO + ": no single wake was used up by a timing-out waiter; the stress tested nothing");
        assertTrue(tally.handoffs.get() >= HANDOFFS, WHO + ": only " + tally.handoffs.get() + " handoffs in the "
                + SECONDS + " s budget (" + HANDOFFS + " wanted); no wake-up was lost in them");
    }
}
