package dev.waitonaddress.bench;

import dev.waitonaddress.Scope;
import dev.waitonaddress.sync.Mutex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * Lock and unlock across two JVMs, both sides in a loop on the same file (under {@code /dev/shm}):
 * a SHARED {@link Mutex} on a word of the mapped file, against {@link FileChannel#lock()} and
 * {@link FileLock#release()} on the file. The other JVM runs {@link SharedLocker}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SharedMutexBench {
    /** File layout: the mutex word, then the stop and ready flags on their own line. */
    static final int MUTEX = 0;
    static final int STOP = 64;
    static final int READY = 68;
    static final int SIZE = 4096;

    static ByteBuffer map(FileChannel ch) throws IOException {
        if (ch.size() < SIZE) {
            ch.write(ByteBuffer.allocate(1), SIZE - 1);
        }
        return ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE).order(ByteOrder.nativeOrder());
    }

    /** The file, its mapping and the other JVM; subclasses choose the lock. */
    public abstract static class Peer {
        Path file;
        FileChannel channel;
        ByteBuffer words;
        Process child;

        abstract String mode();

        /** Called once the other JVM is ready. */
        void started() {
        }

        @Setup(Level.Trial)
        public void start() throws IOException, InterruptedException {
            file = Files.createTempFile(PeerJvm.sharedDirectory(), "woa-bench-lock-", ".shm");
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            words = map(channel);
            List<String> cmd = PeerJvm.command(SharedLocker.class);
            cmd.add(file.toString());
            cmd.add(mode());
            child = new ProcessBuilder(cmd).inheritIO().start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (words.getInt(READY) == 0) {
                if (!child.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the other JVM did not start: " + cmd);
                }
                Thread.sleep(10);
            }
            started();
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException, InterruptedException {
            words.putInt(STOP, 1);
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
            channel.close();
            Files.deleteIfExists(file);
        }
    }

    /** A SHARED mutex on the first word of the file. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class MutexPeer extends Peer {
        Mutex mutex;

        @Override
        String mode() {
            return "mutex";
        }

        @Override
        void started() {
            mutex = Mutex.wrap(words, MUTEX, Scope.SHARED);
        }
    }

    /** The file lock. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class FileLockPeer extends Peer {
        @Override
        String mode() {
            return "filelock";
        }
    }

    @Benchmark
    public void sharedMutex(MutexPeer p) {
        p.mutex.lock();
        p.mutex.unlock();
    }

    @Benchmark
    public void fileLock(FileLockPeer p) throws IOException {
        FileLock l = p.channel.lock();
        l.release();
    }
}
