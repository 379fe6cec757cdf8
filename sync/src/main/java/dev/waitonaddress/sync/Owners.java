package dev.waitonaddress.sync;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Who owns a SHARED mutex and whether that process still lives, and the re-check interval of
 * waits that must notice a dead peer.
 *
 * <p>A process is dead when {@code kill(pid, 0)} fails with {@code ESRCH}, or, on Linux, when
 * {@code /proc/<pid>/stat} shows it a zombie ({@code Z}) or dead ({@code X}): a zombie no longer
 * maps any memory, it only waits for its parent to collect its exit status. {@code EPERM} (another
 * user's process) means alive. Where {@code kill} cannot be called, {@link ProcessHandle} decides.
 */
final class Owners {
    /** The property that sets {@link #RECHECK_NANOS}, in milliseconds. */
    static final String RECHECK_PROPERTY = "dev.waitonaddress.sync.recheckMillis";
    /** The default of {@link #RECHECK_PROPERTY}. */
    static final long DEFAULT_RECHECK_MILLIS = 100;
    /** The longest a waiter that must notice a dead peer sleeps before it looks again. */
    static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(recheckMillis());
    /** The owner field of a SHARED mutex word: the low 30 bits. */
    static final int PID_MASK = 0x3fff_ffff;
    /** This process's id, as the owner field records it; 0 if it does not fit the field. */
    static final int SELF = self();

    /** errno "no such process": the same number on Linux, macOS and the BSDs. */
    private static final int ESRCH = 3;
    /** Whether /proc can tell a zombie. */
    private static final boolean LINUX = Platform.isLinux();
    /** Whether {@link #kill} is bound. */
    private static final boolean KILL = bindKill();

    /** Not instantiable. */
    private Owners() {
    }

    /**
     * @return the re-check interval in milliseconds, from {@link #RECHECK_PROPERTY} or the default
     * @throws IllegalArgumentException if the property is set to something other than 1 to 60000
     */
    private static long recheckMillis() {
        String v = System.getProperty(RECHECK_PROPERTY);
        if (v == null) {
            return DEFAULT_RECHECK_MILLIS;
        }
        try {
            long ms = Long.parseLong(v.trim());
            if (ms >= 1 && ms <= 60_000) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + RECHECK_PROPERTY + "=" + v + ": expected 1 to 60000 (milliseconds)");
    }

    /** @return this process's id, or 0 if it does not fit in {@link #PID_MASK} */
    private static int self() {
        long pid = ProcessHandle.current().pid();
        return pid > 0 && pid < PID_MASK ? (int) pid : 0;
    }

    /** @return whether libc's {@code kill} could be bound to {@link #kill} */
    private static boolean bindKill() {
        if (Platform.isWindows()) {
            return false;
        }
        try {
            Native.register(Owners.class, Platform.C_LIBRARY_NAME);
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }

    /**
     * libc {@code kill(2)}; bound only where {@link #KILL} is true.
     *
     * @param pid a process id
     * @param signal a signal number, 0 to test only whether the process exists
     * @return 0
     * @throws LastErrorException with the {@code errno} of a failure
     */
    private static native int kill(int pid, int signal) throws LastErrorException;

    /**
     * @param pid a process id recorded in a word
     * @return whether the process has surely ended (a zombie counts as ended); false when unsure
     */
    static boolean isDead(int pid) {
        if (pid <= 0) {
            return false;
        }
        if (KILL) {
            try {
                kill(pid, 0);
            } catch (LastErrorException e) {
                // ESRCH: no such process; EPERM: it exists, under another user (whose /proc entries
                // may be hidden from us, so no zombie check)
                return e.getErrorCode() == ESRCH;
            }
            return LINUX && zombie(pid);
        }
        return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * @param pid a process id
     * @return whether /proc shows {@code pid} ended but not yet collected by its parent
     */
    private static boolean zombie(int pid) {
        try {
            String stat = new String(Files.readAllBytes(Paths.get("/proc", Integer.toString(pid), "stat")),
                    StandardCharsets.US_ASCII);
            int close = stat.lastIndexOf(')'); // "pid (comm) S ...": comm may hold spaces and parentheses
            if (close < 0 || close + 2 >= stat.length()) {
                return false;
            }
            char state = stat.charAt(close + 2);
            return state == 'Z' || state == 'X';
        } catch (NoSuchFileException e) {
            return true; // gone between kill and the read
        } catch (IOException | SecurityException e) {
            return false; // cannot tell (e.g. /proc mounted with hidepid): kill said it exists
        }
    }
}
