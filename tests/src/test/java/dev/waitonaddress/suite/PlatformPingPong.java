package dev.waitonaddress.suite;

import com.sun.jna.Memory;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;

/**
 * A quick figure for the platform-thread path: two platform threads hand a native INT32 word back
 * and forth through await/wake. Run by hand with and without
 * {@code -Ddev.waitonaddress.virtualThreadHelpers=0} (which turns the virtual-thread check into a
 * constant) to see what the check costs. Arguments: backend name, rounds, repetitions.
 */
public final class PlatformPingPong {
    private PlatformPingPong() {
    }

    public static void main(String[] args) throws Exception {
        WaitOnAddress woa = WaitOnAddress.installed().stream().filter(w -> w.name().equals(args[0])).findFirst()
                .orElseThrow(IllegalStateException::new);
        int rounds = Integer.parseInt(args[1]);
        int reps = Integer.parseInt(args[2]);
        try (Memory m = new Memory(4)) {
            for (int r = 0; r < reps; r++) {
                m.setInt(0, 0);
                Thread other = new Thread(() -> play(woa, m, 1, rounds));
                long t0 = System.nanoTime();
                other.start();
                play(woa, m, 0, rounds);
                other.join();
                System.out.println("pingpong " + args[0] + ": " + (System.nanoTime() - t0) / (2L * rounds)
                        + " ns per hand-off");
            }
        }
    }

    /** Waits for even (side 0) or odd (side 1) values and passes the word on. */
    private static void play(WaitOnAddress woa, Memory m, int side, int rounds) {
        try {
            for (int i = side; i < 2 * rounds; i += 2) {
                int v;
                while ((v = m.getInt(0)) != i) {
                    woa.await(m, Width.INT32, v, Scope.PRIVATE);
                }
                m.setInt(0, i + 1);
                woa.wakeOne(m, Width.INT32, Scope.PRIVATE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
