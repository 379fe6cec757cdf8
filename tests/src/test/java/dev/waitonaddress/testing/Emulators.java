package dev.waitonaddress.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import dev.waitonaddress.WaitOnAddress;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * Helpers for the classes of the emulator run ({@link EmulatorRun}): the surefire execution
 * {@code emulators} sets each foreign backend's library override to its contract emulator. Picked
 * by {@code -Dtest=...} into a JVM without the overrides (an IDE, say), such a test skips (also
 * under {@code -Dwoa.strict=true}): a missing override means "wrong run", not "cannot run here".
 * The rest is what those classes share when they call an emulator: waiter threads, waiting for the
 * emulator's count of sleepers, the errno of a failed call.
 */
public final class Emulators {
    private Emulators() {
    }

    private static String property(String backend) {
        return "dev.waitonaddress." + backend + ".library";
    }

    /** @return whether {@code b} is bound to a stand-in library through its override property */
    public static boolean isBound(WaitOnAddress b) {
        return System.getProperty(property(b.name())) != null;
    }

    /** @return whether this JVM sets any backend's library override (the execution {@code emulators} does) */
    public static boolean anyBound() {
        return System.getProperties().stringPropertyNames().stream()
                .anyMatch(k -> k.startsWith("dev.waitonaddress.") && k.endsWith(".library"));
    }

    /** Skips unless {@code -Ddev.waitonaddress.<backend>.library} is set. */
    public static void assumeOverride(String backend) {
        String property = property(backend);
        Assumptions.assumeTrue(System.getProperty(property) != null,
                property + " is not set: this test runs in the surefire execution 'emulators'");
    }

    /**
     * @return the installed backend {@code name}, bound to its emulator; skips outside the
     *     emulators run, and skips (strictly: fails) when the emulator could not be bound
     */
    public static WaitOnAddress boundBackend(String name) {
        assumeOverride(name);
        WaitOnAddress woa = Backend.named(name);
        Strict.require(woa.isAvailable(), name + " is unavailable: " + woa.unavailabilityCause().orElse(null));
        return woa;
    }

    /** @return a started daemon thread running {@code r}, named {@code emulator-waiter} */
    public static Thread startWaiter(Runnable r) {
        Thread t = new Thread(r, "emulator-waiter");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Polls {@code count} (an emulator's count of sleeping threads, say) every millisecond until it
     * is {@code n}; fails after 10 s, naming {@code what}.
     */
    public static void awaitCount(String what, IntSupplier count, int n) throws InterruptedException {
        await(what, count, n, c -> c == n);
    }

    /** As {@link #awaitCount}, until {@code count} is at least {@code n}. */
    public static void awaitAtLeast(String what, IntSupplier count, int n) throws InterruptedException {
        await(what, count, n, c -> c >= n);
    }

    private static void await(String what, IntSupplier count, int n, IntPredicate reached) throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        int seen;
        while (!reached.test(seen = count.getAsInt())) {
            assertTrue(System.nanoTime() < until, "expected " + n + " " + what + ", have " + seen);
            Thread.sleep(1);
        }
    }

    /** @return the errno of a call (a JNA direct-mapped function) that must have failed with -1 */
    public static int failed(int result) {
        assertEquals(-1, result, "the call must fail with -1");
        return Native.getLastError();
    }
}
