package dev.waitonaddress.suite;

import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.SharedMemory;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * The peer process of {@link ReliabilityDyingPeerTest}: takes the odd turns of a ping-pong on a
 * SHARED 32-bit word (offset 0) of a mapped file, until the stop word (offset 8) is set. Joins at
 * whatever turn the word holds, so that a restarted peer picks up where a killed one died. Prints
 * its handoffs on exit. Arguments: the file, the backend's name.
 */
public final class DyingPeerChild {
    private DyingPeerChild() {
    }

    public static void main(String[] args) throws Exception {
        WaitOnAddress woa = WaitOnAddress.installed().stream().filter(b -> b.name().equals(args[1])).findFirst()
                .orElseThrow();
        try (SharedMemory shm = SharedMemory.open(Paths.get(args[0]), 64)) {
            Pointer word = shm.pointer();
            Pointer stop = shm.pointer().share(8);
            long handoffs = 0;
            System.out.println("ready");
            System.out.flush();
            while (stop.getInt(0) == 0) {
                int v = word.getInt(0);
                if ((v & 1) == 1) {
                    word.setInt(0, v + 1);
                    woa.wakeAll(word, Width.INT32, Scope.SHARED);
                    handoffs++;
                } else {
                    WaitResult r = woa.await(word, Width.INT32, v, Scope.SHARED, 200, TimeUnit.MILLISECONDS);
                    if (r == WaitResult.TIMED_OUT && word.getInt(0) == v && stop.getInt(0) == 0) {
                        continue; // the parent is slow, or holds its turn on purpose
                    }
                }
            }
            System.out.println("handoffs " + handoffs);
        }
    }
}
