package dev.waitonaddress.bench;

import dev.waitonaddress.sync.Condition;
import dev.waitonaddress.sync.Mutex;
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
 * {@link Condition#signalAll()} to 16 sleepers that each must then take the mutex (the shape of
 * {@link Broadcast16}, through the synchronizers): the time from the broadcast until all 16 have
 * been through the mutex. {@code requeue}: the broadcaster holds the mutex, so the sleepers are
 * moved onto the mutex word and woken one unlock at a time. {@code wakeAll}: the broadcaster
 * signals after unlocking, so every sleeper is woken at once and they fight over the mutex.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConditionBroadcast16 {
    static final int WAITERS = 16;

    /** 16 threads waiting on one condition for the next generation. */
    public abstract static class Herd {
        final Mutex mutex = Mutex.allocate();
        final Condition generationChanged = mutex.newCondition();
        final Condition allThrough = mutex.newCondition();
        final Ponger[] waiters = new Ponger[WAITERS];
        /** Guarded by the mutex. */
        int generation;
        int through;
        boolean stop;

        @Setup(Level.Trial)
        public void start() {
            for (int i = 0; i < WAITERS; i++) {
                waiters[i] = new Ponger("woa-bench-cond-herd-" + i, this::waiter);
            }
        }

        private void waiter(Ponger self) throws InterruptedException {
            int seen = 0;
            mutex.lock();
            try {
                for (;;) {
                    while (generation == seen && !stop) {
                        generationChanged.await();
                    }
                    if (stop) {
                        return;
                    }
                    seen = generation;
                    if (++through == WAITERS) {
                        allThrough.signal();
                    }
                }
            } finally {
                mutex.unlock();
            }
        }

        abstract void broadcast();

        void round() throws InterruptedException {
            broadcast();
            mutex.lock();
            try {
                while (through < WAITERS) {
                    allThrough.await();
                }
            } finally {
                mutex.unlock();
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            mutex.lock();
            stop = true;
            mutex.unlock();
            for (Ponger p : waiters) {
                p.stop(generationChanged::signalAll);
            }
        }
    }

    /** Signals while holding the mutex: the sleepers are requeued onto the mutex word. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RequeueHerd extends Herd {
        @Override
        void broadcast() {
            mutex.lock();
            through = 0;
            generation++;
            generationChanged.signalAll();
            mutex.unlock();
        }
    }

    /** Signals after unlocking: every sleeper is woken. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class WakeAllHerd extends Herd {
        @Override
        void broadcast() {
            mutex.lock();
            through = 0;
            generation++;
            mutex.unlock();
            generationChanged.signalAll();
        }
    }

    @Benchmark
    public void requeue(RequeueHerd h) throws InterruptedException {
        h.round();
    }

    @Benchmark
    public void wakeAll(WakeAllHerd h) throws InterruptedException {
        h.round();
    }
}
