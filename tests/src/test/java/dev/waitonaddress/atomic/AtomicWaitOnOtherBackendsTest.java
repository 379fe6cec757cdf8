package dev.waitonaddress.atomic;

import static org.junit.jupiter.api.Assertions.*;

import dev.waitonaddress.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The layer over a backend with no native width at all: {@code portable}, where even 32-bit
 * waiters sleep on the proxy words (through the in-process parking lot). In a second JVM, since
 * the backend is chosen once per process.
 */
class AtomicWaitOnOtherBackendsTest {
    @Test
    void pingPongOverThePortableBackend() throws Exception {
        Process p = ChildJvm.start(PingPongChild.class, List.of("-Ddev.waitonaddress.backend=portable"), "5000");
        try {
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the child hung (a lost wake-up?)"); // it prints little
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("backend=portable") && out.contains("ok"), out);
        } finally {
            p.destroyForcibly();
        }
    }
}
