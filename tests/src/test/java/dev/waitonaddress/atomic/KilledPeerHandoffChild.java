package dev.waitonaddress.atomic;

import dev.waitonaddress.NativeAtomicInteger;
import dev.waitonaddress.testing.SharedMemory;
import java.nio.file.Paths;

/**
 * A peer of {@link KilledPeerSharedHandoffTest}: maps FILE; whenever the turn word (the counted
 * SHARED layout at offset 0) is odd, takes the turn by a compare-and-set to the next even value
 * and wakes every waiter; else waits (untimed: only a wake, or the value changing before the
 * kernel compares, gets it out). Announces itself by incrementing the word at offset 64; exits
 * once the turn reaches LAST.
 */
public final class KilledPeerHandoffChild {
    private KilledPeerHandoffChild() {
    }

    public static void main(String[] args) throws Exception {
        SharedMemory shm = SharedMemory.open(Paths.get(args[0]), 4096);
        int last = Integer.parseInt(args[1]);
        NativeAtomicInteger turn = NativeAtomicInteger.wrapShared(shm.buffer(), 0);
        NativeAtomicInteger started = NativeAtomicInteger.wrap(shm.buffer(), 64);
        started.incrementAndGet();
        for (;;) {
            int v = turn.get();
            if (v >= last) {
                break;
            }
            if ((v & 1) == 1) {
                if (turn.compareAndSet(v, v + 1)) {
                    turn.wakeAll();
                }
            } else {
                turn.await(v);
            }
        }
        System.out.println("peer done");
    }
}
