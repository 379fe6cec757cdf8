package dev.waitonaddress.bench;

import dev.waitonaddress.sync.Mutex;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Mutex} (PRIVATE scope, on the system backend) against {@link ReentrantLock}: lock, a
 * plain increment, unlock. Uncontended: one thread (no system call on either side). Contended:
 * two threads on one lock (the lock changes hands; sleepers are woken).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MutexBench {
    /** The locks and the counter they guard; one per benchmark run. */
    @State(org.openjdk.jmh.annotations.Scope.Group)
    public static class Locks {
        final Mutex mutex = Mutex.allocate();
        final ReentrantLock reentrantLock = new ReentrantLock();
        long counter;

        /** The measured critical section: {@code ++counter} under {@code lock}. */
        long increment(Lock lock) {
            lock.lock();
            try {
                return ++counter;
            } finally {
                lock.unlock();
            }
        }
    }

    @Benchmark
    @Group("mutexUncontended")
    @GroupThreads(1)
    public long mutexUncontended(Locks s) {
        return s.increment(s.mutex);
    }

    @Benchmark
    @Group("reentrantLockUncontended")
    @GroupThreads(1)
    public long reentrantLockUncontended(Locks s) {
        return s.increment(s.reentrantLock);
    }

    @Benchmark
    @Group("mutexContended")
    @GroupThreads(2)
    public long mutexContended(Locks s) {
        return s.increment(s.mutex);
    }

    @Benchmark
    @Group("reentrantLockContended")
    @GroupThreads(2)
    public long reentrantLockContended(Locks s) {
        return s.increment(s.reentrantLock);
    }
}
