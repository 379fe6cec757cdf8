package dev.waitonaddress.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * The class runs in the default execution and again in the execution {@code emulators} (see
 * {@link EmulatorRun}), each time over the backends of that run, which it takes from data
 * (e.g. {@code ReliabilityBackends.ofThisRun()}): the backends of this OS in the default run,
 * the backends bound to their contract emulators in the other. Carries the tag {@value #TAG} for
 * both JUnit Jupiter and jqwik.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(EveryRun.TAG)
@net.jqwik.api.Tag(EveryRun.TAG)
public @interface EveryRun {
    /** The JUnit tag that tests/pom.xml selects for the execution {@code emulators} as well. */
    String TAG = "every-run";
}
