package dev.waitonaddress.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * The class runs a backend on its real OS other than Linux (Windows, macOS, OpenBSD): the per-OS CI
 * workflows. On Linux its tag, {@value #TAG}, is left out (tests/pom.xml, profile {@code real-os}
 * lets it in elsewhere); on a real OS that is not the class's own, the class skips itself.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(RealOsRun.TAG)
public @interface RealOsRun {
    /** The JUnit tag that tests/pom.xml leaves out on Linux. */
    String TAG = "real-os";
}
