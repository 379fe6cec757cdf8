package dev.waitonaddress.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.waitonaddress.AtomicWait;
import dev.waitonaddress.testing.ChildJvm;
import dev.waitonaddress.testing.Watchdog;
import com.sun.jna.Memory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The spin of an {@code await} ends with a time of yields ({@link AtomicWait#YIELD_MICROS_PROPERTY}):
 * a waiter still yielding sees a store that no wake follows, and the property is read and checked.
 * Each case runs in a child JVM, because the property is read once.
 */
class SpinThenYieldTest {

    /**
     * With 10 s of yields a waiter sees a store made 200 ms later without any wake; without the
     * yields (0 µs) the same waiter sleeps and needs the wake. The child prints how each ended.
     */
    @Test
    void aWaiterThatIsStillYieldingSeesAStoreThatNoWakeFollows() throws Exception {
        assertEquals("returned without a wake", run(List.of("-D" + AtomicWait.YIELD_MICROS_PROPERTY + "=10000000"),
                "store-only").trim());
        assertEquals("slept until the wake", run(List.of("-D" + AtomicWait.YIELD_MICROS_PROPERTY + "=0"),
                "store-only").trim());
    }

    @Test
    void thePropertyIsReadAndABadValueIsAClearError() throws Exception {
        assertEquals("50", run(List.of(), "print").trim(), "the default");
        assertEquals("7", run(List.of("-D" + AtomicWait.YIELD_MICROS_PROPERTY + "=7"), "print").trim());
        String bad = run(List.of("-D" + AtomicWait.YIELD_MICROS_PROPERTY + "=soon"), "print").trim();
        assertTrue(bad.contains("-Ddev.waitonaddress.yieldMicros=soon is not a number of microseconds"), bad);
        String negative = run(List.of("-D" + AtomicWait.YIELD_MICROS_PROPERTY + "=-1"), "print").trim();
        assertTrue(negative.contains("is not a number of microseconds"), negative);
    }

    private static String run(List<String> options, String mode) throws Exception {
        return Watchdog.within(Duration.ofSeconds(60), "child " + mode + " " + options, () -> {
            Process p = ChildJvm.start(Child.class, options, mode);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child ends");
            return out.toString(StandardCharsets.UTF_8);
        });
    }

    /** The child: {@code print} (the yielding time, or the error) or {@code store-only}. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            if (args[0].equals("print")) {
                try {
                    System.out.println(AtomicWait.yieldMicros());
                } catch (ExceptionInInitializerError | IllegalArgumentException e) {
                    Throwable cause = e instanceof ExceptionInInitializerError ? e.getCause() : e;
                    System.out.println(cause.getMessage());
                }
                return;
            }
            Memory word = new Memory(8);
            word.setInt(0, 0);
            AtomicWait.wakeAll(word); // loads the backend before the clock below starts
            AtomicBoolean woken = new AtomicBoolean();
            Thread storer = new Thread(() -> {
                try {
                    Thread.sleep(200);
                    word.setInt(0, 1); // a store only: no wake
                    Thread.sleep(5_000);
                    woken.set(true);
                    AtomicWait.wakeAll(word); // the rescue of a waiter that went to sleep
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            storer.setDaemon(true);
            storer.start();
            AtomicWait.await32(word, 0);
            System.out.println(woken.get() ? "slept until the wake" : "returned without a wake");
        }
    }
}
