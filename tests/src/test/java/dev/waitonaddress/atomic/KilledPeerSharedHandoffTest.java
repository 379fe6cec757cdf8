package dev.waitonaddress.atomic;

import static org.junit.jupiter.api.Assertions.*;

import dev.waitonaddress.AtomicWait;
import dev.waitonaddress.NativeAtomicInteger;
import dev.waitonaddress.Scope;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.ChildJvm;
import dev.waitonaddress.testing.SharedMemory;
import dev.waitonaddress.testing.Watchdog;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * SHARED handoffs between 3 JVMs through a {@link NativeAtomicInteger} in the counted layout
 * ({@code wrapShared}), with a peer killed (SIGKILL) at random points and restarted: this JVM
 * makes the turn odd and wakes; two peer JVMs race to make it even and wake this one. A peer is
 * killed either right after a handoff (it may be between its count increment and its sleep, or
 * inside its CAS) or after a pause that lets both peers fall asleep in the kernel (their counts
 * raised). A dead waiter leaves the count raised: wakes then make system calls, never lose a
 * wake-up. Every wait of this JVM is timed; a time-out while a live peer exists is a lost wake-up
 * and fails the test. Bounded: at least a fixed number of handoffs, until a fixed number of kills, under a watchdog.
 */
class KilledPeerSharedHandoffTest {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final int HANDOFFS = Integer.getInteger("woa.killStress.handoffs", 6_000);
    private static final int KILLS = Integer.getInteger("woa.killStress.kills", 8);
    private static final long WAIT_SECONDS = 10;

    @Test
    void noLostWakeUpWhenPeersDie() throws Exception {
        Assumptions.assumeTrue(AtomicWait.backend().capabilities().supports(Width.INT32, Scope.SHARED),
                AtomicWait.backend().name() + " cannot wait across processes");
        int last = Integer.MAX_VALUE - 1; // the turn value that ends the peers
        try (SharedMemory shm = SharedMemory.create("woa-killed-peer", 4096)) {
            NativeAtomicInteger turn = NativeAtomicInteger.wrapShared(shm.buffer(), 0);
            NativeAtomicInteger started = NativeAtomicInteger.wrap(shm.buffer(), 64);
            String file = shm.file().toString();
            String lastArg = Integer.toString(last);
            Process[] peers = {ChildJvm.start(KilledPeerHandoffChild.class, file, lastArg),
                    ChildJvm.start(KilledPeerHandoffChild.class, file, lastArg)};
            SplittableRandom rnd = new SplittableRandom(Long.getLong("woa.killStress.seed", System.nanoTime()));
            int[] timeouts = {0};
            int[] handoffs = {0};
            int[] kills = {0};
            int[] asleepKills = {0};
            try {
                Watchdog.run(Duration.ofSeconds(600), "SHARED handoffs with killed peers", () -> {
                    int spacing = HANDOFFS / (KILLS + 1);
                    int nextKill = spacing / 2 + rnd.nextInt(spacing);
                    int i = 0;
                    for (; i < HANDOFFS || kills[0] < KILLS; i++) { // peers start slowly: go on until all kills
                        if (i == nextKill && kills[0] < KILLS && started.get() >= 2 + kills[0]) {
                            boolean asleep = rnd.nextBoolean();
                            if (asleep) {
                                Thread.sleep(50 + rnd.nextInt(100)); // both peers spin out and sleep in the kernel
                                asleepKills[0]++;
                            }
                            int victim = rnd.nextInt(2);
                            peers[victim].destroyForcibly().waitFor();
                            kills[0]++;
                            peers[victim] = ChildJvm.start(KilledPeerHandoffChild.class, file, lastArg);
                            nextKill = i + spacing / 2 + rnd.nextInt(spacing);
                        } else if (i == nextKill) {
                            nextKill += 100; // the last replacement has not started yet: keep one live peer
                        }
                        turn.set(2 * i + 1);
                        turn.wakeAll();
                        int v;
                        while ((v = turn.get()) != 2 * i + 2) {
                            if (!turn.await(v, WAIT_SECONDS, TimeUnit.SECONDS) && turn.get() == v) {
                                timeouts[0]++;
                                assertTrue(peers[0].isAlive() || peers[1].isAlive(), "both peers died");
                                fail("a wake-up was lost: handoff " + i + " waited " + WAIT_SECONDS
                                        + " s with a live peer (kills so far " + kills[0] + ")");
                            }
                        }
                    }
                    handoffs[0] = i;
                    turn.set(last);
                    turn.wakeAll();
                    return null;
                });
                for (Process p : peers) {
                    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "a peer did not exit");
                    assertEquals(0, p.exitValue());
                }
                int count = (int) INT.getVolatile(shm.buffer(), 4);
                System.out.println("[woa] killed-peer stress: " + handoffs[0] + " SHARED handoffs across 3 JVMs, "
                        + kills[0] + " peers killed (" + asleepKills[0] + " after a pause, asleep), " + timeouts[0]
                        + " lost wake-ups, waiter count left raised by dead peers: " + count);
                assertEquals(0, timeouts[0]);
                assertTrue(count >= 0 && count <= kills[0], "the waiter count " + count + " after " + kills[0]
                        + " kills: only a dead waiter may leave it raised");
                assertEquals(KILLS, kills[0], "peers killed");
            } finally {
                for (Process p : peers) {
                    p.destroyForcibly();
                }
            }
        }
    }
}
