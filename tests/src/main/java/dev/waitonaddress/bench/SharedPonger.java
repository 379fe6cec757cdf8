package dev.waitonaddress.bench;

import static dev.waitonaddress.bench.ProcessPingPong.BALL;
import static dev.waitonaddress.bench.ProcessPingPong.READY;
import static dev.waitonaddress.bench.ProcessPingPong.STOP;

import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import java.nio.file.Paths;

/**
 * The answering process of {@link ProcessPingPong}: maps the file named by its argument and
 * answers every ball until the stop word is set. Waits are untimed, as in the C baseline; a
 * daemon thread ends the process if its parent dies without stopping it.
 */
public final class SharedPonger {
    private SharedPonger() {
    }

    public static void main(String[] args) throws Exception {
        Words words = new Words(ProcessPingPong.map(Paths.get(args[0])), 3);
        WaitOnAddress futex = WaitOnAddress.system();
        ParentWatch.start();
        words.set(READY, 1);
        for (;;) {
            while (words.get(BALL) == 0) {
                futex.await(words.pointer(BALL), Width.INT32, 0, Scope.SHARED);
            }
            if (words.get(STOP) != 0) {
                return;
            }
            words.set(BALL, 0);
            futex.wakeOne(words.pointer(BALL), Width.INT32, Scope.SHARED);
        }
    }
}
