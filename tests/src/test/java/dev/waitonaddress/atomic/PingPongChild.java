package dev.waitonaddress.atomic;

import dev.waitonaddress.AtomicWait;
import dev.waitonaddress.NativeAtomicInteger;
import dev.waitonaddress.NativeAtomicLong;

/**
 * Two-thread ping-pongs on a 32-bit and a 64-bit word (the latter changing only its high half),
 * with and without spinning, in a JVM of its own: {@link AtomicWaitOnOtherBackendsTest} runs it
 * with {@code -Ddev.waitonaddress.backend=NAME}. Prints the backend's name and {@code ok}.
 */
public final class PingPongChild {
    private PingPongChild() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        System.out.println("backend=" + AtomicWait.backend().name());
        for (int spins : new int[] {0, AtomicWait.defaultSpins()}) {
            NativeAtomicInteger i32 = NativeAtomicInteger.allocate().withSpins(spins);
            NativeAtomicLong i64 = NativeAtomicLong.allocate().withSpins(spins);
            Thread pong = new Thread(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        int v;
                        while ((v = i32.get()) != 2 * i + 1) {
                            i32.await(v);
                        }
                        i32.set(2 * i + 2);
                        i32.wakeOne();
                        long w;
                        while ((w = i64.get()) != (2L * i + 1) << 32) {
                            i64.await(w);
                        }
                        i64.set((2L * i + 2) << 32);
                        i64.wakeOne();
                    }
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            pong.setDaemon(true);
            pong.start();
            for (int i = 0; i < rounds; i++) {
                i32.set(2 * i + 1);
                i32.wakeOne();
                int v;
                while ((v = i32.get()) != 2 * i + 2) {
                    i32.await(v);
                }
                i64.set((2L * i + 1) << 32);
                i64.wakeOne();
                long w;
                while ((w = i64.get()) != (2L * i + 2) << 32) {
                    i64.await(w);
                }
            }
            pong.join();
        }
        System.out.println("ok");
    }
}
