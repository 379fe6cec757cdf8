package dev.waitonaddress.suite;

import java.util.Arrays;

/** Percentiles of a set of durations in nanoseconds, printed in microseconds. */
final class Stats {
    private final long[] values;
    private int n;

    Stats(int capacity) {
        values = new long[capacity];
    }

    synchronized void add(long v) {
        if (n < values.length) {
            values[n++] = v;
        }
    }

    synchronized int count() {
        return n;
    }

    synchronized long percentile(double p) {
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        int i = (int) Math.min(n - 1, Math.max(0, Math.ceil(p / 100.0 * n) - 1));
        return sorted[i];
    }

    synchronized String summary() {
        return String.format("n=%d p50=%.1fus p99=%.1fus max=%.1fus", n, percentile(50) / 1e3, percentile(99) / 1e3,
                percentile(100) / 1e3);
    }
}
