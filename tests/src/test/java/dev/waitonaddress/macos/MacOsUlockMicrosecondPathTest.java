package dev.waitonaddress.macos;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.Width;
import dev.waitonaddress.macos.MacOsUlockWaitOnAddress;
import dev.waitonaddress.testing.ChildJvm;
import dev.waitonaddress.testing.EmulatorRun;
import dev.waitonaddress.testing.NativeArtefacts;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code macos-ulock} on a system without {@code __ulock_wait2} (macOS 10.15): in a second JVM
 * bound to the emulator built without it, waits go to {@code __ulock_wait} with microsecond
 * time-outs, rounded up so they are never early, and polls still go through the OS.
 */
@EmulatorRun
class MacOsUlockMicrosecondPathTest {
    @Test
    void withoutWait2TimeOutsAreWholeMicrosecondsNeverEarly() throws Exception {
        String lib = NativeArtefacts.require("libwoa-macos-ulock-10.15.so").toString();
        Process p = ChildJvm.start(Child.class, List.of("-Ddev.waitonaddress.macos-ulock.library=" + lib));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM ended");
        assertEquals(0, p.exitValue(), "child output: " + out);
        assertTrue(out.toString().contains("OK"), out.toString());
    }

    /** Runs in the second JVM. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            WaitOnAddress woa = WaitOnAddress.installed().stream().filter(b -> b.name().equals("macos-ulock"))
                    .findFirst().orElseThrow();
            check(woa.isAvailable(), "available: " + woa.unavailabilityCause().orElse(null));
            check(new MacOsUlockWaitOnAddress().traits().timeoutUnit() == TimeUnit.MICROSECONDS,
                    "uses __ulock_wait, whose time-outs are microseconds");
            try (Memory m = new Memory(8)) {
                m.setLong(0, 0);
                for (Width w : new Width[] {Width.INT32, Width.INT64}) {
                    for (Scope s : Scope.values()) {
                        check(woa.await(m, w, 0, s, 0, TimeUnit.SECONDS) == WaitResult.TIMED_OUT, "poll");
                        check(woa.await(m, w, 1, s, 0, TimeUnit.SECONDS) == WaitResult.MISMATCH, "poll mismatch");
                        for (long nanos : new long[] {1, 999, 1_001, 2_500_000, 20_000_000}) {
                            long start = System.nanoTime();
                            check(woa.await(m, w, 0, s, nanos, TimeUnit.NANOSECONDS) == WaitResult.TIMED_OUT, "t/o");
                            long took = System.nanoTime() - start;
                            check(took >= nanos, w + " " + s + ": " + nanos + " ns returned after " + took);
                        }
                    }
                }
            }
            System.out.println("OK");
        }

        private static void check(boolean condition, String what) {
            if (!condition) {
                System.out.println("FAILED: " + what);
                System.exit(1);
            }
        }
    }
}
