package dev.waitonaddress.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.ChildJvm;
import dev.waitonaddress.testing.NativeArtefacts;
import dev.waitonaddress.testing.SharedMemory;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SHARED synchronizers across processes: three JVMs incrementing a plain counter under one
 * mutex in a mapped file, and C programs ({@code sync-peer}, raw futex calls by the documented
 * word protocols) taking part in each type next to Java.
 */
class CrossProcessSyncTest {
    /** The size of the shared file. */
    static final int SIZE = 4096;
    /** Offsets in the file. */
    static final int MUTEX = 0;
    static final int COUNTER = 64;
    static final int CONDITION = 128;
    static final int FLAG = 192;
    static final int SEMAPHORE = 256;
    static final int LATCH = 320;
    static final int BARRIER = 384;
    static final int EVENT = 448;

    @BeforeEach
    void requireShared() {
        Strict.require(WaitOnAddress.system().capabilities().shared(),
                "the system backend " + WaitOnAddress.system().name() + " has no SHARED scope");
    }

    static MappedByteBuffer buffer(SharedMemory shm) {
        MappedByteBuffer b = shm.buffer();
        b.order(ByteOrder.nativeOrder());
        return b;
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // three JVMs start on a loaded machine; the watchdog bounds it
    void threeJvmsIncrementAPlainCounter() throws Exception {
        int jvms = 3;
        int threads = 2;
        int increments = 20_000;
        try (SharedMemory shm = SharedMemory.create("woa-sync-3jvm", SIZE)) {
            MappedByteBuffer buf = buffer(shm);
            Watchdog.run(Duration.ofSeconds(240), "three JVMs under one mutex", () -> {
                List<Process> ps = new ArrayList<>();
                for (int j = 0; j < jvms; j++) {
                    ps.add(ChildJvm.start(SyncChild.class, shm.file().toString(), "count", Integer.toString(threads),
                            Integer.toString(increments)));
                }
                for (Process p : ps) {
                    assertEquals("done", reader(p).readLine());
                    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                    assertEquals(0, p.exitValue());
                }
                return null;
            });
            assertEquals((long) jvms * threads * increments, buf.getLong(COUNTER));
            assertEquals(0, buf.getInt(MUTEX), "free at the end, no waiters bit left");
        }
    }

    @Test
    void cProgramsAndJavaThreadsIncrementAPlainCounter() throws Exception {
        String peer = NativeArtefacts.require("sync-peer").toString();
        int peers = 2;
        int threads = 2;
        int increments = 50_000;
        try (SharedMemory shm = SharedMemory.create("woa-sync-c", SIZE)) {
            MappedByteBuffer buf = buffer(shm);
            Mutex m = Mutex.wrap(buf, MUTEX, Scope.SHARED);
            Watchdog.run(Duration.ofSeconds(100), "C peers and Java threads under one mutex", () -> {
                List<Process> ps = new ArrayList<>();
                for (int j = 0; j < peers; j++) {
                    ps.add(peer(peer, shm, MUTEX, "mutex-count", increments, COUNTER));
                }
                List<Thread> ts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Thread th = new Thread(() -> {
                        for (int i = 0; i < increments; i++) {
                            m.lock();
                            buf.putLong(COUNTER, buf.getLong(COUNTER) + 1);
                            m.unlock();
                        }
                    });
                    ts.add(th);
                    th.start();
                }
                for (Thread th : ts) {
                    th.join();
                }
                for (Process p : ps) {
                    assertEquals("done " + increments + " ownerdead 0", reader(p).readLine());
                    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                    assertEquals(0, p.exitValue());
                }
                return null;
            });
            assertEquals((long) (peers + threads) * increments, buf.getLong(COUNTER));
            assertEquals(0, buf.getInt(MUTEX));
        }
    }

