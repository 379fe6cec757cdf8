package dev.waitonaddress.cost;

import com.sun.jna.Memory;
import dev.waitonaddress.AtomicWait;
import dev.waitonaddress.NativeAtomicInteger;
import dev.waitonaddress.NativeAtomicLong;
import com.sun.jna.Pointer;
import dev.waitonaddress.testing.FutexTrace;
import java.nio.ByteBuffer;

/**
 * Run by {@link NoSystemCallWithoutWaitersTest} in a second JVM under strace: one thread calls
 * every PRIVATE wake form {@code N} times on words nobody waits on ({@code idle}), or on a word a
 * thread of this process sleeps on ({@code waiter}, the control, where every wake must reach the
 * kernel). The loop runs through {@link FutexTrace#runMarked}, which prints its thread's id, warms
 * it up and marks the measured run in the trace; then this prints {@code done}.
 */
public final class WakeLoopChild {
    private WakeLoopChild() {
    }

    public static void main(String[] args) throws Exception {
        boolean withWaiter = args[0].equals("waiter");
        int n = Integer.parseInt(args[1]);
        NativeAtomicInteger i32 = NativeAtomicInteger.allocate();
        NativeAtomicLong i64 = NativeAtomicLong.allocate();
        // the counted SHARED layout: a direct buffer of this process stands in for a mapping
        NativeAtomicInteger shared = NativeAtomicInteger.wrapShared(ByteBuffer.allocateDirect(64).alignedSlice(8), 0);
        Memory m = new Memory(8);
        m.setLong(0, 0);
        Thread sleeper = null;
        if (withWaiter) {
            NativeAtomicInteger noSpin = i32.withSpins(0);
            sleeper = new Thread(() -> {
                try {
                    noSpin.await(0); // stays counted as a waiter until the value changes
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            }, "sleeper");
            sleeper.start();
            Thread.sleep(500);
        }
        FutexTrace.runMarked("wake-loop", () -> wakes(i32, i64, shared, m, withWaiter, n));
        if (sleeper != null) {
            i32.set(1);
            i32.wakeAll();
            sleeper.join();
        }
        System.out.println("done");
    }

    private static void wakes(NativeAtomicInteger i32, NativeAtomicLong i64, NativeAtomicInteger shared, Memory m, boolean withWaiter, int n) {
        long address = Pointer.nativeValue(m);
        for (int k = 0; k < n; k++) {
            i32.wakeOne();
            if (!withWaiter) {
                i32.wakeAll();
                i64.wakeOne();
                i64.wakeAll();
                AtomicWait.wakeOne(m);
                AtomicWait.wakeAll(m);
                AtomicWait.wakeOne(address);
                shared.wakeOne(); // SHARED, no process asleep: the count in the mapping reads 0
                shared.wakeAll();
            }
        }
    }
}
