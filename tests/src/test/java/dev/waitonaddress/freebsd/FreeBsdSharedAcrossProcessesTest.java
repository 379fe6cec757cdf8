package dev.waitonaddress.freebsd;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.ChildJvm;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.Emulators;
import dev.waitonaddress.testing.NativeArtefacts;
import dev.waitonaddress.testing.SharedMemory;
import dev.waitonaddress.testing.Watchdog;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SHARED scope of {@code freebsd-umtx} across two JVMs (UMTX_OP_WAIT_UINT for 4 bytes and
 * UMTX_OP_WAIT for 8, woken by UMTX_OP_WAKE, on a file both map), each bound to the FreeBSD
 * emulator: the two pass a token back and forth; a lost cross-process wake-up hangs and the
 * watchdog names it. The 8-byte token lives in the word's high half, which the 32-bit compare of
 * a Linux futex alone would not see.
 */
@EmulatorRun
class FreeBsdSharedAcrossProcessesTest {
    static final int ROUNDS = 300;

    @ParameterizedTest
    @EnumSource(value = Width.class, names = {"INT32", "INT64"})
    void tokenPassesBetweenProcessesThroughSharedWaits(Width width) throws Exception {
        WaitOnAddress woa = Emulators.boundBackend("freebsd-umtx");
        String library = NativeArtefacts.require("libwoa-freebsd.so").toString();
        try (SharedMemory shm = SharedMemory.create("woa-freebsd-xproc", 64)) {
            Pointer word = shm.pointer();
            Process child = ChildJvm.start(Peer.class,
                    List.of("-Ddev.waitonaddress.freebsd-umtx.library=" + library), shm.file().toString(), width.name());
            try {
                Watchdog.run(Duration.ofSeconds(60), "freebsd-umtx SHARED ping-pong across processes", () -> {
                    play(woa, word, width, 0);
                    return null;
                });
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the peer JVM finished");
                assertEquals(0, child.exitValue(), "the peer JVM succeeded");
            } finally {
                child.destroyForcibly();
            }
        }
    }

    /** @return the token {@code side} (0 or 1) as the word holds it: in the high half for 8 bytes */
    static long token(Width width, int side) {
        return width == Width.INT64 ? (long) side << 32 : side;
    }

    /** Takes turns: waits while the word does not hold {@code mine}, then hands it over and wakes the other side. */
    static void play(WaitOnAddress woa, Pointer word, Width width, int mine) throws InterruptedException {
        long me = token(width, mine);
        for (int i = 0; i < ROUNDS; i++) {
            long v;
            while ((v = width == Width.INT64 ? word.getLong(0) : word.getInt(0)) != me) {
                woa.await(word, width, v, Scope.SHARED);
            }
            if (width == Width.INT64) {
                word.setLong(0, token(width, 1 - mine));
            } else {
                word.setInt(0, 1 - mine);
            }
            woa.wakeAll(word, width, Scope.SHARED);
        }
    }

    /** The other JVM: the same backend, bound to the emulator by its override, on the same file. */
    public static final class Peer {
        public static void main(String[] args) throws Exception {
            WaitOnAddress woa = Backend.named("freebsd-umtx");
            if (!woa.isAvailable()) {
                throw new IllegalStateException("peer: " + woa.unavailabilityCause().orElse(null));
            }
            SharedMemory shm = SharedMemory.open(Paths.get(args[0]), 64);
            play(woa, shm.pointer(), Width.valueOf(args[1]), 1);
            java.lang.ref.Reference.reachabilityFence(shm);
        }
    }
}
