package dev.waitonaddress.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.CodeSource;
import org.junit.jupiter.api.Test;

/**
 * The multi-release linux jar: on JDK 22+ a jar built with JDK 22+ calls the kernel through
 * {@code java.lang.foreign}; anything else through JNA. (Run on JDK 22+ to see the first case:
 * {@code JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn verify}.)
 */
class SystemCallPathTest {
    @Test
    void jdk22AndLaterUseTheForeignDowncall() {
        boolean versioned = SystemCall.class.getResource("/META-INF/versions/22/dev/waitonaddress/linux/SystemCall.class") != null;
        CodeSource source = SystemCall.class.getProtectionDomain().getCodeSource();
        boolean fromJar = source != null && source.getLocation().getPath().endsWith(".jar");
        if (Runtime.version().feature() >= 22 && versioned && fromJar) {
            assertTrue(SystemCall.path().startsWith("java.lang.foreign"), SystemCall.path());
        } else {
            assertEquals("JNA direct mapping", SystemCall.path());
        }
    }

    @Test
    void errnoComesBackNegated() {
        // FUTEX_WAIT_PRIVATE on a word holding 0, expecting 1: EAGAIN at once
        try (com.sun.jna.Memory word = new com.sun.jna.Memory(4)) {
            word.setInt(0, 0);
            long r = SystemCall.call(LinuxFutex.SYS_FUTEX, com.sun.jna.Pointer.nativeValue(word),
                    LinuxFutex.FUTEX_WAIT | LinuxFutex.FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
            assertEquals(-LinuxFutex.EAGAIN, r, SystemCall.path());
        }
    }
}
