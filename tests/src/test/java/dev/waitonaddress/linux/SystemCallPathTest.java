package dev.waitonaddress.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.spi.NativeCall;
import java.security.CodeSource;
import org.junit.jupiter.api.Test;

/**
 * How linux-futex reaches {@code syscall}: on JDK 22+, with the api classes from a multi-release
 * jar built with JDK 22+, through {@link NativeCall}'s {@code java.lang.foreign} downcall; anything
 * else through JNA's direct mapping. (Run on JDK 22+ to see the first case:
 * {@code JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn verify}.)
 */
class SystemCallPathTest {
    private final LinuxFutexWaitOnAddress futex = new LinuxFutexWaitOnAddress();

    @Test
    void jdk22AndLaterUseTheForeignDowncall() {
        assertNull(futex.unavailabilityCause(), "linux-futex is unavailable here");
        boolean versioned = NativeCall.class.getResource("/META-INF/versions/22/dev/waitonaddress/spi/NativeCall.class") != null;
        CodeSource source = NativeCall.class.getProtectionDomain().getCodeSource();
        boolean fromJar = source != null && source.getLocation().getPath().endsWith(".jar");
        System.out.println("[woa] linux-futex on JDK " + Runtime.version().feature() + ": " + futex.binding());
        if (Runtime.version().feature() >= 22 && versioned && fromJar) {
            assertTrue(futex.binding().startsWith("libc through java.lang.foreign"), futex.binding());
        } else {
            assertTrue(futex.binding().startsWith("libc through JNA direct mapping"), futex.binding());
        }
    }

    @Test
    void errnoComesBackNegated() {
        // FUTEX_WAIT_PRIVATE on a word holding 0, expecting 1: EAGAIN at once, on either path
        try (Memory word = new Memory(4)) {
            word.setInt(0, 0);
            long r = LinuxAbi.call(LinuxAbi.SYS_FUTEX, Pointer.nativeValue(word),
                    LinuxAbi.FUTEX_WAIT | LinuxAbi.FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
            assertEquals(-LinuxAbi.Errno.EAGAIN.code(), r, LinuxAbi.PATH);
        }
    }
}
