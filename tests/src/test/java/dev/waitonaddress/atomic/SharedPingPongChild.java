package dev.waitonaddress.atomic;

import dev.waitonaddress.NativeAtomicInteger;
import dev.waitonaddress.Scope;
import dev.waitonaddress.testing.SharedMemory;
import java.nio.file.Paths;

/**
 * The other side of {@link CrossProcessAtomicWaitTest#pingPongAcrossJvms}: maps FILE, and for
 * each round waits for the odd value the parent writes, then writes the next even one and wakes.
 */
public final class SharedPingPongChild {
    private SharedPingPongChild() {
    }

    public static void main(String[] args) throws Exception {
        SharedMemory shm = SharedMemory.open(Paths.get(args[0]), 4096);
        int rounds = Integer.parseInt(args[1]);
        NativeAtomicInteger word = NativeAtomicInteger.wrap(shm.buffer(), 0, Scope.SHARED);
        for (int i = 0; i < rounds; i++) {
            int v;
            while ((v = word.get()) != 2 * i + 1) {
                word.await(v);
            }
            word.set(2 * i + 2);
            word.wakeOne();
        }
        System.out.println("pong done");
    }
}
