package dev.waitonaddress.bench;

import dev.waitonaddress.sync.Latch;
import dev.waitonaddress.sync.Semaphore;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Semaphore} and {@link Latch} (PRIVATE, system backend) against
 * {@link java.util.concurrent.Semaphore} and {@link CountDownLatch}. Uncontended: acquire and
 * release one permit; a one-shot latch of count 1 counted down and awaited (ours re-initialised
 * in place, the JDK's made new). Ping-pong: two threads hand a permit back and forth through two
 * semaphores, so every acquire sleeps and every release wakes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SemaphoreLatchBench {
    /** Uncontended state. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Uncontended {
        final Semaphore semaphore = Semaphore.allocate(1);
        final java.util.concurrent.Semaphore jucSemaphore = new java.util.concurrent.Semaphore(1);
        final Latch latch = Latch.allocate(0);
    }

    @Benchmark
    public void semaphoreUncontended(Uncontended s) throws InterruptedException {
        s.semaphore.acquire();
        s.semaphore.release();
    }

    @Benchmark
    public void jucSemaphoreUncontended(Uncontended s) throws InterruptedException {
        s.jucSemaphore.acquire();
        s.jucSemaphore.release();
    }

    @Benchmark
    public int latchOneShot(Uncontended s) throws InterruptedException {
        s.latch.initialize(1);
        s.latch.countDown();
        s.latch.await();
        return s.latch.count();
    }

    @Benchmark
    public long jucCountDownLatchOneShot() throws InterruptedException {
        CountDownLatch l = new CountDownLatch(1);
        l.countDown();
        l.await();
        return l.getCount();
    }

    /** Two semaphores and an answering thread: ping is released here and taken there, pong back. */
    public abstract static class PingPong {
        Ponger answerer;

        abstract void acquirePing() throws InterruptedException;

        abstract void releasePing();

        abstract void acquirePong() throws InterruptedException;

        abstract void releasePong();

        @Setup(Level.Trial)
        public void start() {
            answerer = new Ponger("woa-bench-semaphore-pong", self -> {
                for (;;) {
                    acquirePing();
                    if (self.stopping()) {
                        return;
                    }
                    releasePong();
                }
            });
        }

        void round() throws InterruptedException {
            releasePing();
            acquirePong();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            answerer.stop(this::releasePing);
        }
    }

    /** Ours. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class OurPingPong extends PingPong {
        final Semaphore ping = Semaphore.allocate(0);
        final Semaphore pong = Semaphore.allocate(0);

        @Override
        void acquirePing() throws InterruptedException {
            ping.acquire();
        }

        @Override
        void releasePing() {
            ping.release();
        }

        @Override
        void acquirePong() throws InterruptedException {
            pong.acquire();
        }

        @Override
        void releasePong() {
            pong.release();
        }
    }

    /** The JDK's. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class JucPingPong extends PingPong {
        final java.util.concurrent.Semaphore ping = new java.util.concurrent.Semaphore(0);
        final java.util.concurrent.Semaphore pong = new java.util.concurrent.Semaphore(0);

        @Override
        void acquirePing() throws InterruptedException {
            ping.acquire();
        }

        @Override
        void releasePing() {
            ping.release();
        }

        @Override
        void acquirePong() throws InterruptedException {
            pong.acquire();
        }

        @Override
        void releasePong() {
            pong.release();
        }
    }

    @Benchmark
    public void semaphorePingPong(OurPingPong p) throws InterruptedException {
        p.round();
    }

    @Benchmark
    public void jucSemaphorePingPong(JucPingPong p) throws InterruptedException {
        p.round();
    }
}
