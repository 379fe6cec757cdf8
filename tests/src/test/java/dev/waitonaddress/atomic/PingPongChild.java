package dev.waitonaddress.atomic;

import dev.waitonaddress.AtomicWait;
import dev.waitonaddress.NativeAtomicInteger;
import dev.waitonaddress.NativeAtomicLong;
import dev.waitonaddress.testing.Rounds;
import java.time.Duration;

/**
 * Two-thread ping-pongs on a 32-bit and a 64-bit word (the latter changing only its high half),
 * with and without spinning, in a JVM of its own: {@link AtomicWaitOnOtherBackendsTest} runs it
 * with {@code -Ddev.waitonaddress.backend=NAME}. Prints the backend's name and {@code ok}. Each
 * ping-pong stops after the rounds asked for or 30 s, whichever is first ({@link Rounds}): a lost
 * wake-up hangs past the parent's time limit.
 */
public final class PingPongChild {
    private PingPongChild() {
    }

    /** The value of the 32-bit word that tells the pong side to stop: never a round's value. */
    private static final int STOP = -1;
    private static final Duration BUDGET = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        System.out.println("backend=" + AtomicWait.backend().name());
        for (int spins : new int[] {0, AtomicWait.defaultSpins()}) {
            NativeAtomicInteger i32 = NativeAtomicInteger.allocate().withSpins(spins);
            NativeAtomicLong i64 = NativeAtomicLong.allocate().withSpins(spins);
            Thread pong = new Thread(() -> {
                try {
                    for (int i = 0;; i++) {
                        int v;
                        while ((v = i32.get()) != 2 * i + 1 && v != STOP) {
                            i32.await(v);
                        }
                        if (v == STOP) {
                            return;
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
            Rounds played = new Rounds(rounds, BUDGET);
            for (int i = 0; played.next(); i++) {
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
            i32.set(STOP);
            i32.wakeOne();
            pong.join();
        }
        System.out.println("ok");
    }
}
