package dev.waitonaddress.bench;

import static dev.waitonaddress.bench.SharedMutexBench.MUTEX;
import static dev.waitonaddress.bench.SharedMutexBench.READY;
import static dev.waitonaddress.bench.SharedMutexBench.STOP;

import dev.waitonaddress.Scope;
import dev.waitonaddress.sync.Mutex;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * The other JVM of {@link SharedMutexBench}: locks and unlocks in a loop, through the SHARED
 * mutex ({@code mutex}) or the file lock ({@code filelock}), until the stop flag is set. A daemon
 * thread ends the process if its parent dies.
 */
public final class SharedLocker {
    private SharedLocker() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Paths.get(args[0]), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer words = SharedMutexBench.map(ch);
            ParentWatch.start();
            boolean mutex = args[1].equals("mutex");
            Mutex m = mutex ? Mutex.wrap(words, MUTEX, Scope.SHARED) : null;
            words.putInt(READY, 1);
            while (words.getInt(STOP) == 0) {
                for (int i = 0; i < 64; i++) {
                    if (mutex) {
                        m.lock();
                        m.unlock();
                    } else {
                        ch.lock().release();
                    }
                }
            }
        }
    }
}
