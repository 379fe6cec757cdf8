package dev.waitonaddress.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.ChildJvm;
import dev.waitonaddress.testing.EveryRun;
import dev.waitonaddress.testing.SharedMemory;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A dying peer: this process and a second JVM ({@link DyingPeerChild}) hand a turn back and forth
 * on a SHARED word of a mapped file; the peer is killed ({@link Process#destroyForcibly()}) at
 * random points of the handoff, half of the time while it surely sleeps in {@code await} (this
 * side holds its turn first). The survivor keeps working: its timed waits notice that nobody
 * answers (a dead peer cannot wake anyone: that is why a cross-process protocol needs time-outs or
 * a liveness check), a restarted peer joins at the turn the word holds, and handoffs go on.
 * Finally the last peer is asked to stop and must exit cleanly. Every backend of the run with
 * SHARED scope.
 */
@EveryRun
class ReliabilityDyingPeerTest {
    /** @return the backends to test: those of the run (those without SHARED scope are skipped) */
    private static List<WaitOnAddress> backends() {
        return ReliabilityBackends.ofThisRun();
    }

    @TestFactory
    public Stream<DynamicTest> survivorKeepsWorking() {
        List<WaitOnAddress> backends = backends().stream().filter(b -> b.capabilities().shared())
                .collect(Collectors.toList());
        Strict.require(!backends.isEmpty(), "no backend of this kind with SHARED scope is available here");
        return backends.stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> dyingPeers(b)));
    }

    /** The JVM options a child needs to see the same backends (the library overrides). */
    private static List<String> childOptions() {
        List<String> opts = new ArrayList<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("dev.waitonaddress."))
                .forEach(k -> opts.add("-D" + k + "=" + System.getProperty(k)));
        return opts;
    }

    private void dyingPeers(WaitOnAddress woa) throws Exception {
        int kills = ReliabilityBackends.scaled(5);
        SplittableRandom rnd = new SplittableRandom(7);
        try (SharedMemory shm = SharedMemory.create("woa-dying-peer", 64)) {
            Pointer word = shm.pointer();
            Pointer stop = shm.pointer().share(8);
            long[] handoffs = {0};
            List<String> log = new ArrayList<>();
            Watchdog.run(Duration.ofSeconds(180), "dying peers " + woa.name(), () -> {
                for (int life = 0; life <= kills; life++) {
                    Process child = ChildJvm.start(DyingPeerChild.class, childOptions(), shm.file().toString(),
                            woa.name());
                    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                            StandardCharsets.UTF_8));
                    assertEquals("ready", out.readLine(), "peer " + life + " did not start");
                    boolean last = life == kills;
                    long before = handoffs[0];
                    // hand off until a random point (a count of this side's turns), then kill there
                    long target = last ? 2_000 : 1 + rnd.nextInt(3_000);
                    boolean holdFirst = !last && rnd.nextBoolean();
                    for (long i = 0; i < target; i++) {
                        if (!takeTurn(woa, word, child)) {
                            break;
                        }
                        handoffs[0]++;
                    }
                    assertTrue(handoffs[0] - before > 0 || !child.isAlive(), "no progress with peer " + life);
                    if (last) {
                        stop.setInt(0, 1);
                        woa.wakeAll(word, Width.INT32, Scope.SHARED);
                        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the last peer did not stop");
                        assertEquals(0, child.exitValue());
                        log.add("peer " + life + ": " + out.readLine() + ", exited cleanly");
                    } else {
                        if (holdFirst) {
                            waitForTurn(woa, word, child); // our turn: the peer now sleeps in await
                            Thread.sleep(20);
                        } else {
                            Thread.sleep(rnd.nextInt(3)); // anywhere in the peer's loop
                        }
                        child.destroyForcibly();
                        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                        log.add("peer " + life + ": killed " + (holdFirst ? "while waiting" : "mid-handoff")
                                + " after " + (handoffs[0] - before) + " of our turns");
                        // the survivor keeps working: a timed wait on the word still behaves
                        int v = word.getInt(0);
                        long t0 = System.nanoTime();
                        WaitResult r = woa.await(word, Width.INT32, v, Scope.SHARED, 20, TimeUnit.MILLISECONDS);
                        assertEquals(WaitResult.TIMED_OUT, r, "nobody is left to change the word");
                        assertTrue(System.nanoTime() - t0 >= 20_000_000L, woa.name() + " INT32 SHARED: a 20 ms time-out returned early");
                    }
                }
                return null;
            });
            ReliabilityBackends.report("dying peer " + woa.name() + ": " + kills + " peers killed, "
                    + handoffs[0] + " handoffs by the survivor across " + (kills + 1) + " peers; " + log);
        }
    }

    /** Waits for an even value (our turn) with timed waits; false if the peer died meanwhile. */
    private static boolean waitForTurn(WaitOnAddress woa, Pointer word, Process child) throws InterruptedException {
        int v;
        while (((v = word.getInt(0)) & 1) == 1) {
            if (!child.isAlive()) {
                return false;
            }
            woa.await(word, Width.INT32, v, Scope.SHARED, 100, TimeUnit.MILLISECONDS);
        }
        return true;
    }

    private static boolean takeTurn(WaitOnAddress woa, Pointer word, Process child) throws InterruptedException {
        if (!waitForTurn(woa, word, child)) {
            return false;
        }
        word.setInt(0, word.getInt(0) + 1);
        woa.wakeAll(word, Width.INT32, Scope.SHARED);
        return true;
    }
}
