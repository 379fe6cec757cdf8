package dev.waitonaddress.bench;

import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
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
 * A wake of a word nobody waits on. The SPI always asks the kernel (one {@code FUTEX_WAKE});
 * baseline: the same {@code syscall(SYS_futex, …, FUTEX_WAKE_PRIVATE, 1)} from C.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class WakeNoWaiter {
    private final WaitOnAddress futex = WaitOnAddress.system();
    private final Words word = new Words(1);

    @Benchmark
    public int spiWake() {
        return futex.wakeOne(word.pointer(0), Width.INT32, Scope.PRIVATE);
    }
}
