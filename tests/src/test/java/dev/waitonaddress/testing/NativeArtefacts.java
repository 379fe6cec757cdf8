package dev.waitonaddress.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The C programs and libraries built from {@code tests/src/test/c} by the test build
 * ({@code build.sh}, into {@code target/native}).
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
}
