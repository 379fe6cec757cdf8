package dev.waitonaddress;

import dev.waitonaddress.spi.Backend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the installed backends, wraps each in the {@link Policy}, and picks the best one; behind
 * {@link WaitOnAddress#system()} and {@link WaitOnAddress#installed()}.
 */
final class Discovery {
    private Discovery() {
    }

    private static final class Installed {
        static final List<WaitOnAddress> ALL = load();
    }

    /** The chosen backend, once chosen; a failed choice is not cached, so each call reports it. */
    private static volatile WaitOnAddress chosen;

    /** @return every backend found, highest priority first */
    static List<WaitOnAddress> installed() {
        return Installed.ALL;
    }

    /** @return the chosen backend; see {@link WaitOnAddress#system()} */
    static WaitOnAddress system() {
        WaitOnAddress c = chosen;
        if (c == null) {
            synchronized (Discovery.class) {
                c = chosen;
                if (c == null) {
                    c = choose(System.getProperty(WaitOnAddress.BACKEND_PROPERTY), installed());
                    chosen = c;
                }
            }
        }
        return c;
    }

    private static List<WaitOnAddress> load() {
        List<WaitOnAddress> found = new ArrayList<>();
        ServiceLoader<Backend> loader = ServiceLoader.load(Backend.class, Discovery.class.getClassLoader());
        loader.stream().forEach(provider -> {
            Backend backend;
            try {
                backend = provider.get();
            } catch (ServiceConfigurationError | LinkageError e) {
                found.add(Policy.unloadable(provider.type().getName(), e));
                return;
            }
            found.add(Policy.over(backend));
        });
        found.sort(Comparator.comparingInt(WaitOnAddress::priority).reversed().thenComparing(WaitOnAddress::name));
        return List.copyOf(found);
    }

    /**
     * @param forced the name asked for, or null
     * @param installed the backends to choose from
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
                    throw new IllegalStateException("-D" + WaitOnAddress.BACKEND_PROPERTY + "=" + forced
                            + " names a backend that is unavailable here. " + describe(installed));
                }
            }
            throw new IllegalStateException("-D" + WaitOnAddress.BACKEND_PROPERTY + "=" + forced
                    + " names no installed backend. " + describe(installed));
        }
        for (WaitOnAddress b : installed) {
            if (b.isAvailable()) {
                return b;
            }
        }
        throw new IllegalStateException("No backend is available. " + describe(installed));
    }

    /**
     * @param installed the backends found
     * @return one line per installed backend: its name, priority, and availability or cause
     */
    static String describe(List<WaitOnAddress> installed) {
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
