package dev.waitonaddress.bench;

import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
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
 * A broadcast to 16 sleeping threads that each must then take a lock (the condition-variable
 * shape): the time from the release until all 16 have been through the lock.
 *
 * <p>{@code wakeAll} wakes all 16 at once; they then fight over the lock (the thundering herd).
 * {@code requeue} wakes one and moves the other 15 to a second word ({@code FUTEX_CMP_REQUEUE});
 * each thread, once through the lock, wakes the next from that word, so they pass one at a time.
 * The lock is a three-state futex mutex (0 free, 1 held, 2 held with sleepers) over the SPI.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class Broadcast16 {
    static final int WAITERS = 16;
    // word indexes, one cache line apart
    static final int GEN = 0;
    static final int CHAIN = 16;
    static final int LOCK = 32;
    static final int COUNT = 48;
    static final int DONE = 64;

    /** 16 threads parked on the generation word; subclasses choose how to release them. */
    public abstract static class Herd {
        final WaitOnAddress futex = WaitOnAddress.system();
        final Words w = new Words(DONE + 1);
        final Ponger[] waiters = new Ponger[WAITERS];
        private final boolean passBaton;

        Herd(boolean passBaton) {
            this.passBaton = passBaton;
        }

        /** Releases every waiter of generation word that now holds {@code generation}. */
        abstract void release(int generation);

        @Setup(Level.Trial)
        public void start() {
            for (int i = 0; i < WAITERS; i++) {
                waiters[i] = new Ponger("woa-bench-herd-" + i, this::waiter);
            }
        }

        private void waiter(Ponger self) throws InterruptedException {
            int seen = 0;
            for (;;) {
                while (w.get(GEN) == seen) {
                    if (self.stopping()) {
                        return;
                    }
                    futex.await(w.pointer(GEN), Width.INT32, seen, Scope.PRIVATE);
                }
                if (self.stopping()) {
                    return;
                }
                seen++; // the releaser advances the generation by one, and only once all have passed
                lock();
                int arrived = w.get(COUNT) + 1;
                w.set(COUNT, arrived);
                unlock();
                if (passBaton) {
                    futex.wakeOne(w.pointer(CHAIN), Width.INT32, Scope.PRIVATE);
                }
                if (arrived == WAITERS) {
                    w.set(DONE, 1);
                    futex.wakeOne(w.pointer(DONE), Width.INT32, Scope.PRIVATE);
                }
            }
        }

        private void lock() throws InterruptedException {
            if (w.compareAndSet(LOCK, 0, 1)) {
                return;
            }
            while (w.getAndSet(LOCK, 2) != 0) {
                futex.await(w.pointer(LOCK), Width.INT32, 2, Scope.PRIVATE);
            }
        }

        private void unlock() {
            if (w.getAndAdd(LOCK, -1) != 1) {
                w.set(LOCK, 0);
                futex.wakeOne(w.pointer(LOCK), Width.INT32, Scope.PRIVATE);
            }
        }

        void round() throws InterruptedException {
            w.set(COUNT, 0);
            w.set(DONE, 0);
            int generation = w.get(GEN) + 1;
            w.set(GEN, generation);
            release(generation);
            while (w.get(DONE) == 0) {
                futex.await(w.pointer(DONE), Width.INT32, 0, Scope.PRIVATE);
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            for (Ponger p : waiters) {
                p.stop(() -> {
                    w.set(GEN, w.get(GEN) + 1);
                    futex.wakeAll(w.pointer(GEN), Width.INT32, Scope.PRIVATE);
                    futex.wakeAll(w.pointer(CHAIN), Width.INT32, Scope.PRIVATE);
                });
            }
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class WakeAllHerd extends Herd {
        public WakeAllHerd() {
            super(false);
        }

        @Override
        void release(int generation) {
            futex.wakeAll(w.pointer(GEN), Width.INT32, Scope.PRIVATE);
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RequeueHerd extends Herd {
        public RequeueHerd() {
            super(true);
            if (!futex.capabilities().requeue()) {
                throw new UnsupportedOperationException(futex.name() + " cannot requeue (yet)");
            }
        }

        @Override
        void release(int generation) {
            while (futex.requeue(w.pointer(GEN), w.pointer(CHAIN), Scope.PRIVATE, generation, 1,
                    WaitOnAddress.ALL) == WaitOnAddress.REQUEUE_MISMATCH) {
                Thread.onSpinWait(); // only this thread writes GEN: cannot happen
            }
        }
    }

    @Benchmark
    public void wakeAll(WakeAllHerd h) throws InterruptedException {
        h.round();
    }

    @Benchmark
    public void requeue(RequeueHerd h) throws InterruptedException {
        h.round();
    }
}
