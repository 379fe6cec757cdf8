package dev.waitonaddress.atomic;

import static org.junit.jupiter.api.Assertions.*;

import dev.waitonaddress.AtomicWait;
import dev.waitonaddress.NativeAtomicInteger;
import dev.waitonaddress.Scope;
import dev.waitonaddress.Width;
import dev.waitonaddress.examples.SharedSpscQueue;
import dev.waitonaddress.testing.ChildJvm;
import dev.waitonaddress.testing.SharedMemory;
import dev.waitonaddress.testing.Watchdog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two JVMs on one mapped file, blocking on each other through SHARED NativeAtomicIntegers. */
class CrossProcessAtomicWaitTest {
    private static final Duration LIMIT = Duration.ofSeconds(90);

    @BeforeEach
    void requireSharedWaits() {
        // a backend whose OS cannot wait across processes (Windows) refuses SHARED by design: a skip
        Assumptions.assumeTrue(AtomicWait.backend().capabilities().supports(Width.INT32, Scope.SHARED),
                AtomicWait.backend().name() + " cannot wait across processes");
    }

    @Test
    void pingPongAcrossJvms() throws Exception {
        int rounds = 5_000;
        try (SharedMemory shm = SharedMemory.create("woa-atomic-pingpong", 4096)) {
            NativeAtomicInteger word = NativeAtomicInteger.wrap(shm.buffer(), 0, Scope.SHARED);
            Process child = ChildJvm.start(SharedPingPongChild.class, shm.file().toString(), Integer.toString(rounds));
            try {
                Watchdog.run(LIMIT, "cross-JVM ping-pong", () -> {
                    for (int i = 0; i < rounds; i++) {
                        word.set(2 * i + 1);
                        word.wakeOne();
                        int v;
                        while ((v = word.get()) != 2 * i + 2) {
                            if (!word.await(v, 1, TimeUnit.SECONDS) && !child.isAlive()) {
                                fail("the child JVM died (exit " + child.exitValue() + ") at round " + i);
                            }
                        }
                    }
                    return null;
                });
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not exit");
                assertEquals(0, child.exitValue());
                assertTrue(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("pong done"));
            } finally {
                child.destroyForcibly();
            }
        }
    }

    /** The README's example: a child JVM produces, this JVM consumes; a small queue fills and empties often. */
    @Test
    void spscQueueAcrossJvms() throws Exception {
        int capacity = 8;
        long count = 50_000;
        try (SharedMemory shm = SharedMemory.create("woa-spsc", SharedSpscQueue.bytesFor(capacity))) {
            SharedSpscQueue queue = SharedSpscQueue.over(shm.buffer(), capacity);
            Process producer = ChildJvm.start(SharedSpscQueue.class, "produce", shm.file().toString(),
                    Integer.toString(capacity), Long.toString(count));
            try {
                Watchdog.run(LIMIT, "SPSC queue across JVMs", () -> {
                    for (long i = 1; i <= count; i++) {
                        assertEquals(i, queue.take());
                    }
                    return null;
                });
                assertTrue(producer.waitFor(60, TimeUnit.SECONDS), "producer did not exit");
                assertEquals(0, producer.exitValue());
                assertEquals(0, queue.size());
            } finally {
                producer.destroyForcibly();
            }
        }
    }

    /** The same queue the other way round: this JVM produces into a queue of one slot, so it blocks on every put. */
    @Test
    void spscQueueProducerBlocksWhenFull() throws Exception {
        int capacity = 1;
        long count = 5_000;
        try (SharedMemory shm = SharedMemory.create("woa-spsc", SharedSpscQueue.bytesFor(capacity))) {
            SharedSpscQueue queue = SharedSpscQueue.over(shm.buffer(), capacity);
            Process consumer = ChildJvm.start(SharedSpscQueue.class, "consume", shm.file().toString(),
                    Integer.toString(capacity), Long.toString(count));
            try {
                Watchdog.run(LIMIT, "SPSC queue across JVMs, full", () -> {
                    for (long i = 1; i <= count; i++) {
                        queue.put(i);
                    }
                    return null;
                });
                assertTrue(consumer.waitFor(60, TimeUnit.SECONDS), "consumer did not exit");
                assertEquals(0, consumer.exitValue());
                String out = new String(consumer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(out.contains("sum " + count * (count + 1) / 2), out);
            } finally {
                consumer.destroyForcibly();
            }
        }
    }
}
