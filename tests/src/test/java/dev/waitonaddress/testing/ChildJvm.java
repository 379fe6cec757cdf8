package dev.waitonaddress.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts a second JVM running a {@code main} class of the test class path, for cross-process
 * tests. Its stderr goes to ours; its stdout is readable from the returned {@link Process}.
 * {@code -Dwoa.childJvm.launcher="WORDS"} puts a launcher before the {@code java} command (the
 * {@code aarch64} profile names qemu-user there, as the machine cannot run aarch64 programs alone).
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * @param main a class with {@code public static void main(String[])} on the test class path
     * @param jvmOptions options such as {@code -Dname=value}, before the class name
     * @param args the program's arguments
     */
    public static Process start(Class<?> main, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        String launcher = System.getProperty("woa.childJvm.launcher", "").trim();
        if (!launcher.isEmpty()) { // e.g. "qemu-aarch64-static -L /" when this JVM runs under an emulator
            cmd.addAll(Arrays.asList(launcher.split("\\s+")));
        }
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Xshare:auto");
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(jvmOptions);
        cmd.add(main.getName());
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** As {@link #start(Class, List, String...)} with no JVM options. */
    public static Process start(Class<?> main, String... args) throws IOException {
        return start(main, List.of(), args);
    }

    /** @return the path of the running JVM's {@code java} */
    public static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
