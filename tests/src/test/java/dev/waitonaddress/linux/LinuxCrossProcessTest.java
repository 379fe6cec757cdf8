package dev.waitonaddress.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitTarget;
import dev.waitonaddress.WakeOp;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.ChildJvm;
import dev.waitonaddress.testing.NativeArtefacts;
import dev.waitonaddress.testing.SharedMemory;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Waits and wakes between processes on a file mapped {@code MAP_SHARED} by each, in both
 * directions: this JVM with a C program that calls {@code syscall(SYS_futex, ...)} itself
 * ({@code src/test/c/futex-peer.c}), and this JVM with a second JVM. A peer killed while it sleeps
 * on the word leaves the word working for everyone else.
 */
class LinuxCrossProcessTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final int WORD = 64;
    private static final int OTHER_WORD = 128;

    private final WaitOnAddress futex = Backend.named("linux-futex");
    private final List<Process> peers = new ArrayList<>();
    private SharedMemory memory;
    private SharedWordPeer word;

    @BeforeEach
    void map() throws IOException {
        memory = SharedMemory.create("woa-linux-", 4096);
        word = new SharedWordPeer(futex, memory, WORD);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : peers) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        memory.close();
    }

    private Process cPeer(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(NativeArtefacts.require("futex-peer").toString());
        cmd.add(memory.file().toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        peers.add(p);
        return p;
    }

    private Process jvmPeer(String... args) throws IOException {
        List<String> all = new ArrayList<>();
        all.add(memory.file().toString());
        all.addAll(List.of(args));
        Process p = ChildJvm.start(SharedWordPeer.class, all.toArray(new String[0]));
        peers.add(p);
        return p;
    }

    private static String line(Process p) throws IOException {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    private static String finish(Process p) throws Exception {
        String out = line(p);
        assertTrue(p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "peer ended");
        assertEquals(0, p.exitValue(), "peer exit status; its output: " + out);
        return out;
    }

    // ------------------------------------------------------------------ Java and C

    @Test
    void javaWaitsAndCWakes() throws Exception {
        Watchdog.run(LIMIT, "Java waits, C wakes", () -> {
            Process c = cPeer(Integer.toString(WORD), "kick-store-wake", "7");
            assertEquals(7, word.waitWhile(0));
            // the C peer's first FUTEX_WAKE found this JVM's thread asleep in the kernel
            assertTrue(finish(c).startsWith("kicked 1 woke "), "C woke a sleeping JVM thread");
            return null;
        });
    }

    @Test
    void cWaitsAndJavaWakes() throws Exception {
        Watchdog.run(LIMIT, "C waits, Java wakes", () -> {
            Process c = cPeer(Integer.toString(WORD), "wait", "0");
            KernelWaiters.awaitInFutex(c.pid(), -1, 1, LIMIT);
            assertEquals(1, word.storeAndWakeAll(5), "the sleeping C process was woken");
            assertEquals("woken 5 1", finish(c));
            return null;
        });
    }

    @Test
    void javaAndCHandTheWordBackAndForth() throws Exception {
        int rounds = 2000;
        Watchdog.run(LIMIT, "ping-pong with C", () -> {
            Process c = cPeer(Integer.toString(WORD), "pingpong", "1", Integer.toString(2 * rounds));
            assertEquals(rounds, word.pingPong(0, 2 * rounds));
            assertEquals(2 * rounds, word.waitWhile(2 * rounds - 1));
            assertEquals("done " + rounds, finish(c));
            return null;
        });
    }

    @Test
    void awaitAnyIsWokenByCOnASharedWord() throws Exception {
        Strict.require(futex.capabilities().awaitAny() == Capabilities.Support.NATIVE,
                "awaitAny is not futex_waitv here, so it refuses SHARED words: " + futex);
        com.sun.jna.Memory privateWord = new com.sun.jna.Memory(4);
        privateWord.setInt(0, 0);
        Pointer shared = memory.pointer().share(OTHER_WORD);
        List<WaitTarget> targets = List.of(WaitTarget.ofInt(privateWord, 0, Scope.PRIVATE),
                WaitTarget.ofInt(shared, 0, Scope.SHARED));
        Watchdog.run(LIMIT, "awaitAny woken by C", () -> {
            Process c = cPeer(Integer.toString(OTHER_WORD), "kick-store-wake", "3");
            assertEquals(1, futex.awaitAny(targets), "the SHARED word was woken");
            assertTrue(finish(c).startsWith("kicked 1 "), "C's wake found the awaitAny asleep");
            return null;
        });
    }

    @Test
    void requeueMovesASleepingCProcessToAnotherWord() throws Exception {
        Pointer other = memory.pointer().share(OTHER_WORD);
        Watchdog.run(LIMIT, "requeue a C waiter", () -> {
            Process c = cPeer(Integer.toString(WORD), "wait", "0");
            KernelWaiters.awaitInFutex(c.pid(), -1, 1, LIMIT);
            assertEquals(1, futex.requeue(word.word(), other, Scope.SHARED, 0, 0, 1), "moved, not woken");
            assertEquals(0, futex.wakeAll(word.word(), Width.INT32, Scope.SHARED), "nobody left on the first word");
            assertEquals(1, futex.wakeAll(other, Width.INT32, Scope.SHARED), "the C process now sleeps there");
            // the word still holds 0, so it goes back to sleep on it, unless it already sees the 4
            int woken = word.storeAndWakeAll(4);
            assertEquals("woken 4 " + (1 + woken), finish(c));
            return null;
        });
    }

    @Test
    void wakeOpWritesAndWakesASleepingCProcess() throws Exception {
        Pointer other = memory.pointer().share(OTHER_WORD);
        Watchdog.run(LIMIT, "wake-op a C waiter", () -> {
            Process c = cPeer(Integer.toString(WORD), "wait", "0");
            KernelWaiters.awaitInFutex(c.pid(), -1, 1, LIMIT);
            WakeOp setThreeIfZero = WakeOp.of(WakeOp.Operation.SET, 3, WakeOp.Comparison.EQ, 0);
            assertEquals(1, futex.wakeOp(other, word.word(), Scope.SHARED, 1, 1, setThreeIfZero));
            assertEquals("woken 3 1", finish(c));
            return null;
        });
    }

    // ------------------------------------------------------------------ JVM and JVM

    @Test
    void jvmWaitsAndJvmWakes() throws Exception {
        Watchdog.run(LIMIT, "JVM waits, JVM wakes", () -> {
            Process child = jvmPeer(Integer.toString(WORD), "wait", "0");
            String ready = line(child);
            assertTrue(ready != null && ready.startsWith("ready 0x"), "child said " + ready);
            long childAddress = Long.parseUnsignedLong(ready.substring("ready 0x".length()), 16);
            KernelWaiters.awaitInFutex(child.pid(), childAddress, 1, LIMIT);
            assertEquals(1, word.storeAndWakeAll(9), "the sleeping JVM thread was woken");
            assertEquals("woken 9", finish(child));
            return null;
        });
    }

    @Test
    void jvmAndJvmHandTheWordBackAndForth() throws Exception {
        int rounds = 1000;
        Watchdog.run(LIMIT, "ping-pong with a JVM", () -> {
            Process child = jvmPeer(Integer.toString(WORD), "pingpong", "1", Integer.toString(2 * rounds));
            assertEquals(rounds, word.pingPong(0, 2 * rounds));
            assertEquals(2 * rounds, word.waitWhile(2 * rounds - 1));
            assertEquals("done " + rounds, finish(child));
            return null;
        });
    }

    // ------------------------------------------------------------------ a peer dies while it sleeps

    @Test
    void aCPeerKilledWhileItSleepsLeavesTheWordWorking() throws Exception {
        Watchdog.run(LIMIT, "C peer killed", () -> {
            Process c = cPeer(Integer.toString(WORD), "wait", "0");
            KernelWaiters.awaitInFutex(c.pid(), -1, 1, LIMIT);
            killAndCheckTheWordStillWorks(c);
            return null;
        });
    }

    @Test
    void aJvmPeerKilledWhileItSleepsLeavesTheWordWorking() throws Exception {
        Watchdog.run(LIMIT, "JVM peer killed", () -> {
            Process child = jvmPeer(Integer.toString(WORD), "wait", "0");
            String ready = line(child);
            assertTrue(ready != null && ready.startsWith("ready 0x"), "child said " + ready);
            KernelWaiters.awaitInFutex(child.pid(),
                    Long.parseUnsignedLong(ready.substring("ready 0x".length()), 16), 1, LIMIT);
            killAndCheckTheWordStillWorks(child);
            return null;
        });
    }

    private void killAndCheckTheWordStillWorks(Process sleeper) throws Exception {
        sleeper.destroyForcibly(); // SIGKILL
        assertTrue(sleeper.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(137, sleeper.exitValue(), "killed by SIGKILL");
        assertEquals(0, futex.wakeAll(word.word(), Width.INT32, Scope.SHARED), "the dead sleeper left no waiter");

        // a thread of this JVM sleeps and is woken on the same word
        AtomicInteger seen = new AtomicInteger(-1);
        Thread t = new Thread(() -> {
            try {
                seen.set(word.waitWhile(0));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        KernelWaiters.awaitInFutex(KernelWaiters.self(), Pointer.nativeValue(word.word()), 1, LIMIT);
        assertEquals(1, word.storeAndWakeAll(1));
        t.join(LIMIT.toMillis());
        assertEquals(1, seen.get());

        // and a new C process is woken on it too
        Process c = cPeer(Integer.toString(WORD), "wait", "1");
        KernelWaiters.awaitInFutex(c.pid(), -1, 1, LIMIT);
        assertEquals(1, word.storeAndWakeAll(2));
        assertEquals("woken 2 1", finish(c));
    }
}
