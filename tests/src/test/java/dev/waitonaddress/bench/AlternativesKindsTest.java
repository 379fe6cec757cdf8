package dev.waitonaddress.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.waitonaddress.testing.Watchdog;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The benchmark's alternatives ({@link Turn}, {@link Pair}) work, so that {@code bench/run.sh}
 * measures what it names: every kind, in one JVM and across two, hands the turn back and forth
 * 2,000 times, its answering thread's CPU time can be read (for {@link IdleCpu}), and the pair
 * stops cleanly (the stop handshake once lost the last ping and hung). Linux only: the
 * benchmarks read {@code /proc}.
 */
@EnabledOnOs(OS.LINUX)
class AlternativesKindsTest {
    static Stream<Arguments> kinds() {
        return Stream.concat(Turn.IN_PROCESS.stream().map(k -> Arguments.of("inProcess", k)),
                Turn.CROSS_PROCESS.stream().map(k -> Arguments.of("crossProcess", k)));
    }

    @ParameterizedTest(name = "{0}:{1}")
    @MethodSource("kinds")
    void handsTheTurnBackAndForthAndStops(String scope, String kind) throws Exception {
        Watchdog.run(Duration.ofSeconds(90), scope + ":" + kind + " ping-pong", () -> {
            try (Pair pair = Pair.open(scope, kind)) {
                long before = pair.answererCpuNanos();
                for (int i = 0; i < 2_000; i++) {
                    pair.turn.ping();
                }
                long after = pair.answererCpuNanos();
                // schedstat is brought up to date at scheduler events and ticks, so a spinner's 2,000
                // quick rounds may not move it: readable, positive and never going back is the check
                assertTrue(before > 0 && after >= before, scope + ":" + kind
                        + ": the answering thread's CPU time should be readable (" + before + " -> " + after + " ns)");
            }
            return null;
        });
    }
}
