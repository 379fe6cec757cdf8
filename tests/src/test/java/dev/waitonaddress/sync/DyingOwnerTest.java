package dev.waitonaddress.sync;

import static dev.waitonaddress.sync.CrossProcessSyncTest.MUTEX;
import static dev.waitonaddress.sync.CrossProcessSyncTest.SIZE;
import static dev.waitonaddress.sync.CrossProcessSyncTest.buffer;
import static dev.waitonaddress.sync.CrossProcessSyncTest.peer;
import static dev.waitonaddress.sync.CrossProcessSyncTest.reader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.ChildJvm;
import dev.waitonaddress.testing.NativeArtefacts;
import dev.waitonaddress.testing.SharedMemory;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.io.BufferedReader;
import java.nio.MappedByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A process killed with SIGKILL while it holds a SHARED mutex, or while it waits for one: the
 * survivors take the lock within the documented bound (one re-check interval, plus the time to
 * notice; the test allows {@value #SLACK_MILLIS} ms on top for a loaded machine), the first learns
 * that the owner died ({@link Mutex#isConsistent()} false), repairs and goes on. The cheap child
 * is the C {@code sync-peer} ({@value #C_REPETITIONS} repetitions); a child JVM is dearer:
 * {@code -Dwoa.sync.jvmRepetitions=N} (default {@value #DEFAULT_JVM_REPETITIONS}) for each JVM case.
 */
class DyingOwnerTest {
    static final int C_REPETITIONS = 100;
    static final int DEFAULT_JVM_REPETITIONS = 3;
    static final long SLACK_MILLIS = 1_500;
    static final long BOUND_NANOS = TimeUnit.MILLISECONDS.toNanos(Mutex.DEFAULT_RECHECK_MILLIS + SLACK_MILLIS);

    @BeforeEach
    void requireShared() {
        Strict.require(WaitOnAddress.system().capabilities().shared(),
                "the system backend " + WaitOnAddress.system().name() + " has no SHARED scope");
    }

    /** @return the watchdog limit of a run: under the default JUnit time-out for the default counts */
    static Duration watchdog(int repetitions) {
        return Duration.ofSeconds(Math.max(100, repetitions * 3L));
    }

    static int jvmRepetitions() {
        return Integer.getInteger("woa.sync.jvmRepetitions", DEFAULT_JVM_REPETITIONS);
    }

    /** Starts a holder; returns once it holds the lock. */
    interface Holder {
        Process start(SharedMemory shm) throws Exception;
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void cHolderKilled() throws Exception {
        String peer = NativeArtefacts.require("sync-peer").toString();
        holderKilled("C holder", C_REPETITIONS, shm -> {
            Process p = peer(peer, shm, MUTEX, "mutex-hold");
            assertEquals("locked ok", reader(p).readLine());
            return p;
        });
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES) // for -Dwoa.sync.jvmRepetitions=100; the watchdog bounds each run
    void jvmHolderKilled() throws Exception {
        holderKilled("JVM holder", jvmRepetitions(), shm -> {
            Process p = ChildJvm.start(SyncChild.class, shm.file().toString(), "hold");
            assertEquals("locked", reader(p).readLine());
            return p;
        });
    }

    /**
     * Each repetition: a child takes the lock; two threads here wait for it; the child is killed.
     * The first survivor must take over within the bound and be told the owner died; it repairs
     * and unlocks; the second takes the lock normally.
     */
    private void holderKilled(String what, int repetitions, Holder holder) throws Exception {
        long[] worst = {0};
        long[] total = {0};
        try (SharedMemory shm = SharedMemory.create("woa-sync-dying", SIZE)) {
            MappedByteBuffer buf = buffer(shm);
            Mutex m = Mutex.wrap(buf, MUTEX, Scope.SHARED);
            Watchdog.run(watchdog(repetitions), what + " killed", () -> {
                for (int rep = 0; rep < repetitions; rep++) {
                    buf.putInt(MUTEX, 0);
                    Process child = holder.start(shm);
                    assertEquals((int) child.pid(), buf.getInt(MUTEX) & Mutex.OWNER_MASK, "the word names the holder");
                    AtomicInteger inconsistent = new AtomicInteger();
                    AtomicLong firstTaken = new AtomicLong();
                    AtomicReference<Throwable> failure = new AtomicReference<>();
                    List<Thread> survivors = new ArrayList<>();
                    for (int s = 0; s < 2; s++) {
                        Thread t = new Thread(() -> {
                            try {
                                m.lock();
                                firstTaken.compareAndSet(0, System.nanoTime());
                                if (!m.isConsistent()) {
                                    inconsistent.incrementAndGet();
                                    m.markConsistent();
                                }
                                m.unlock();
                            } catch (Throwable e) {
                                failure.compareAndSet(null, e);
                            }
                        });
                        survivors.add(t);
                        t.start();
                    }
                    while ((buf.getInt(MUTEX) & Mutex.WAITERS_BIT) == 0) {
                        Thread.sleep(1); // a survivor is waiting
                    }
                    long killed = System.nanoTime();
                    child.destroyForcibly();
                    for (Thread t : survivors) {
                        t.join();
                    }
                    assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                    if (failure.get() != null) {
                        throw new AssertionError(failure.get());
                    }
                    long took = firstTaken.get() - killed;
                    worst[0] = Math.max(worst[0], took);
                    total[0] += took;
                    assertTrue(took <= BOUND_NANOS, "repetition " + rep + ": the lock was taken over only after "
                            + took / 1_000_000 + " ms");
                    assertEquals(1, inconsistent.get(), "repetition " + rep + ": exactly one survivor learns that the owner died");
                    assertEquals(0, buf.getInt(MUTEX), "free, repaired");
                }
                return null;
            });
        }
        System.out.println("[woa] dying owner, " + what + ": " + repetitions + " repetitions, 0 hangs; take-over "
                + (repetitions == 0 ? 0 : total[0] / repetitions / 1_000_000) + " ms on average, worst "
                + worst[0] / 1_000_000 + " ms (re-check interval " + Mutex.DEFAULT_RECHECK_MILLIS + " ms)");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void cWaiterKilled() throws Exception {
        String peer = NativeArtefacts.require("sync-peer").toString();
        waiterKilled("C waiter", C_REPETITIONS, shm -> peer(peer, shm, MUTEX, "mutex-wait"));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void jvmWaiterKilled() throws Exception {
        waiterKilled("JVM waiter", jvmRepetitions(), shm -> ChildJvm.start(SyncChild.class, shm.file().toString(), "wait"));
    }

    /**
     * Each repetition: this process holds the lock; a child and a thread here wait for it; the
     * child is killed, either asleep or just after the unlock woke it (it may have taken the lock
     * by then). The surviving waiter must get the lock within the bound either way.
     */
    private void waiterKilled(String what, int repetitions, Holder starter) throws Exception {
        long[] worst = {0};
        int[] tookOver = {0};
        SplittableRandom rnd = new SplittableRandom(42);
        try (SharedMemory shm = SharedMemory.create("woa-sync-dying-waiter", SIZE)) {
            MappedByteBuffer buf = buffer(shm);
            Mutex m = Mutex.wrap(buf, MUTEX, Scope.SHARED);
            Mutex survivorView = Mutex.wrap(buf, MUTEX, Scope.SHARED);
            Watchdog.run(watchdog(repetitions), what + " killed", () -> {
                for (int rep = 0; rep < repetitions; rep++) {
                    buf.putInt(MUTEX, 0);
                    m.lock();
                    Process child = starter.start(shm);
                    BufferedReader out = reader(child);
                    assertEquals("waiting", out.readLine());
                    AtomicLong taken = new AtomicLong();
                    AtomicReference<Throwable> failure = new AtomicReference<>();
                    AtomicInteger inconsistent = new AtomicInteger();
                    Thread survivor = new Thread(() -> {
                        try {
                            survivorView.lock();
                            taken.set(System.nanoTime());
                            if (!survivorView.isConsistent()) {
                                inconsistent.incrementAndGet();
                                survivorView.markConsistent();
                            }
                            survivorView.unlock();
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    });
                    survivor.start();
                    while ((buf.getInt(MUTEX) & Mutex.WAITERS_BIT) == 0) {
                        Thread.sleep(1);
                    }
                    Thread.sleep(5); // both asleep, most likely
                    boolean afterUnlock = rnd.nextBoolean();
                    long killed;
                    if (afterUnlock) {
                        m.unlock(); // wakes one: maybe the child, which may take the lock and die with it
                        killed = System.nanoTime();
                        child.destroyForcibly();
                    } else {
                        killed = System.nanoTime();
                        child.destroyForcibly();
                        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                        m.unlock();
                    }
                    survivor.join();
                    assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                    if (failure.get() != null) {
                        throw new AssertionError(failure.get());
                    }
                    long took = taken.get() - killed;
                    worst[0] = Math.max(worst[0], took);
                    tookOver[0] += inconsistent.get();
                    assertTrue(took <= BOUND_NANOS, "repetition " + rep + ": the survivor waited " + took / 1_000_000 + " ms");
                    assertTrue(afterUnlock || inconsistent.get() == 0, "nobody died holding the lock");
                    // woken by the survivor's unlock, the child may have taken the lock and died with it
                    long t0 = System.nanoTime();
                    m.lock();
                    assertTrue(System.nanoTime() - t0 <= BOUND_NANOS, "repetition " + rep + ": taken only after "
                            + (System.nanoTime() - t0) / 1_000_000 + " ms");
                    if (!m.isConsistent()) {
                        assertTrue(afterUnlock, "nobody died holding the lock");
                        tookOver[0]++;
                        m.markConsistent();
                    }
                    m.unlock();
                    assertEquals(0, buf.getInt(MUTEX));
                }
                return null;
            });
        }
        System.out.println("[woa] dying waiter, " + what + ": " + repetitions + " repetitions, 0 hangs; worst wait "
                + worst[0] / 1_000_000 + " ms; " + tookOver[0] + " times the woken child had taken the lock before it died");
    }

    /**
     * A survivor takes over and releases without repairing: the lock becomes not recoverable, a
     * waiter asleep at that moment and every later attempt (Java and C) are refused, until the
     * word is reset to 0.
     */
    @Test
    void unrepairedLockBecomesNotRecoverable() throws Exception {
        String peer = NativeArtefacts.require("sync-peer").toString();
        try (SharedMemory shm = SharedMemory.create("woa-sync-notrecoverable", SIZE)) {
            MappedByteBuffer buf = buffer(shm);
            Mutex m = Mutex.wrap(buf, MUTEX, Scope.SHARED);
            Mutex other = Mutex.wrap(buf, MUTEX, Scope.SHARED);
            Watchdog.run(Duration.ofSeconds(60), "not recoverable", () -> {
                Process child = peer(peer, shm, MUTEX, "mutex-hold");
                assertEquals("locked ok", reader(child).readLine());
                child.destroyForcibly();
                assertTrue(m.tryLock(10, TimeUnit.SECONDS), "taken over within the time-out");
                assertFalse(m.isConsistent(), "taken from a dead owner");
                AtomicReference<Object> second = new AtomicReference<>();
                Thread waiter = new Thread(() -> {
                    try {
                        other.lock();
                        second.set("taken");
                    } catch (Throwable e) {
                        second.set(e);
                    }
                });
                waiter.start();
                Thread.sleep(50); // asleep on the word, most likely
                m.unlock(); // without markConsistent()
                waiter.join();
                assertTrue(second.get() instanceof NotRecoverableException, String.valueOf(second.get()));
                assertEquals(Mutex.NOT_RECOVERABLE, buf.getInt(MUTEX));
                assertTrue(m.isNotRecoverable());
                assertThrows(NotRecoverableException.class, m::tryLock);
                assertThrows(NotRecoverableException.class, m::lock);
                Process c = peer(peer, shm, MUTEX, "mutex-wait");
                BufferedReader out = reader(c);
                assertEquals("waiting", out.readLine());
                assertEquals("locked notrecoverable", out.readLine());
                assertTrue(c.waitFor(10, TimeUnit.SECONDS));
                assertEquals(5, c.exitValue());
                buf.putInt(MUTEX, 0); // everyone agreed to start over
                m.lock();
                assertTrue(m.isConsistent());
                m.unlock();
                return null;
            });
        }
    }

}
