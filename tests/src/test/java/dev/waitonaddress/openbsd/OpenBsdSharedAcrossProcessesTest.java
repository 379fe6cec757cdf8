package dev.waitonaddress.openbsd;

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
import org.junit.jupiter.api.Test;

/**
 * SHARED scope of {@code openbsd-futex} across two JVMs (FUTEX_WAIT / FUTEX_WAKE without
 * FUTEX_PRIVATE_FLAG on a file both map), each bound to the OpenBSD emulator: the two pass a token
 * back and forth; a lost cross-process wake-up hangs and the watchdog names it.
 */
@EmulatorRun
class OpenBsdSharedAcrossProcessesTest {
    static final int ROUNDS = 300;

    @Test
    void tokenPassesBetweenProcessesThroughSharedWaits() throws Exception {
        WaitOnAddress woa = Emulators.boundBackend("openbsd-futex");
        String library = NativeArtefacts.require("libwoa-openbsd.so").toString();
        try (SharedMemory shm = SharedMemory.create("woa-openbsd-xproc", 64)) {
            Pointer word = shm.pointer();
            Process child = ChildJvm.start(Peer.class,
                    List.of("-Ddev.waitonaddress.openbsd-futex.library=" + library), shm.file().toString());
            try {
                Watchdog.run(Duration.ofSeconds(60), "openbsd-futex SHARED ping-pong across processes", () -> {
                    play(woa, word, 0);
                    return null;
                });
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the peer JVM finished");
                assertEquals(0, child.exitValue(), "the peer JVM succeeded");
            } finally {
                child.destroyForcibly();
            }
        }
    }

    /** Takes turns: waits while the word is not {@code mine}, then hands it to the other side and wakes it. */
    static void play(WaitOnAddress woa, Pointer word, int mine) throws InterruptedException {
        for (int i = 0; i < ROUNDS; i++) {
            int v;
            while ((v = word.getInt(0)) != mine) {
                woa.await(word, Width.INT32, v, Scope.SHARED);
            }
            word.setInt(0, 1 - mine);
            woa.wakeAll(word, Width.INT32, Scope.SHARED);
        }
    }

    /** The other JVM: the same backend, bound to the emulator by its override, on the same file. */
    public static final class Peer {
        public static void main(String[] args) throws Exception {
            WaitOnAddress woa = Backend.named("openbsd-futex");
            if (!woa.isAvailable()) {
                throw new IllegalStateException("peer: " + woa.unavailabilityCause().orElse(null));
            }
            SharedMemory shm = SharedMemory.open(Paths.get(args[0]), 64);
            play(woa, shm.pointer(), 1);
            java.lang.ref.Reference.reachabilityFence(shm);
        }
    }
}
