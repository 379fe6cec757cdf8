package dev.waitonaddress.bench;

import dev.waitonaddress.NativeAtomicInteger;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The table a user chooses by: one round trip of a turn handed back and forth, each way of doing
 * it that a Java program has ({@link Turn}), between two threads ({@code inProcess}) and between
 * two JVMs over a file both map under {@code /dev/shm} ({@code crossProcess}). Sample mode, so
 * that the report has percentiles beside the mean. {@link IdleCpu} measures the same kinds'
 * waiters at rest.
 *
 * <p>{@code wakeSharedNoWaiter}: {@code wakeOne} of a SHARED {@link NativeAtomicInteger} in the
 * counted layout with nobody asleep in any process (no system call).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class Alternatives {

    /** A pair of one scope and kind, started for a trial. */
    public abstract static class Trial {
        Pair pair;

        abstract String scope();

        abstract String kind();

        @Setup(Level.Trial)
        public void start() throws Exception {
            pair = Pair.open(scope(), kind());
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            pair.close();
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class InProcess extends Trial {
        /** The kinds of {@link Turn#IN_PROCESS}. */
        @Param({"atomic", "lockSupport", "waitNotify", "lockCondition", "synchronousQueue", "spin"})
        public String kind;

        @Override
        String scope() {
            return "inProcess";
        }

        @Override
        String kind() {
            return kind;
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class CrossProcess extends Trial {
        /** The kinds of {@link Turn#CROSS_PROCESS}. */
        @Param({"counted", "spi", "unixSocket", "pipe", "agrona", "spin"})
        public String kind;

        @Override
        String scope() {
            return "crossProcess";
        }

        @Override
        String kind() {
            return kind;
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Idle {
        final NativeAtomicInteger word =
                NativeAtomicInteger.wrapShared(ByteBuffer.allocateDirect(64).alignedSlice(8), 0);
    }

    @Benchmark
    public void inProcess(InProcess s) throws Exception {
        s.pair.turn.ping();
    }

    @Benchmark
    public void crossProcess(CrossProcess s) throws Exception {
        s.pair.turn.ping();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public void wakeSharedNoWaiter(Idle s) {
        s.word.wakeOne();
    }
}
