package dev.waitonaddress.audit;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitTarget;
import dev.waitonaddress.WakeOp;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An {@code awaitAny} that mixes an emulated width with a native INT32 word sleeps in the
 * in-process parking lot, not in the kernel. {@code requeue} and {@code wakeOp} are wakers of that
 * INT32 word that go through the library, so (emulation is exact when all wakers in the
 * process use this library) they must reach it. They used to ask only the kernel: a lost wake-up.
 */
class EmulatedAwaitAnyWakersTest {
    private WaitOnAddress woa;
    private Memory memory;
    private Pointer from;
    private Pointer to;
    private Pointer narrow;

    @BeforeEach
    void setUp() {
        woa = Backend.named("linux-futex");
        Strict.require(woa.isAvailable(), "linux-futex is unavailable: " + woa.unavailabilityCause().orElse(null));
        memory = new Memory(64);
        memory.clear();
        from = memory.share(0);
        to = memory.share(4);
        narrow = memory.share(8);
    }

    @AfterEach
    void tearDown() {
        memory.close();
    }

    /** Starts an awaitAny on {@code from} (INT32) and a byte, and waits until it is parked. */
    private CompletableFuture<Integer> parkedWaiter() throws InterruptedException {
        List<WaitTarget> targets = List.of(WaitTarget.ofInt(from, 0, Scope.PRIVATE),
                new WaitTarget(narrow, Width.INT8, 0, Scope.PRIVATE));
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(woa.awaitAny(targets));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && !result.isDone()) { // parked in the parking lot
            assertTrue(System.nanoTime() < deadline, "the waiter never parked");
            Thread.sleep(1);
        }
        return result;
    }

    private void assertWoken(CompletableFuture<Integer> waiter, String by) throws Exception {
        try {
            assertEquals(0, waiter.get(5, TimeUnit.SECONDS), "index of the INT32 word");
        } catch (TimeoutException e) {
            from.setInt(0, 99);
            woa.wakeAll(from, Width.INT32, Scope.PRIVATE);
            fail("lost wake-up: " + by + " did not reach an emulated awaitAny waiting on the word");
        }
    }

    @Test
    void requeueWakesAnEmulatedAwaitAny() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "requeue vs emulated awaitAny", () -> {
            CompletableFuture<Integer> waiter = parkedWaiter();
            from.setInt(0, 1);
            int r = woa.requeue(from, to, Scope.PRIVATE, 1, 1, 0);
            assertTrue(r >= 1, "requeue reports the waiter it woke: " + r);
            assertWoken(waiter, "requeue(wakeCount 1)");
            return null;
        });
    }

    @Test
    void wakeOpWakesAnEmulatedAwaitAny() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "wakeOp vs emulated awaitAny", () -> {
            CompletableFuture<Integer> waiter = parkedWaiter();
            from.setInt(0, 1);
            int r = woa.wakeOp(from, to, Scope.PRIVATE, 1, 1, WakeOp.of(WakeOp.Operation.SET, 1, WakeOp.Comparison.EQ, 0));
            assertTrue(r >= 1, "wakeOp reports the waiter it woke: " + r);
            assertWoken(waiter, "wakeOp(wakeCount 1)");
            return null;
        });
    }

    @Test
    void wakeOpWakesAnEmulatedAwaitAnyOnTheOpWord() throws Exception {
        Watchdog.run(Duration.ofSeconds(30), "wakeOp op word vs emulated awaitAny", () -> {
            // the waiter watches 'from'; here 'from' is the op word, whose comparison holds (old 0 == 0)
            CompletableFuture<Integer> waiter = parkedWaiter();
            int r = woa.wakeOp(to, from, Scope.PRIVATE, 0, 1, WakeOp.of(WakeOp.Operation.SET, 1, WakeOp.Comparison.EQ, 0));
            assertEquals(1, from.getInt(0), "the op was applied");
            assertTrue(r >= 1, "wakeOp reports the waiter it woke: " + r);
            assertWoken(waiter, "wakeOp(opWakeCount 1)");
            return null;
        });
    }
}
