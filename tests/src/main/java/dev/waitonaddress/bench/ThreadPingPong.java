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
 * One round trip between two threads over one 32-bit word: the measured thread stores 1 and
 * wakes, then sleeps until the word is 0 again; the answering thread ({@link Ponger}) sleeps
 * while it is 0, stores 0 and wakes. The SPI variant never spins (every wait is a
 * {@code FUTEX_WAIT}); baseline: the same loop with raw {@code syscall(SYS_futex…)} in C.
 * The JDK's own ways ({@code LockSupport}, monitors, …) are in {@link Alternatives}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ThreadPingPong {

    /** The SPI, {@code Scope.PRIVATE}. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Spi {
        final WaitOnAddress futex = WaitOnAddress.system();
        final Words word = new Words(1);
        Ponger ponger;

        @Setup(Level.Trial)
        public void start() {
            ponger = new Ponger("woa-bench-pong", self -> {
                for (;;) {
                    while (word.get(0) == 0) {
                        futex.await(word.pointer(0), Width.INT32, 0, Scope.PRIVATE);
                    }
                    if (self.stopping()) {
                        return;
                    }
                    word.set(0, 0);
                    futex.wakeOne(word.pointer(0), Width.INT32, Scope.PRIVATE);
                }
            });
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            ponger.stop(() -> {
                word.set(0, 1);
                futex.wakeAll(word.pointer(0), Width.INT32, Scope.PRIVATE);
            });
        }
    }

    @Benchmark
    public void spi(Spi s) throws InterruptedException {
        s.word.set(0, 1);
        s.futex.wakeOne(s.word.pointer(0), Width.INT32, Scope.PRIVATE);
        while (s.word.get(0) == 1) {
            s.futex.await(s.word.pointer(0), Width.INT32, 1, Scope.PRIVATE);
        }
    }
}
