package dev.waitonaddress.cost;

import com.sun.jna.Memory;
import dev.waitonaddress.AtomicWait;
import dev.waitonaddress.NativeAtomicInteger;
import dev.waitonaddress.NativeAtomicLong;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Run by {@link NoSystemCallWithoutWaitersTest} in a second JVM under strace: one thread calls
 * every PRIVATE wake form {@code N} times on words nobody waits on ({@code idle}), or on a word a
 * thread of this process sleeps on ({@code waiter}, the control, where every wake must reach the
 * kernel). Prints {@code tid=<the loop thread's Linux thread id>} and {@code done}; the
 * measured loop runs after a warm-up (class initialisation, JIT compilation: the JVM's own futex
 * calls) between two {@code readlink("/proc/thread-self")} calls that mark it in the trace.
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
        Thread loop = new Thread(() -> {
            try {
                Path self = Paths.get("/proc/thread-self");
                String tid = Files.readSymbolicLink(self).getFileName().toString();
                System.out.println("tid=" + tid);
                System.out.flush();
                for (int warm = 0; warm < 5; warm++) { // class initialisation and JIT compilation happen here
                    wakes(i32, i64, shared, m, withWaiter, n);
                }
                Thread.sleep(300);
                Files.readSymbolicLink(self); // marker for the trace: the measured loop begins
                wakes(i32, i64, shared, m, withWaiter, n);
                Files.readSymbolicLink(self); // marker: it ended
            } catch (java.io.IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        }, "wake-loop");
        loop.start();
        loop.join();
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
