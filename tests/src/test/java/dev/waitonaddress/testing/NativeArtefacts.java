package dev.waitonaddress.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The C programs and libraries built from {@code tests/src/test/c} by the test build
 * ({@code build.sh}, into {@code target/native}), and the installed programs some tests run
 * ({@link #onPath}).
 */
public final class NativeArtefacts {
    private NativeArtefacts() {
    }

    /** @return the directory of the built artefacts */
    public static Path dir() {
        return Paths.get(System.getProperty("woa.native.dir", "target/native")).toAbsolutePath();
    }

    /**
     * @param name a file name, e.g. {@code "libwoa-windows-emulator.so"} or {@code "futex-peer"}
     * @return its path; skips (strictly: fails) the test when it was not built
     */
    public static Path require(String name) throws java.io.IOException {
        Path unavailable = dir().resolve("UNAVAILABLE");
        Strict.require(!Files.exists(unavailable),
                Files.exists(unavailable) ? Files.readString(unavailable).trim() : "");
        Path p = dir().resolve(name);
        Strict.require(Files.isRegularFile(p), p + " was not built (is gcc installed?)");
        return p;
    }

    /** @return the first executable {@code name} on PATH, or null */
    public static Path onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Paths.get(d.isEmpty() ? "." : d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
