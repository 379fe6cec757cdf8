package dev.waitonaddress.macos;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.Backend;
import dev.waitonaddress.testing.ChildJvm;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.NativeArtefacts;
import dev.waitonaddress.testing.SharedMemory;
import dev.waitonaddress.testing.Strict;
import dev.waitonaddress.testing.Watchdog;
import java.io.ByteArrayOutputStream;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SHARED scope reaches another process: two JVMs pass a token through a 4-byte word of a mapped
 * file, each waiting with the macOS backend bound to its emulator (whose 4-byte shared waits are
 * Linux futexes without FUTEX_PRIVATE_FLAG, so they meet across processes as xnu's shared ulocks
 * do). A lost wake-up, or a wait that forgot the shared flag, hangs and the watchdog fails it.
 * (The emulator's 8-byte waits are per process, so 8-byte SHARED is left to the macOS CI run.)
 */
@EmulatorRun
class MacOsSharedAcrossProcessesTest {
    static final int ROUNDS = 300;

    @ParameterizedTest
    @CsvSource({"macos-os-sync, libwoa-macos-os-sync.so", "macos-ulock, libwoa-macos-ulock.so"})
    void aTokenPassesBetweenTwoProcessesThroughASharedWord(String name, String file) throws Exception {
        String lib = NativeArtefacts.require(file).toString();
        WaitOnAddress woa = Backend.named(name);
        Strict.require(woa.isAvailable(), name + ": " + woa.unavailabilityCause().orElse(null));
        try (SharedMemory shm = SharedMemory.create("woa-macos-", 64)) {
            Process child = ChildJvm.start(Child.class, List.of("-Ddev.waitonaddress." + name + ".library=" + lib),
                    name, shm.file().toString());
            try {
                Watchdog.run(Duration.ofSeconds(90), "cross-process ping-pong " + name, () -> {
                    pingPong(woa, shm.pointer(), 0);
                    return null;
                });
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                child.getInputStream().transferTo(out);
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, child.exitValue(), "child: " + out);
                assertTrue(out.toString().contains("OK " + ROUNDS), out.toString());
            } finally {
                child.destroyForcibly();
            }
        }
    }

    /** Side {@code mine} waits for the word to hold {@code mine}, then hands it to the other side. */
    static void pingPong(WaitOnAddress woa, Pointer word, int mine) throws InterruptedException {
        for (int i = 0; i < ROUNDS; i++) {
            int v;
            while ((v = word.getInt(0)) != mine) {
                woa.await(word, Width.INT32, v, Scope.SHARED);
            }
            word.setInt(0, 1 - mine);
            woa.wakeOne(word, Width.INT32, Scope.SHARED);
        }
    }

    /** The other process. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            WaitOnAddress woa = WaitOnAddress.installed().stream().filter(b -> b.name().equals(args[0])).findFirst()
                    .orElseThrow();
            if (!woa.isAvailable()) {
                System.out.println("unavailable: " + woa.unavailabilityCause().orElse(null));
                System.exit(2);
            }
            try (SharedMemory shm = SharedMemory.open(Paths.get(args[1]), 64)) {
                pingPong(woa, shm.pointer(), 1);
            }
            System.out.println("OK " + ROUNDS);
        }
    }
}
