package dev.waitonaddress.atomic;

import static org.junit.jupiter.api.Assertions.*;

import dev.waitonaddress.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The layer over other backends, each in a JVM of its own (the backend is chosen once per
 * process): {@code portable}, which has no native width at all, so that even 32-bit waiters
 * sleep on the proxy words; and the foreign backends bound to their contract emulators, where
 * 64-bit waits go to the backend's own 64-bit wait (Windows, macOS, FreeBSD) or to the proxy (OpenBSD).
 */
class AtomicWaitOnOtherBackendsTest {
    @Test
    void pingPongOverThePortableBackend() throws Exception {
        assertPingPong("portable", List.of());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"windows, libwoa-windows.so", "macos-os-sync, libwoa-macos-os-sync.so",
            "macos-ulock, libwoa-macos-ulock.so", "openbsd-futex, libwoa-openbsd.so",
            "freebsd-umtx, libwoa-freebsd.so"})
    void pingPongOverAForeignBackendBoundToItsEmulator(String backend, String library) throws Exception {
        Path lib = Paths.get(System.getProperty("woa.native.dir", "target/native"), library);
        // the emulators are built by the test build once their C sources exist; no emulator, nothing to bind
        Assumptions.assumeTrue(Files.isRegularFile(lib), "no contract emulator " + lib);
        assertPingPong(backend, List.of("-Ddev.waitonaddress." + backend + ".library=" + lib.toAbsolutePath()));
    }

    private static void assertPingPong(String backend, List<String> options) throws Exception {
        List<String> jvm = new ArrayList<>(options);
        jvm.add("-Ddev.waitonaddress.backend=" + backend);
        Process p = ChildJvm.start(PingPongChild.class, jvm, "5000");
        try {
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), backend + ": the child's 5,000-round ping-pongs (INT32 and INT64"
                    + " PRIVATE, with and without spinning) did not finish in 90 s (a lost wake-up?)"); // it prints little
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("backend=" + backend) && out.contains("ok"), out);
        } finally {
            p.destroyForcibly();
        }
    }
}
