package dev.waitonaddress.spi;

import dev.waitonaddress.WaitOnAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Discovery: finds the installed backends and picks the best one. Used by {@link WaitOnAddress}. */
public final class Backends {
    /** The system property that forces a backend by name. */
    public static final String FORCE_PROPERTY = "dev.waitonaddress.backend";

    private Backends() {
    }

    private static final class Installed {
        static final List<WaitOnAddress> ALL = load();
    }

    /** The chosen backend, once chosen; a failed choice is not cached, so each call reports it. */
    private static volatile WaitOnAddress chosen;

    /** @return every backend found, highest priority first */
    public static List<WaitOnAddress> installed() {
        return Installed.ALL;
    }

    /** @return the chosen backend; see {@link WaitOnAddress#system()} */
    public static WaitOnAddress system() {
        WaitOnAddress c = chosen;
        if (c == null) {
            synchronized (Backends.class) {
                c = chosen;
                if (c == null) {
                    c = choose(System.getProperty(FORCE_PROPERTY), installed());
                    chosen = c;
                }
            }
        }
        return c;
    }

    private static List<WaitOnAddress> load() {
        List<WaitOnAddress> found = new ArrayList<>();
        ServiceLoader<WaitOnAddress> loader = ServiceLoader.load(WaitOnAddress.class, Backends.class.getClassLoader());
        loader.stream().forEach(provider -> {
            try {
                found.add(provider.get());
            } catch (ServiceConfigurationError | LinkageError e) {
                found.add(new UnloadableBackend(provider.type().getName(), e));
            }
        });
        found.sort(Comparator.comparingInt(WaitOnAddress::priority).reversed().thenComparing(WaitOnAddress::name));
        return List.copyOf(found);
    }

    /**
     * @param forced the name asked for, or null
     * @return the forced backend, or else the available one of highest priority
     * @throws IllegalStateException if the forced one is unknown or unavailable, or none is available
     */
    static WaitOnAddress choose(String forced, List<WaitOnAddress> installed) {
        if (forced != null && !forced.isEmpty()) {
            for (WaitOnAddress b : installed) {
                if (b.name().equals(forced)) {
                    if (b.isAvailable()) {
                        return b;
                    }
                    throw new IllegalStateException("-D" + FORCE_PROPERTY + "=" + forced
                            + " names a backend that is unavailable here. " + describe(installed));
                }
            }
            throw new IllegalStateException("-D" + FORCE_PROPERTY + "=" + forced
                    + " names no installed backend. " + describe(installed));
        }
        for (WaitOnAddress b : installed) {
            if (b.isAvailable()) {
                return b;
            }
        }
        throw new IllegalStateException("No backend is available. " + describe(installed));
    }

    /** @return one line per installed backend: its name, priority, and availability or cause */
    public static String describe(List<WaitOnAddress> installed) {
        StringBuilder sb = new StringBuilder("Installed backends:");
        if (installed.isEmpty()) {
            sb.append(" none (is wait-on-address-api on the class or module path?)");
        }
        for (WaitOnAddress b : installed) {
            sb.append(System.lineSeparator()).append("  ").append(b.name())
                    .append(" (priority ").append(b.priority()).append("): ")
                    .append(b.unavailabilityCause().map(c -> "unavailable: " + c).orElse("available"));
        }
        return sb.toString();
    }
}
