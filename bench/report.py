#!/usr/bin/env python3
"""Prints the comparison table and the RATIO lines of bench/run.sh.

usage: report.py BASELINES_TXT JMH_JSON... [--also TAG JMH_JSON...]
Each figure is the median of the per-iteration averages in ns per operation (JMH's rawData over
every fork, or the per-iteration means of a sample-mode histogram; the C/C++ programs print one
line per iteration). Percentiles come from the sample-mode histograms of every run merged.
BASELINES_TXT also holds the lines of IdleCpu: IDLE <scope>:<kind> <cpu_ns_over_2_s>.
--also TAG: the JMH results of the same benchmarks on a second JDK (bench/run.sh --also-jdk);
their comparisons are printed again with @TAG after each name.
"""
import json
import statistics
import sys

# name, our JMH benchmark, baseline, target ratio (None: for information)
COMPARISONS = [
    ("wake-no-waiter.spi", "WakeNoWaiter.spiWake", "c.wake", 1.5),
    ("wake-no-waiter.atomicWait", "AtomicWaitBench.wakeOneNoWaiter", "cpp.notify", 2.0),
    ("await-mismatch.spi", "AwaitMismatch.spiAwait", "c.mismatch", None),
    ("pingpong-threads.spi", "ThreadPingPong.spi", "c.pingpong", 1.15),
    ("pingpong-threads.atomicWait", "AtomicWaitBench.pingPong", "cpp.pingpong", 1.25),
    ("pingpong-threads.lockSupport", "Alternatives.inProcess:lockSupport", "c.pingpong", None),
    ("pingpong-processes.spi", "Alternatives.crossProcess:spi", "c.pingpong-proc", 1.25),
    ("awaitAny64.spi", "AwaitAny64.spi", "c.waitv64", 1.25),
    ("broadcast16.requeue-vs-wakeAll", "Broadcast16.requeue", "Broadcast16.wakeAll", None),
    # the synchronizers of the sync module against java.util.concurrent and FileChannel.lock
    ("mutex.uncontended", "MutexBench.mutexUncontended", "MutexBench.reentrantLockUncontended", 1.5),
    ("mutex.contended-2-threads", "MutexBench.mutexContended", "MutexBench.reentrantLockContended", 1.25),
    ("mutex.shared-2-jvms-vs-fileLock", "SharedMutexBench.sharedMutex", "SharedMutexBench.fileLock", None),
    ("condition.signalAll16.requeue-vs-wakeAll", "ConditionBroadcast16.requeue", "ConditionBroadcast16.wakeAll", None),
    ("semaphore.uncontended", "SemaphoreLatchBench.semaphoreUncontended", "SemaphoreLatchBench.jucSemaphoreUncontended", None),
    ("semaphore.pingpong", "SemaphoreLatchBench.semaphorePingPong", "SemaphoreLatchBench.jucSemaphorePingPong", None),
    ("latch.one-shot", "SemaphoreLatchBench.latchOneShot", "SemaphoreLatchBench.jucCountDownLatchOneShot", None),
    # SHARED words with a waiter count: no system call when no process sleeps
    ("wake-no-waiter.shared-counted", "Alternatives.wakeSharedNoWaiter", "WakeNoWaiter.spiWake", None),
]

# Alternatives: every way of handing a turn, by scope; ours first. Ratio = ours / that way.
ALTERNATIVES = {
    "inProcess": ["atomic", "lockSupport", "waitNotify", "lockCondition", "synchronousQueue", "spin"],
    "crossProcess": ["counted", "spi", "unixSocket", "pipe", "agrona", "spin"],
}
ALT_TARGETS = {("crossProcess", "spin"): 1.5, ("crossProcess", "unixSocket"): 0.1}
# name, benchmark, largest ns per operation
ABSOLUTE = [("wake-no-waiter.shared-counted.ns", "Alternatives.wakeSharedNoWaiter", 10.0)]
IDLE_SECONDS = 2.0
IDLE_TARGETS = {"crossProcess:counted": 0.1, "inProcess:atomic": 0.1}  # % of a core
# ours, baseline whose p99 ours must not exceed
P99_TARGETS = [("Alternatives.crossProcess:counted", "Alternatives.crossProcess:agrona")]