    /** C waiters moved onto the mutex word by a Java signalAll, and Java waiters by a C one. */
    @Test
    void conditionWithCPeers() throws Exception {
        String peer = NativeArtefacts.require("sync-peer").toString();
        try (SharedMemory shm = SharedMemory.create("woa-sync-cond", SIZE)) {
            MappedByteBuffer buf = buffer(shm);
            Mutex m = Mutex.wrap(buf, MUTEX, Scope.SHARED);
            Condition cond = Condition.wrap(m, buf, CONDITION);
            Watchdog.run(Duration.ofSeconds(60), "condition with C peers", () -> {
                List<Process> ps = new ArrayList<>();
                List<BufferedReader> outs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Process p = peer(peer, shm, CONDITION, "cond-wait", MUTEX, FLAG);
                    BufferedReader out = reader(p);
                    assertEquals("waiting", out.readLine());
                    ps.add(p);
                    outs.add(out);
                }
                Thread.sleep(50); // asleep on the condition word
                m.lock();
                buf.putInt(FLAG, 1);
                cond.signalAll(); // requeued onto the mutex word where the backend can
                m.unlock();
                for (int i = 0; i < ps.size(); i++) {
                    Process p = ps.get(i);
                    assertEquals("woken", outs.get(i).readLine());
                    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                    assertEquals(0, p.exitValue());
                }
                // and the other way round: Java waiters, a C signaller that requeues
                buf.putInt(FLAG, 0);
                List<Thread> ts = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Thread t = new Thread(() -> {
                        m.lock();
                        try {
                            while (buf.getInt(FLAG) == 0) {
                                cond.awaitUninterruptibly();
                            }
                        } finally {
                            m.unlock();
                        }
                    });
                    ts.add(t);
                    t.start();
                }
                while (buf.getInt(CONDITION + 4) < 3) {
                    Thread.sleep(1);
                }
                Process signaller = peer(peer, shm, CONDITION, "cond-signal-all", MUTEX, FLAG);
                assertEquals("signalled", reader(signaller).readLine());
                for (Thread t : ts) {
                    t.join();
                }
                return null;
            });
            assertEquals(0, buf.getInt(MUTEX));
            assertEquals(0, buf.getInt(CONDITION + 4), "no waiter counted any more");
        }
    }

    @Test
    void semaphoreLatchBarrierEventWithCPeers() throws Exception {
        String peer = NativeArtefacts.require("sync-peer").toString();
        try (SharedMemory shm = SharedMemory.create("woa-sync-types", SIZE)) {
            MappedByteBuffer buf = buffer(shm);
            Watchdog.run(Duration.ofSeconds(60), "semaphore, latch, barrier, event with C peers", () -> {
                Semaphore s = Semaphore.wrap(buf, SEMAPHORE, Scope.SHARED);
                Process acquirer = peer(peer, shm, SEMAPHORE, "sem-acquire", 5);
                Thread.sleep(50);
                s.release(5);
                assertEquals("acquired 5", reader(acquirer).readLine());
                Process releaser = peer(peer, shm, SEMAPHORE, "sem-release", 3);
                for (int i = 0; i < 3; i++) {
                    assertTrue(s.tryAcquire(10, TimeUnit.SECONDS));
                }
                assertEquals("released 3", reader(releaser).readLine());
                assertEquals(0, s.availablePermits());

                Latch l = Latch.wrap(buf, LATCH, Scope.SHARED).initialize(3);
                Process a1 = peer(peer, shm, LATCH, "latch-arrive");
                Process a2 = peer(peer, shm, LATCH, "latch-arrive");
                l.arriveAndWait();
                assertEquals("released", reader(a1).readLine());
                assertEquals("released", reader(a2).readLine());

                Barrier b = Barrier.wrap(buf, BARRIER, Scope.SHARED).initialize(2);
                Process party = peer(peer, shm, BARRIER, "barrier", 200);
                for (int i = 0; i < 200; i++) {
                    assertEquals(i, b.arriveAndWait());
                }
                assertEquals("phases 199", reader(party).readLine());

                Event e = Event.wrap(buf, EVENT, Scope.SHARED);
                Process waiter = peer(peer, shm, EVENT, "event-wait");
                Thread.sleep(50);
                e.set();
                assertEquals("set", reader(waiter).readLine());
                e.reset();
                Thread setter = new Thread(() -> {
                    try {
                        Thread.sleep(50);
                        assertEquals("done", reader(peer(peer, shm, EVENT, "event-set")).readLine());
                    } catch (Exception x) {
                        throw new AssertionError(x);
                    }
                });
                setter.start();
                assertTrue(e.await(10, TimeUnit.SECONDS));
                setter.join();
                for (Process p : List.of(acquirer, releaser, a1, a2, party, waiter)) {
                    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                    assertEquals(0, p.exitValue());
                }
                return null;
            });
        }
    }

    /** Starts {@code sync-peer FILE OFFSET MODE ARGS}; read its output through one {@link #reader}. */
    static Process peer(String peer, SharedMemory shm, int offset, String mode, Object... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(peer, shm.file().toString(), Integer.toString(offset), mode));
        for (Object a : args) {
            cmd.add(a.toString());
        }
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }
}
