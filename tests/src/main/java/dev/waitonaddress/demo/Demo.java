package dev.waitonaddress.demo;

import com.sun.jna.Memory;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import java.util.Arrays;
import java.util.Locale;

/**
 * The demo: which backend this machine gets, what every installed backend can do, and a
 * two-thread handoff over one 32-bit word with its round-trip latency.
 */
public final class Demo {
    private static final int ROUNDS = 20_000;

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        WaitOnAddress chosen = WaitOnAddress.system();
        System.out.printf("wait-on-address on %s %s (%s), Java %s%n", System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"), System.getProperty("java.version"));
        System.out.println("Chosen backend: " + chosen.name());
        System.out.println();
        System.out.println("Installed backends:");
        for (WaitOnAddress b : WaitOnAddress.installed()) {
            System.out.printf("  %-14s priority %4d  %s%n", b.name(), b.priority(),
                    b.unavailabilityCause().map(c -> "unavailable: " + c.getMessage()).orElse("available"));
        }
        System.out.println();
        printCapabilities();
        System.out.println();
        handoff(chosen);
    }

    private static void printCapabilities() {
        String row = "  %-14s %-22s %-8s %-14s %-10s %-8s %-8s %-12s%n";
        System.out.println("Capabilities (available backends):");
        System.out.printf(row, "backend", "widths native/emul.", "shared", "awaitAny", "requeue", "wakeOp",
                "counts", "abs.deadline");
        for (WaitOnAddress b : WaitOnAddress.installed()) {
            if (!b.isAvailable()) {
                continue;
            }
            Capabilities c = b.capabilities();
            System.out.printf(row, b.name(), widths(c), yesNo(c.shared()),
                    c.awaitAny().name().toLowerCase(Locale.ROOT)
                            + (c.maxAwaitAnyTargets() > 0 ? " " + c.maxAwaitAnyTargets() : ""),
                    c.compareRequeue() ? "compare" : yesNo(c.requeue()), yesNo(c.wakeOp()),
                    yesNo(c.wakeCountReported(Width.INT32)), c.nativeAbsoluteDeadlines() ? "native" : "relative");
        }
    }

    private static String widths(Capabilities c) {
        return Arrays.stream(Width.values())
                .map(w -> w.bytes() + (c.nativeWidths().contains(w) ? "N" : c.emulatedWidths().contains(w) ? "e" : "-"))
                .reduce((x, y) -> x + " " + y).orElse("");
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    /** Two threads pass a token back and forth: the word holds whose turn it is. */
    private static void handoff(WaitOnAddress woa) throws Exception {
        try (Memory word = new Memory(4)) {
            word.setInt(0, 0);
            Thread partner = new Thread(() -> {
                try {
                    for (int i = 0; i < ROUNDS; i++) {
                        waitWhile(woa, word, 0);
                        word.setInt(0, 0);
                        woa.wakeOne(word, Width.INT32, Scope.PRIVATE);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "demo-partner");
            partner.start();
            long start = System.nanoTime();
            for (int i = 0; i < ROUNDS; i++) {
                word.setInt(0, 1);
                woa.wakeOne(word, Width.INT32, Scope.PRIVATE);
                waitWhile(woa, word, 1);
            }
            long elapsed = System.nanoTime() - start;
            partner.join();
            System.out.printf("Handoff between two threads through %s: %d round trips, %.2f us per round trip%n",
                    woa.name(), ROUNDS, elapsed / 1e3 / ROUNDS);
        }
    }

    private static void waitWhile(WaitOnAddress woa, Memory word, int value) throws InterruptedException {
        while (word.getInt(0) == value) {
            woa.await(word, Width.INT32, value, Scope.PRIVATE);
        }
    }
}
