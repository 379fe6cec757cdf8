package dev.waitonaddress.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.Watchdog;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Mutex} in one process: exclusion, the Lock contracts, the word protocol, bad input. */
class MutexTest {
    static Stream<Configs.Config> configs() {
        return Configs.all();
    }

    /** A plain counter: only the mutex keeps its increments from being lost. */
    static final class Counter {
        long value;
        int inside;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void mutualExclusionOfPlainIncrements(Configs.Config c) throws Exception {
        Mutex m = c.mutex();
        int threads = 4;
        int increments = 20_000;
        Counter counter = new Counter();
        AtomicInteger overlaps = new AtomicInteger();
        Watchdog.run(Duration.ofSeconds(60), "mutual exclusion " + c, () -> {
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    for (int i = 0; i < increments; i++) {
                        m.lock();
                        try {
                            if (++counter.inside != 1) {
                                overlaps.incrementAndGet();
                            }
                            counter.value++;
                            counter.inside--;
                        } finally {
                            m.unlock();
                        }
                    }
                }, "incrementer-" + t);
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) {
                th.join();
            }
            return null;
        });
        assertEquals((long) threads * increments, counter.value);
        assertEquals(0, overlaps.get());
        assertFalse(m.isLocked());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void tryLockAndOwnership(Configs.Config c) throws Exception {
        Mutex m = c.mutex();
        assertTrue(m.tryLock());
        assertTrue(m.isHeldByCurrentThread());
        assertFalse(m.tryLock(), "not reentrant");
        AtomicReference<Throwable> other = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                assertFalse(m.tryLock());
                assertFalse(m.isHeldByCurrentThread());
                assertThrows(IllegalMonitorStateException.class, m::unlock);
            } catch (Throwable e) {
                other.set(e);
            }
        });
        t.start();
        t.join();
        if (other.get() != null) {
            throw new AssertionError(other.get());
        }
        m.unlock();
        assertThrows(IllegalMonitorStateException.class, m::unlock, "unlocked twice");
        assertFalse(m.isLocked());
        assertTrue(m.isConsistent());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void timedTryLockNeverEarlyAndHandOff(Configs.Config c) throws Exception {
        Mutex m = c.mutex();
        Watchdog.run(Duration.ofSeconds(30), "timed tryLock " + c, () -> {
            m.lock();
            AtomicReference<Object> result = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    long t0 = System.nanoTime();
                    boolean got = m.tryLock(50, TimeUnit.MILLISECONDS);
                    long waited = System.nanoTime() - t0;
                    result.set(got ? "taken" : waited >= 50_000_000L ? "timed out" : "early after " + waited);
                } catch (Throwable e) {
                    result.set(e);
                }
            });
            t.start();
            t.join();
            assertEquals("timed out", result.get());
            // a waiter without a time-out gets it when the holder unlocks
            CountDownLatch waiting = new CountDownLatch(1);
            Thread u = new Thread(() -> {
                waiting.countDown();
                m.lock();
                result.set(m.isHeldByCurrentThread() ? "taken" : "not held");
                m.unlock();
            });
            u.start();
            waiting.await();
            Thread.sleep(20);
            m.unlock();
            u.join();
            assertEquals("taken", result.get());
            return null;
        });
        assertTrue(m.tryLock(0, TimeUnit.SECONDS));
        m.unlock();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void interrupts(Configs.Config c) throws Exception {
        Mutex m = c.mutex();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, m::lockInterruptibly, "status set on entry");
        assertFalse(Thread.currentThread().isInterrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> m.tryLock(1, TimeUnit.SECONDS));
        assertFalse(Thread.currentThread().isInterrupted());
        Watchdog.run(Duration.ofSeconds(30), "interrupts " + c, () -> {
            m.lock();
            AtomicReference<String> result = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    m.lockInterruptibly();
                    result.set("taken");
                } catch (InterruptedException e) {
                    result.set(Thread.currentThread().isInterrupted() ? "status still set" : "interrupted");
                }
            });
            t.start();
            Thread.sleep(30);
            t.interrupt();
            t.join();
            assertEquals("interrupted", result.get());
            // lock() ignores the interrupt, takes the lock later, and sets the status again
            Thread u = new Thread(() -> {
                m.lock();
                result.set(Thread.currentThread().isInterrupted() ? "taken, status set" : "taken, status lost");
                m.unlock();
            });
            u.start();
            Thread.sleep(30);
            u.interrupt();
            Thread.sleep(30);
            assertTrue(u.isAlive(), "lock() must not give up on interrupt");
            m.unlock();
            u.join();
            assertEquals("taken, status set", result.get());
            return null;
        });
    }

    @Test
    void privateWordProtocol() throws Exception {
        ByteBuffer mem = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
        Mutex m = Mutex.wrap(mem, 0, Scope.PRIVATE);
        m.lock();
        assertEquals(Mutex.LOCKED, mem.getInt(0));
        Thread t = new Thread(m::lock);
        t.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (mem.getInt(0) != Mutex.CONTENDED && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        assertEquals(Mutex.CONTENDED, mem.getInt(0), "a sleeper marks the word contended");
        m.unlock();
        t.join(10_000);
        assertFalse(t.isAlive());
        assertEquals(Mutex.CONTENDED, mem.getInt(0), "taken after sleeping: contended (conservatively)");
    }

    @Test
    void sharedWordProtocol() throws Exception {
        WaitOnAddress system = WaitOnAddress.system();
        org.junit.jupiter.api.Assumptions.assumeTrue(system.capabilities().shared(), "no SHARED scope here");
        ByteBuffer mem = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
        Mutex m = Mutex.wrap(mem, 0, Scope.SHARED);
        int pid = (int) ProcessHandle.current().pid();
        m.lock();
        assertEquals(pid, mem.getInt(0), "the word records the owner's process id");
        Thread t = new Thread(m::lock);
        t.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (mem.getInt(0) != (pid | Mutex.WAITERS_BIT) && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        assertEquals(pid | Mutex.WAITERS_BIT, mem.getInt(0), "a sleeper sets the waiters bit");
        m.unlock();
        t.join(10_000);
        assertFalse(t.isAlive());
        // a word naming another (live) process: unlock refuses
        Mutex other = Mutex.wrap(mem, 0, Scope.SHARED);
        mem.putInt(0, 0);
        other.lock();
        mem.putInt(0, 1); // pid 1 (init) holds it, as far as the word says
        assertThrows(IllegalMonitorStateException.class, other::unlock);
        mem.putInt(0, pid);
        other.unlock();
        assertEquals(0, mem.getInt(0));
    }

    @Test
    void badInput() throws Exception {
        WaitOnAddress system = WaitOnAddress.system();
        assertThrows(NullPointerException.class, () -> Mutex.wrap((Pointer) null, Scope.PRIVATE));
        assertThrows(NullPointerException.class, () -> Mutex.wrap((ByteBuffer) null, 0, Scope.PRIVATE));
        assertThrows(NullPointerException.class, () -> Mutex.wrap(ByteBuffer.allocateDirect(8), 0, null));
        assertThrows(NullPointerException.class, () -> Mutex.wrap(null, ByteBuffer.allocateDirect(8), 0, Scope.PRIVATE));
        assertThrows(IllegalArgumentException.class, () -> Mutex.wrap(new Pointer(0), Scope.PRIVATE));
        Memory mem = new Memory(16);
        assertThrows(IllegalArgumentException.class, () -> Mutex.wrap(mem.share(2), Scope.PRIVATE), "misaligned");
        assertThrows(IllegalArgumentException.class, () -> Semaphore.wrap(new Memory(4), Scope.PRIVATE), "too small");
        ByteBuffer direct = ByteBuffer.allocateDirect(128).alignedSlice(64);
        direct.limit(64);
        assertThrows(IllegalArgumentException.class, () -> Mutex.wrap(direct, 1, Scope.PRIVATE), "misaligned");
        assertThrows(IllegalArgumentException.class, () -> Mutex.wrap(ByteBuffer.allocate(8), 0, Scope.PRIVATE),
                "heap");
        assertThrows(IllegalArgumentException.class, () -> Mutex.wrap(direct.asReadOnlyBuffer(), 0, Scope.PRIVATE),
                "read-only");
        assertThrows(IndexOutOfBoundsException.class, () -> Mutex.wrap(direct, 64, Scope.PRIVATE));
        Mutex.wrap(direct, 60, Scope.PRIVATE); // the last word fits
        assertThrows(IndexOutOfBoundsException.class, () -> Barrier.wrap(direct, 56, Scope.PRIVATE), "too small");
        assertThrows(IndexOutOfBoundsException.class, () -> Mutex.wrap(direct, -4, Scope.PRIVATE));
        assertThrows(NullPointerException.class, () -> Mutex.allocate().tryLock(1, null));
        WaitOnAddress portable = Backend.named("portable");
        assertThrows(UnsupportedOperationException.class, () -> Mutex.wrap(portable, direct, 0, Scope.SHARED),
                "portable has no SHARED scope");
        if (system.capabilities().shared()) {
            Mutex shared = Mutex.wrap(direct, 0, Scope.SHARED);
            assertThrows(UnsupportedOperationException.class, shared::newCondition);
        }
        // a view does not change the memory
        direct.putInt(0, 7);
        Mutex.wrap(direct, 0, Scope.PRIVATE);
        assertEquals(7, direct.getInt(0));
    }
}
