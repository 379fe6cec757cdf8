package dev.waitonaddress.suite;

import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.testing.Emulators;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which backends the reliability suites run against, chosen from data rather than names: every
 * backend that {@link WaitOnAddress#installed()} finds available in this run ({@link #ofThisRun()}).
 * The default test run covers the backends of this OS ({@link #host()}); the run {@code emulators},
 * whose JVM sets the library overrides {@code -Ddev.waitonaddress.NAME.library=...}, covers the
 * foreign backends bound to their contract emulators ({@link #boundToEmulators()}). So a backend that lands
 * later is covered without a change here.
 */
public final class ReliabilityBackends {
    private ReliabilityBackends() {
    }

    /**
     * @return the backends of this run: those bound to a contract emulator when this JVM sets any
     *     library override (the execution {@code emulators}), else those of this OS
     */
    public static List<WaitOnAddress> ofThisRun() {
        return Emulators.anyBound() ? boundToEmulators() : host();
    }

    /** @return every available backend of this OS (no library override) */
    public static List<WaitOnAddress> host() {
        return WaitOnAddress.installed().stream().filter(WaitOnAddress::isAvailable)
                .filter(b -> !Emulators.isBound(b)).filter(ReliabilityBackends::chosen).collect(Collectors.toList());
    }

    /** @return every available backend bound to a contract emulator */
    public static List<WaitOnAddress> boundToEmulators() {
        return WaitOnAddress.installed().stream().filter(WaitOnAddress::isAvailable)
                .filter(Emulators::isBound).filter(ReliabilityBackends::chosen)
                .collect(Collectors.toList());
    }

    /** {@code -Dwoa.reliability.backends=a,b} narrows the run to the backends named. */
    private static boolean chosen(WaitOnAddress b) {
        String only = System.getProperty("woa.reliability.backends", "");
        return only.isEmpty() || java.util.Arrays.asList(only.split(",")).contains(b.name());
    }

    /**
     * @return the seconds each stress run lasts per backend: {@code -Dwoa.stress.seconds=N}
     *     (default {@code dflt}); raise it for longer runs
     */
    public static double stressSeconds(double dflt) {
        String s = System.getProperty("woa.stress.seconds");
        return s == null || s.isEmpty() ? dflt : Double.parseDouble(s);
    }

    /** @return a count scaled by {@code -Dwoa.stress.scale=F} (default 1) */
    public static int scaled(int count) {
        String s = System.getProperty("woa.stress.scale");
        return s == null || s.isEmpty() ? count : (int) Math.max(1, count * Double.parseDouble(s));
    }

    /** Prints one line of figures, tagged so that it can be grepped from the build output. */
    public static void report(String line) {
        System.out.println("[woa-reliability] " + line);
    }
}
