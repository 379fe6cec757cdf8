package dev.waitonaddress.bench;

import dev.waitonaddress.AtomicWait;
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
 * {@link AtomicWait}, the C++20 {@code atomic::wait} style layer, against libstdc++'s
 * {@code std::atomic<int>::wait} / {@code notify_one} (g++ -std=c++20 -O2):
 * {@code wakeOneNoWaiter}, a wake with nobody waiting (counted waiters: no system call), and
 * {@code pingPong}, {@link ThreadPingPong}'s round trip written as in C++:
 * {@code store(1); notify_one(); wait(1)} against {@code wait(0); store(0); notify_one()}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AtomicWaitBench {

    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Idle {
        final Words word = new Words(1);
    }

    @Benchmark
    public void wakeOneNoWaiter(Idle s) {
        AtomicWait.wakeOne(s.word.pointer(0));
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Pair {
        final Words word = new Words(1);
        Ponger ponger;

        @Setup(Level.Trial)
        public void start() {
            ponger = new Ponger("woa-bench-pong", self -> {
                for (;;) {
                    AtomicWait.await32(word.pointer(0), 0);
                    if (self.stopping()) {
                        return;
                    }
                    word.set(0, 0);
                    AtomicWait.wakeOne(word.pointer(0));
                }
            });
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            ponger.stop(() -> {
                word.set(0, 1);
                AtomicWait.wakeAll(word.pointer(0));
            });
        }
    }

    @Benchmark
    public void pingPong(Pair s) throws InterruptedException {
        s.word.set(0, 1);
        AtomicWait.wakeOne(s.word.pointer(0));
        AtomicWait.await32(s.word.pointer(0), 1);
    }
}
