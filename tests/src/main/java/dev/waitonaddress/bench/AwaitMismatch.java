package dev.waitonaddress.bench;

import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.Width;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An {@code await} whose word already differs: the kernel answers EAGAIN at once and the SPI
 * returns {@code MISMATCH}. Baseline: {@code FUTEX_WAIT_PRIVATE} with a wrong value from C.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AwaitMismatch {
    private final WaitOnAddress futex = WaitOnAddress.system();
    private final Words word = new Words(1); // holds 0

    @Benchmark
    public WaitResult spiAwait() throws InterruptedException {
        return futex.await(word.pointer(0), Width.INT32, 1, Scope.PRIVATE);
    }
}
