package dev.waitonaddress.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a JDK of at least a given feature version for tests that run a child JVM newer than the
 * one running the tests (virtual threads need 21, the native-access refusal 24).
 *
 * <p>Where it looks, in order:
 * <ol>
 * <li>the running JVM, if it is recent enough;
 * <li>{@code -Dwoa.jdk21=DIR} or the environment variable {@code WOA_JDK21}: a JDK home (or its
 *     {@code bin/java}), 21 or later; given but too old or missing, that is the answer (no search);
 * <li>{@code JAVA_HOME}, the {@code java} on {@code PATH}, and every JDK found by listing the usual
 *     install folders ({@code /usr/lib/jvm}, {@code /usr/java}, {@code /opt/java},
 *     {@code /opt/hostedtoolcache/Java_*}, {@code ~/.sdkman/candidates/java}, {@code ~/.jdks},
 *     {@code /Library/Java/JavaVirtualMachines}, {@code C:\Program Files\Java} and
 *     {@code C:\Program Files\Eclipse Adoptium}); the newest recent-enough one wins.
 * </ol>
 * A JDK's version is read from its {@code release} file.
 */
public final class Jdks {
    /** The system property naming a JDK 21+ home. */
    public static final String PROPERTY = "woa.jdk21";
    /** The environment variable naming a JDK 21+ home. */
    public static final String ENV = "WOA_JDK21";

    private Jdks() {
    }

    /** A JDK found, or why none was. */
    public static final class Found {
        /** the {@code java} launcher, or null */
        public final Path java;
        /** its feature version, or 0 */
        public final int feature;
        /** what was looked at, for a skip message */
        public final String reason;

        Found(Path java, int feature, String reason) {
            this.java = java;
            this.feature = feature;
            this.reason = reason;
        }
    }

    /**
     * @param minFeature the lowest acceptable feature version, e.g. 21
     * @return the JDK to run, or one with {@code java == null} and a reason that says where it looked
     */
    public static Found atLeast(int minFeature) {
        if (Runtime.version().feature() >= minFeature) {
            return new Found(Paths.get(System.getProperty("java.home"), "bin", exe("java")),
                    Runtime.version().feature(), "the running JVM");
        }
        String given = System.getProperty(PROPERTY, System.getProperty("woa.jdk21.java"));
        String source = "-D" + PROPERTY;
        if (given == null || given.isEmpty()) {
            given = System.getenv(ENV);
            source = ENV;
        }
        if (given != null && !given.isEmpty()) {
            Path home = home(Paths.get(given));
            int v = home == null ? 0 : feature(home);
            if (v >= minFeature) {
                return new Found(home.resolve("bin").resolve(exe("java")), v, source + "=" + given);
            }
            return new Found(null, v, source + "=" + given + " is " + (home == null ? "not a JDK"
                    : "JDK " + v) + "; this test needs JDK " + minFeature + " or later");
        }
        Set<Path> candidates = new LinkedHashSet<>();
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isEmpty()) {
            candidates.add(Paths.get(javaHome));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path java = Paths.get(dir.isEmpty() ? "." : dir, exe("java"));
            if (Files.isExecutable(java)) {
                try {
                    candidates.add(java.toRealPath().getParent().getParent());
                } catch (IOException e) {
                    // a dangling link: not a candidate
                }
            }
        }
        String user = System.getProperty("user.home", "");
        List<Path> folders = List.of(Paths.get("/usr/lib/jvm"), Paths.get("/usr/java"),
                Paths.get("/opt/java"), Paths.get(user, ".sdkman", "candidates", "java"), Paths.get(user, ".jdks"),
                Paths.get("/Library/Java/JavaVirtualMachines"), Paths.get("C:\\Program Files\\Java"),
                Paths.get("C:\\Program Files\\Eclipse Adoptium"));
        for (Path folder : folders) {
            for (Path p : list(folder)) {
                candidates.add(p);
                candidates.add(p.resolve("Contents").resolve("Home")); // macOS bundles
            }
        }
        // GitHub runners' tool cache: /opt/hostedtoolcache/Java_Temurin-Hotspot_jdk/25.0.1-8/x64
        for (Path vendor : list(Paths.get("/opt/hostedtoolcache"))) {
            for (Path version : list(vendor)) {
                candidates.addAll(list(version));
            }
        }
        Path best = null;
        int bestFeature = 0;
        for (Path c : candidates) {
            Path home = home(c);
            int v = home == null ? 0 : feature(home);
            if (v >= minFeature && v > bestFeature) {
                best = home;
                bestFeature = v;
            }
        }
        if (best != null) {
            return new Found(best.resolve("bin").resolve(exe("java")), bestFeature, "found at " + best);
        }
        return new Found(null, 0, "no JDK " + minFeature + "+ found (the running JVM is "
                + Runtime.version().feature() + "; looked at JAVA_HOME, PATH, " + folders + " and /opt/hostedtoolcache): set -D" + PROPERTY + "=DIR or " + ENV + "=DIR to a JDK " + minFeature + "+ home");
    }

    private static String exe(String name) {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? name + ".exe" : name;
    }

    /** @return the JDK home at {@code p} (a home, or a path to its bin/java), or null */
    private static Path home(Path p) {
        Path h = Files.isRegularFile(p) && p.getParent() != null ? p.getParent().getParent() : p;
        if (h != null && Files.isRegularFile(h.resolve("release"))
                && Files.isExecutable(h.resolve("bin").resolve(exe("java")))) {
            return h;
        }
        return null;
    }

    private static final Pattern VERSION = Pattern.compile("JAVA_VERSION=\"(1\\.)?(\\d+)");

    private static int feature(Path home) {
        try {
            Matcher m = VERSION.matcher(new String(Files.readAllBytes(home.resolve("release")), StandardCharsets.UTF_8));
            return m.find() ? Integer.parseInt(m.group(2)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: nothing there for us
        }
        return out;
    }
}
