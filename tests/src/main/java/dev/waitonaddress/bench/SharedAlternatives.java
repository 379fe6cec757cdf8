package dev.waitonaddress.bench;

import dev.waitonaddress.NativeAtomicInteger;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
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
 * Cross-process alternatives to {@link ProcessPingPong}, one round trip each between this JVM and
 * a second one ({@link SharedAlternativesPonger}) over a file mapped by both:
 * {@code atomicCounted}, a {@link NativeAtomicInteger} in the counted SHARED layout
 * ({@code wrapShared}: spins, then sleeps; a wake makes a system call only when the other side
 * sleeps), and {@code spin}, a busy spin on a mapped word ({@link Thread#onSpinWait()}).
 * {@code wakeSharedNoWaiter}: a SHARED {@code wakeOne} of a counted word nobody waits on.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SharedAlternatives {
    /** Byte offsets in the shared file: the ball (8 bytes, counted layout), stop, ready. */
    static final int BALL = 0;
    static final int STOP = 64;
    static final int READY = 128;
    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** A second JVM answering in one mode. */
    public abstract static class Peer {
        Path file;
        ByteBuffer buffer;
        Process child;

        abstract String mode();

        /** Called once the answering JVM is ready (JMH runs the setups of a class hierarchy in no set order). */
        void started() {
        }

        @Setup(Level.Trial)
        public void start() throws IOException, InterruptedException {
            Path dir = Files.isDirectory(Paths.get("/dev/shm")) ? Paths.get("/dev/shm")
                    : Paths.get(System.getProperty("java.io.tmpdir"));
            file = Files.createTempFile(dir, "woa-bench-alt-", ".shm");
            buffer = ProcessPingPong.map(file);
            List<String> cmd = new ArrayList<>();
            cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            if (Runtime.version().feature() >= 22) {
                cmd.add("--enable-native-access=ALL-UNNAMED");
            }
            cmd.add(SharedAlternativesPonger.class.getName());
            cmd.add(mode());
            cmd.add(file.toString());
            child = new ProcessBuilder(cmd).inheritIO().start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((int) INT.getVolatile(buffer, READY) == 0) {
                if (!child.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the answering JVM did not start: " + cmd);
                }
                Thread.sleep(10);
            }
            started();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException, IOException {
            INT.setVolatile(buffer, STOP, 1);
            NativeAtomicInteger ball = NativeAtomicInteger.wrapShared(buffer, BALL);
            while (!child.waitFor(100, TimeUnit.MILLISECONDS)) {
                ball.set(1);
                ball.wakeAll();
            }
            Files.deleteIfExists(file);
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Counted extends Peer {
        NativeAtomicInteger ball;

        @Override
        String mode() {
            return "counted";
        }

        @Override
        void started() {
            ball = NativeAtomicInteger.wrapShared(buffer, BALL);
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Spin extends Peer {
        @Override
        String mode() {
            return "spin";
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Idle {
        final NativeAtomicInteger word =
                NativeAtomicInteger.wrapShared(ByteBuffer.allocateDirect(64).alignedSlice(8), 0);
    }

    @Benchmark
    public void atomicCounted(Counted s) throws InterruptedException {
        s.ball.set(1);
        s.ball.wakeOne();
        while (s.ball.get() == 1) {
            s.ball.await(1);
        }
    }

    @Benchmark
    public void spin(Spin s) {
        INT.setVolatile(s.buffer, BALL, 1);
        while ((int) INT.getVolatile(s.buffer, BALL) == 1) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    public void wakeSharedNoWaiter(Idle s) {
        s.word.wakeOne();
    }
}
