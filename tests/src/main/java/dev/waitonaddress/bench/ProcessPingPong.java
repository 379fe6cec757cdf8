package dev.waitonaddress.bench;

import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
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
 * One round trip between two processes over a word of a file mapped {@code MAP_SHARED} by both
 * (under {@code /dev/shm}): the SPI with {@code Scope.SHARED} on both sides (no
 * {@code FUTEX_PRIVATE_FLAG}). The answering side is a second JVM running {@link SharedPonger};
 * the protocol is {@link ThreadPingPong}'s. Baseline: the same loop between a C process and its
 * fork.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ProcessPingPong {
    /** Word indexes in the shared file. */
    static final int BALL = 0;
    static final int STOP = 1;
    static final int READY = 2;
    static final int FILE_SIZE = 4096;

    private final WaitOnAddress futex = WaitOnAddress.system();
    private Path file;
    private Words words;
    private Process child;

    static ByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            if (ch.size() < FILE_SIZE) {
                ch.write(ByteBuffer.allocate(1), FILE_SIZE - 1);
            }
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, FILE_SIZE);
        }
    }

    @Setup(Level.Trial)
    public void start() throws IOException, InterruptedException {
        Path dir = Files.isDirectory(Paths.get("/dev/shm")) ? Paths.get("/dev/shm") : Paths.get(System.getProperty("java.io.tmpdir"));
        file = Files.createTempFile(dir, "woa-bench-", ".shm");
        words = new Words(map(file), 3);
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED"); // the linux backend's java.lang.foreign path
        }
        cmd.add(SharedPonger.class.getName());
        cmd.add(file.toString());
        child = new ProcessBuilder(cmd).inheritIO().start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (words.get(READY) == 0) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the answering JVM did not start: " + cmd);
            }
            Thread.sleep(10);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException, IOException {
        words.set(STOP, 1);
        while (!child.waitFor(100, TimeUnit.MILLISECONDS)) {
            words.set(BALL, 1);
            futex.wakeAll(words.pointer(BALL), Width.INT32, Scope.SHARED);
        }
        Files.deleteIfExists(file);
    }

    @Benchmark
    public void spiShared() throws InterruptedException {
        words.set(BALL, 1);
        futex.wakeOne(words.pointer(BALL), Width.INT32, Scope.SHARED);
        while (words.get(BALL) == 1) {
            futex.await(words.pointer(BALL), Width.INT32, 1, Scope.SHARED);
        }
    }
}
