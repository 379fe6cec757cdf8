package dev.waitonaddress.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * The class runs in the surefire execution {@code emulators} only: a JVM of its own that binds
 * the Windows, macOS, OpenBSD and FreeBSD backends to their C contract emulators in {@code target/native}
 * through their library overrides ({@code -Ddev.waitonaddress.NAME.library=PATH}). The default
 * execution leaves out its tag, {@value #TAG} (for JUnit Jupiter and jqwik); {@link Emulators} has
 * the helpers such a class uses.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(EmulatorRun.TAG)
@net.jqwik.api.Tag(EmulatorRun.TAG)
public @interface EmulatorRun {
    /** The JUnit tag that tests/pom.xml selects for the execution {@code emulators}. */
    String TAG = "emulators";
}
