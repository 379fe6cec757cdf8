package dev.waitonaddress.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CPU a waiter uses while nothing happens: for each kind of {@link Turn}, starts the pair,
 * hands the turn back and forth {@value #ROUNDS} times, lets the answering side settle in its wait
 * for {@value #SETTLE_MS} ms, then reads the answering thread's CPU time before and after
 * {@value #IDLE_MS} ms of nothing. Prints one line per kind,
 * {@code IDLE <scope>:<kind> <cpu_ns_over_idle_time>}, for {@code bench/report.py}.
 *
 * <p>usage: {@code IdleCpu [scope:kind ...]} (default: every kind of both scopes). Linux only.
 */
public final class IdleCpu {
    static final int ROUNDS = 20_000;
    static final int SETTLE_MS = 200;
    static final int IDLE_MS = 2_000;

    private IdleCpu() {
    }

    public static void main(String[] args) throws Exception {
        List<String> which = new ArrayList<>(Arrays.asList(args));
        if (which.isEmpty()) {
            Turn.IN_PROCESS.forEach(k -> which.add("inProcess:" + k));
            Turn.CROSS_PROCESS.forEach(k -> which.add("crossProcess:" + k));
        }
        for (String w : which) {
            int colon = w.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(w + ": expected scope:kind, e.g. crossProcess:counted");
            }
            try (Pair pair = Pair.open(w.substring(0, colon), w.substring(colon + 1))) {
                for (int i = 0; i < ROUNDS; i++) {
                    pair.turn.ping();
                }
                Thread.sleep(SETTLE_MS);
                long before = pair.answererCpuNanos();
                Thread.sleep(IDLE_MS);
                long used = pair.answererCpuNanos() - before;
                System.out.println("IDLE " + pair.name + " " + used);
            }
        }
    }
}
