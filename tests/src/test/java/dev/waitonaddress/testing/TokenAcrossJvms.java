package dev.waitonaddress.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SHARED scope of a backend bound to its contract emulator, across two JVMs: this one and a
 * second ({@link Peer}), each with the same library override, pass a token back and forth through
 * a word of a file both map, 300 times each way, waking with {@code wakeAll}. A lost cross-process
 * wake-up hangs, and the watchdog names it. An 8-byte token lives in the word's high half, which
 * a 32-bit compare alone would not see.
 */
public final class TokenAcrossJvms {
    static final int ROUNDS = 300;

    private TokenAcrossJvms() {
    }

    /**
     * Plays side 0 here and side 1 in a second JVM; fails when a side hangs (60 s) or the second JVM
     * does not end well within 30 s more. Skips outside the emulators run, and skips (strictly:
     * fails) when the emulator is not built or cannot be bound.
     *
     * @param backend e.g. {@code "openbsd-futex"}
     * @param library its emulator, e.g. {@code "libwoa-openbsd.so"}
     * @param width INT32 or INT64
     */
    public static void pass(String backend, String library, Width width) throws Exception {
        WaitOnAddress woa = Emulators.boundBackend(backend);
        String path = NativeArtefacts.require(library).toString();
        try (SharedMemory shm = SharedMemory.create("woa-" + backend + "-xproc", 64)) {
            Pointer word = shm.pointer();
            Process child = ChildJvm.start(Peer.class, List.of("-Ddev.waitonaddress." + backend + ".library=" + path),
                    backend, shm.file().toString(), width.name());
            try {
                Watchdog.run(Duration.ofSeconds(60), backend + " SHARED " + width + " ping-pong across processes", () -> {
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

    /** @return the token of {@code side} (0 or 1) as the word holds it: in the high half for 8 bytes */
    private static long token(Width width, int side) {
        return width == Width.INT64 ? (long) side << 32 : side;
    }

    /** Takes turns: waits while the word does not hold {@code mine}, then hands it over and wakes the other side. */
    private static void play(WaitOnAddress woa, Pointer word, Width width, int mine) throws InterruptedException {
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

    /** The second JVM: the same backend, bound to the emulator by its override, on the same file. */
    public static final class Peer {
        private Peer() {
        }

        /** @param args the backend's name, the file, the width */
        public static void main(String[] args) throws Exception {
            WaitOnAddress woa = Backend.named(args[0]);
            if (!woa.isAvailable()) {
                throw new IllegalStateException("peer: " + woa.unavailabilityCause().orElse(null));
            }
            SharedMemory shm = SharedMemory.open(Paths.get(args[1]), 64);
            play(woa, shm.pointer(), Width.valueOf(args[2]), 1);
            java.lang.ref.Reference.reachabilityFence(shm);
        }
    }
}
