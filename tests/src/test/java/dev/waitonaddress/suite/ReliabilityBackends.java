package dev.waitonaddress.suite;

import dev.waitonaddress.WaitOnAddress;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which backends the reliability tests run against, chosen from data rather than names: every
 * backend that {@link WaitOnAddress#installed()} finds available. The default test run covers the
 * backends of this OS ({@link #host()}); the {@code emulated} run, whose JVM sets the library
 * overrides {@code -Ddev.waitonaddress.NAME.library=...}, covers the foreign backends bound to their
 * contract emulators ({@link #emulated()}). So a backend that lands later is covered without a
 * change here.
 */
public final class ReliabilityBackends {
    private ReliabilityBackends() {
    }

    /** @return whether {@code b} is bound to a stand-in library through its override property */
    public static boolean boundToEmulator(WaitOnAddress b) {
        return System.getProperty("dev.waitonaddress." + b.name() + ".library") != null;
    }

    /** @return every available backend of this OS (no library override) */
    public static List<WaitOnAddress> host() {
        return WaitOnAddress.installed().stream().filter(WaitOnAddress::isAvailable)
                .filter(b -> !boundToEmulator(b)).filter(ReliabilityBackends::chosen).collect(Collectors.toList());
    }

    /** @return every available backend bound to a contract emulator */
    public static List<WaitOnAddress> emulated() {
        return WaitOnAddress.installed().stream().filter(WaitOnAddress::isAvailable)
                .filter(ReliabilityBackends::boundToEmulator).filter(ReliabilityBackends::chosen)
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