def load(jmh_jsons):
    """Per-iteration figures and merged histograms of the JMH result files, by short name."""
    samples, histograms = {}, {}
    for jmh_json in jmh_jsons:
        try:
            with open(jmh_json) as f:
                runs = json.load(f)
        except (OSError, ValueError):
            continue  # a group whose JMH run failed: its figures show as n/a
        for run in runs:
            parts = run["benchmark"].rsplit(".", 2)
            name = parts[-2] + "." + parts[-1]
            if run.get("params"):
                name += ":" + ",".join(run["params"].values())
            metric = run["primaryMetric"]
            if "rawDataHistogram" in metric:
                for fork in metric["rawDataHistogram"]:
                    for iteration in fork:
                        n = sum(c for _, c in iteration)
                        if n:
                            samples.setdefault(name, []).append(sum(v * c for v, c in iteration) / n)
                        merged = histograms.setdefault(name, {})
                        for v, c in iteration:
                            merged[v] = merged.get(v, 0) + c
            else:
                samples.setdefault(name, []).extend(s for fork in metric["rawData"] for s in fork)
    return samples, histograms


def percentile(histogram, p):
    if not histogram:
        return None
    total = sum(histogram.values())
    rank, seen = p / 100.0 * total, 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)


def read_baselines(baselines_txt):
    samples, idle = {}, {}
    with open(baselines_txt) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                samples.setdefault(parts[0], []).append(float(parts[1]))
            elif len(parts) == 3 and parts[0] == "IDLE":
                idle.setdefault(parts[1], []).append(float(parts[2]))
    return samples, {k: statistics.median(v) for k, v in idle.items()}


