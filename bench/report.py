#!/usr/bin/env python3
"""Prints the comparison table and the RATIO lines of bench/run.sh.

usage: report.py BASELINES_TXT JMH_JSON...
Each figure is the median of the per-iteration averages in ns per operation (JMH's rawData over
every fork; the C/C++ programs print one line per iteration).
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
    ("pingpong-threads.lockSupport", "ThreadPingPong.lockSupport", "c.pingpong", None),
    ("pingpong-processes.spi", "ProcessPingPong.spiShared", "c.pingpong-proc", 1.25),
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
    # SHARED words with a waiter count: no system call when no process sleeps (issue 13)
    ("wake-no-waiter.shared-counted", "SharedAlternatives.wakeSharedNoWaiter", "WakeNoWaiter.spiWake", None),
    ("pingpong-processes.counted-vs-spin", "SharedAlternatives.atomicCounted", "SharedAlternatives.spin", 1.5),
    ("pingpong-processes.counted-vs-spi", "SharedAlternatives.atomicCounted", "ProcessPingPong.spiShared", None),
]


def main(baselines_txt, *jmh_jsons):
    figures = {}
    samples = {}
    for jmh_json in jmh_jsons:
        try:
            with open(jmh_json) as f:
                runs = json.load(f)
        except (OSError, ValueError):
            continue  # a group whose JMH run failed: its figures show as n/a
        for run in runs:
            name = run["benchmark"].rsplit(".", 2)
            name = name[-2] + "." + name[-1]
            samples.setdefault(name, []).extend(s for fork in run["primaryMetric"]["rawData"] for s in fork)
    with open(baselines_txt) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                samples.setdefault(parts[0], []).append(float(parts[1]))
    best = {}
    for name, values in samples.items():
        figures[name] = statistics.median(values)
        best[name] = min(values)

    print()
    print("Figures: median of the per-iteration averages, ns per operation; ratio = ours / baseline;")
    print("'best' = ratio of the fastest iterations of each side (less sensitive to a loaded machine).")
    print(f"{'benchmark':32} {'ours ns':>11} {'baseline':22} {'base ns':>11} {'ratio':>7} {'best':>6} {'target':>7}")
    lines = []
    for name, ours, base, target in COMPARISONS:
        o, b = figures.get(ours), figures.get(base)
        ratio = o / b if o is not None and b else None
        best_ratio = best[ours] / best[base] if ratio is not None and best[base] else None
        verdict = "" if target is None or ratio is None else ("met" if ratio <= target else "MISSED")
        print(f"{name:32} {fmt(o):>11} {base:22} {fmt(b):>11} {fmt(ratio, 2):>7} {fmt(best_ratio, 2):>6} "
              f"{('<= ' + str(target)) if target else '-':>7} {verdict}")
        if ratio is not None:
            lines.append(f"RATIO {name} {o:.1f} {base} {b:.1f} {ratio:.3f}")
        else:
            missing = ours if o is None else base
            lines.append(f"# {name}: no figure for {missing} (not built or failed)")
    others = sorted(set(figures) - {c[1] for c in COMPARISONS} - {c[2] for c in COMPARISONS})
    for name in others:
        print(f"{name:32} {fmt(figures[name]):>11}")
    print()
    print("\n".join(lines))


def fmt(x, digits=1):
    return "n/a" if x is None else f"{x:.{digits}f}"


if __name__ == "__main__":
    main(*sys.argv[1:])
