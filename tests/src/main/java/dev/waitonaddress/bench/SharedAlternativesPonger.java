package dev.waitonaddress.bench;

import dev.waitonaddress.NativeAtomicInteger;
import java.nio.ByteBuffer;
import java.nio.file.Paths;

/**
 * The answering process of {@link SharedAlternatives}: {@code counted} or {@code spin}, then the
 * file. Answers every ball until the stop word is set; exits if its parent dies.
 */
public final class SharedAlternativesPonger {
    private SharedAlternativesPonger() {
    }

    public static void main(String[] args) throws Exception {
        boolean spin = args[0].equals("spin");
        ByteBuffer buffer = ProcessPingPong.map(Paths.get(args[1]));
        NativeAtomicInteger ball = NativeAtomicInteger.wrapShared(buffer, SharedAlternatives.BALL);
        ParentWatch.start();
        SharedAlternatives.INT.setVolatile(buffer, SharedAlternatives.READY, 1);
        for (;;) {
            while (ball.get() == 0) {
                if (spin) {
                    Thread.onSpinWait();
                } else {
                    ball.await(0);
                }
            }
            if ((int) SharedAlternatives.INT.getVolatile(buffer, SharedAlternatives.STOP) != 0) {
                return;
            }
            ball.set(0);
            if (!spin) {
                ball.wakeOne();
            }
        }
    }
}