def report(samples, histograms, idle, tag):
    suffix = "" if tag is None else "@" + tag
    figures = {name: statistics.median(v) for name, v in samples.items()}
    best = {name: min(v) for name, v in samples.items()}
    lines = []
    print()
    if tag is not None:
        print(f"=== The same benchmarks on {tag} ===")
    print("Figures: median of the per-iteration averages, ns per operation; ratio = ours / baseline;")
    print("'best' = ratio of the fastest iterations of each side (less sensitive to a loaded machine).")
    print(f"{'benchmark':40} {'ours ns':>11} {'baseline':36} {'base ns':>11} {'ratio':>7} {'best':>6} {'target':>7}")
    for name, ours, base, target in COMPARISONS:
        o, b = figures.get(ours), figures.get(base)
        if tag is not None and o is None:
            continue  # not run on the second JDK
        ratio = o / b if o is not None and b else None
        best_ratio = best[ours] / best[base] if ratio is not None and best[base] else None
        print(f"{name + suffix:40} {fmt(o):>11} {base:36} {fmt(b):>11} {fmt(ratio, 2):>7} {fmt(best_ratio, 2):>6} "
              f"{('<= ' + str(target)) if target else '-':>7} {verdict(ratio, target)}")
        lines.append(ratio_line(name + suffix, o, base, b, ours))
    for name, bench, limit in ABSOLUTE:
        o = figures.get(bench)
        if o is None and tag is not None:
            continue
        print(f"{name + suffix:40} {fmt(o):>11} {'(absolute)':36} {'':>11} {'':>7} {'':>6} {'<= ' + str(limit):>7} "
              f"{verdict(o, limit)}")
        lines.append(f"ABSOLUTE {name}{suffix} {fmt(o)} ns (target <= {limit} ns) {verdict(o, limit)}".rstrip())

    for scope, kinds in ALTERNATIVES.items():
        ours = f"Alternatives.{scope}:{kinds[0]}"
        if not any(f"Alternatives.{scope}:{k}" in figures for k in kinds):
            continue
        print()
        print(f"Alternatives, {scope} (one round trip; idle CPU: the waiting side over {IDLE_SECONDS:.0f} s at rest)")
        print(f"{'kind':18} {'mean ns':>10} {'p50 ns':>10} {'p99 ns':>10} {'idle CPU':>14} {'ours/this':>10} {'target':>8}")
        for k in kinds:
            name = f"Alternatives.{scope}:{k}"
            h = histograms.get(name)
            cpu = idle.get(f"{scope}:{k}") if tag is None else None
            pct = None if cpu is None else cpu / (IDLE_SECONDS * 1e9) * 100
            o, b = figures.get(ours), figures.get(name)
            ratio = o / b if o is not None and b and k != kinds[0] else None
            target = ALT_TARGETS.get((scope, k))
            cpu_text = "n/a" if pct is None else f"{cpu / 1e6:.3f} ms {pct:.2f}%"
            print(f"{k:18} {fmt(b):>10} {fmt(percentile(h, 50)):>10} {fmt(percentile(h, 99)):>10} {cpu_text:>14} "
                  f"{fmt(ratio, 3):>10} {('<= ' + str(target)) if target else '-':>8} {verdict(ratio, target)}")
            if k != kinds[0]:
                lines.append(ratio_line(f"alternatives.{scope}.{kinds[0]}-vs-{k}{suffix}", o, name, b, ours))
    for ours, base in P99_TARGETS:
        o, b = percentile(histograms.get(ours), 99), percentile(histograms.get(base), 99)
        if o is None and tag is not None:
            continue
        short = lambda n: n.split(":")[-1]
        lines.append(ratio_line(f"alternatives.p99.{short(ours)}-vs-{short(base)}{suffix}", o, base + ".p99", b,
                                ours + ".p99", 1.0))
    if tag is None:
        for name, limit in IDLE_TARGETS.items():
            cpu = idle.get(name)
            pct = None if cpu is None else cpu / (IDLE_SECONDS * 1e9) * 100
            lines.append(f"IDLE {name} {fmt(cpu, 0)} ns of CPU in {IDLE_SECONDS:.0f} s = {fmt(pct, 3)}% of a core "
                         f"(target < {limit}%) {verdict(pct, limit)}".rstrip())
    others = sorted(set(figures) - {c[1] for c in COMPARISONS} - {c[2] for c in COMPARISONS}
                    - {a[1] for a in ABSOLUTE} - {n for n in figures if n.startswith("Alternatives.")})
    for name in others:
        if tag is None or "." in name and not name.startswith(("c.", "cpp.")):
            print(f"{name + suffix:40} {fmt(figures[name]):>11}")
    print()
    print("\n".join(lines))


def ratio_line(name, o, base, b, ours, target=None):
    if o is not None and b:
        return f"RATIO {name} {o:.1f} {base} {b:.1f} {o / b:.3f}" + (f" (target <= {target}) {verdict(o / b, target)}"
                                                                    if target else "")
    return f"# {name}: no figure for {ours if o is None else base} (not built or failed)"


def verdict(value, target):
    return "" if target is None or value is None else ("met" if value <= target else "MISSED")


def main(baselines_txt, *rest):
    rest = list(rest)
    also = None
    if "--also" in rest:
        i = rest.index("--also")
        also = (rest[i + 1], rest[i + 2:])
        rest = rest[:i]
    c_samples, idle = read_baselines(baselines_txt)
    samples, histograms = load(rest)
    report({**c_samples, **samples}, histograms, idle, None)
    if also is not None:
        samples, histograms = load(also[1])
        if samples:
            report({**c_samples, **samples}, histograms, idle, also[0])


def fmt(x, digits=1):
    return "n/a" if x is None else f"{x:.{digits}f}"


if __name__ == "__main__":
    main(*sys.argv[1:])
