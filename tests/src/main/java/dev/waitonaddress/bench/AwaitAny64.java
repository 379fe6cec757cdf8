package dev.waitonaddress.bench;

import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitTarget;
import dev.waitonaddress.Width;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code awaitAny} over 64 words, one of them changed and woken, as a round trip: the measured
 * thread stores 1 in a request word and wakes it, then sleeps in {@code awaitAny} over the 64
 * words; the answering thread sleeps on the request word, clears it, flips word {@code i}
 * ({@code i} = round mod 64, known to both) and wakes it. Baseline: the same with
 * {@code futex_waitv} over 64 words and {@code FUTEX_WAIT}/{@code FUTEX_WAKE} in C.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AwaitAny64 {
    static final int N = 64;
    private static final int REQUEST = N; // the word after the 64

    private final WaitOnAddress futex = WaitOnAddress.system();
    private final Words w = new Words(N + 1);
    /** targets.get(i) expects the current value of word i; [value][i] are made once. */
    private final WaitTarget[][] made = new WaitTarget[2][N];
    private final List<WaitTarget> targets = new ArrayList<>(N);
    private int round;
    private Ponger answerer;

    @Setup(Level.Trial)
    public void start() {
        for (int i = 0; i < N; i++) {
            made[0][i] = WaitTarget.ofInt(w.pointer(i), 0, Scope.PRIVATE);
            made[1][i] = WaitTarget.ofInt(w.pointer(i), 1, Scope.PRIVATE);
            targets.add(made[0][i]);
        }
        answerer = new Ponger("woa-bench-any", self -> {
            int next = 0;
            for (;;) {
                while (w.get(REQUEST) == 0) {
                    futex.await(w.pointer(REQUEST), Width.INT32, 0, Scope.PRIVATE);
                }
                if (self.stopping()) {
                    return;
                }
                w.set(REQUEST, 0);
                int i = next;
                next = (next + 1) % N;
                w.set(i, w.get(i) ^ 1);
                futex.wakeOne(w.pointer(i), Width.INT32, Scope.PRIVATE);
            }
        });
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        answerer.stop(() -> {
            w.set(REQUEST, 1);
            futex.wakeAll(w.pointer(REQUEST), Width.INT32, Scope.PRIVATE);
        });
    }

    @Benchmark
    public int spi() throws InterruptedException {
        int i = round;
        round = (round + 1) % N;
        int before = (int) targets.get(i).expected();
        w.set(REQUEST, 1);
        futex.wakeOne(w.pointer(REQUEST), Width.INT32, Scope.PRIVATE);
        int woken;
        do {
            woken = futex.awaitAny(targets);
        } while (w.get(i) == before);
        targets.set(i, made[before ^ 1][i]);
        return woken;
    }
}
