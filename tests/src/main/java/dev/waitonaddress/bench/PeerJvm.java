package dev.waitonaddress.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** What the cross-process benchmarks share to start their second JVM and the file both map. */
final class PeerJvm {
    private PeerJvm() {
    }

    /**
     * The command that runs {@code main} in a second JVM of this one's JDK and class path, with
     * native access granted on JDK 22+ (the Linux backend's {@code java.lang.foreign} path) and
     * this JVM's {@code dev.waitonaddress.*} settings (spins, a backend), so both sides agree;
     * the caller appends the arguments.
     */
    static List<String> command(Class<?> main) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("dev.waitonaddress."))
                .sorted().forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.add(main.getName());
        return cmd;
    }

    /** {@return {@code /dev/shm} where there is one, else the temporary directory} */
    static Path sharedDirectory() {
        Path shm = Paths.get("/dev/shm");
        return Files.isDirectory(shm) ? shm : Paths.get(System.getProperty("java.io.tmpdir"));
    }
}
