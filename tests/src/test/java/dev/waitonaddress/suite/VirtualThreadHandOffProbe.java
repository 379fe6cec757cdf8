package dev.waitonaddress.suite;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.SharedMemory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run by {@link ReliabilityVirtualThreadHandOffTest} in a JDK 21+ JVM with two carriers:
 * {@code N} virtual threads blocked in native INT32 waits on one backend must leave the carriers
 * free (another virtual thread counts to a million meanwhile), and every one must return — woken
 * half from Java and half by a C process on a SHARED word, timed out never early, or interrupted.
 * Arguments: backend name, N, path of futex-peer (or "-" for none: all woken from Java). Prints
 * {@code OK}/{@code FAIL}/{@code COST} lines; exits 1 on any failure.
 */
public final class VirtualThreadHandOffProbe {
    private static int failures;

    private VirtualThreadHandOffProbe() {
    }

    private static void check(boolean ok, String what) {
        System.out.println((ok ? "OK " : "FAIL ") + what);
        if (!ok) {
            failures++;
        }
    }

    public static void main(String[] args) throws Exception {
        String backend = args[0];
        int n = Integer.parseInt(args[1]);
        String peer = args.length > 2 ? args[2] : "-";
        WaitOnAddress woa = WaitOnAddress.installed().stream().filter(w -> w.name().equals(backend)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no backend " + backend));
        System.out.println("java " + System.getProperty("java.version") + " backend " + backend + " n " + n);
        boolean shared = !"-".equals(peer) && woa.capabilities().supports(Width.INT32, Scope.SHARED);
        try (SharedMemory shm = SharedMemory.create("woa-vt-handoff", 4096); Memory m = new Memory(64)) {
            m.clear();
            wake(woa, n, m, shared ? shm : null, peer);
            timeouts(woa, n, m.share(8));
            interrupts(woa, n);
            latency(woa, m.share(24));
        }
        System.out.println("failures " + failures);
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Counts to a million in another virtual thread: true if it finished within 10 s. */
    private static boolean counterRuns(String at) throws InterruptedException {
        long[] sum = new long[1];
        long t0 = System.nanoTime();
        Thread c = VirtualThreadProbe.startVirtual(() -> {
            long s = 0;
            for (int i = 0; i < 1_000_000; i++) {
                s += i;
                if ((i & 0xffff) == 0) {
                    Thread.yield();
                }
            }
            sum[0] = s;
        });
        c.join(10_000);
        boolean ok = !c.isAlive() && sum[0] == 499_999_500_000L;
        check(ok, "a virtual thread counts to a million while " + at + " are blocked, in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        return ok;
    }

    private static long status(String key) {
        try {
            for (String l : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (l.startsWith(key + ":")) {
                    return Long.parseLong(l.substring(key.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** Waits until {@code entered} reaches n, then a while longer so that every one is in the OS. */
    private static void settle(AtomicInteger entered, int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (entered.get() < n && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        Thread.sleep(1000);
    }

    private static void wake(WaitOnAddress woa, int n, Pointer javaWord, SharedMemory shm, String peer)
            throws Exception {
        int half = shm == null ? 0 : n / 2;
        Pointer sharedWord = shm == null ? null : shm.pointer();
        if (sharedWord != null) {
            sharedWord.setInt(0, 0);
        }
        javaWord.setInt(0, 0);
        AtomicInteger entered = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        long threads0 = status("Threads");
        long rss0 = status("VmRSS");
        for (int i = 0; i < n; i++) {
            boolean viaC = i < half;
            Pointer p = viaC ? sharedWord : javaWord;
            Scope s = viaC ? Scope.SHARED : Scope.PRIVATE;
            VirtualThreadProbe.startVirtual(() -> {
                entered.incrementAndGet();
                try {
                    while (p.getInt(0) == 0) {
                        woa.await(p, Width.INT32, 0, s);
                    }
                } catch (Throwable e) {
                    failed.incrementAndGet();
                }
                done.countDown();
            });
        }
        settle(entered, n);
        long threads1 = status("Threads");
        long rss1 = status("VmRSS");
        check(done.getCount() == n, "none of " + n + " waiters returned before the wake (" + (n - done.getCount())
                + " did)");
        System.out.println("COST " + n + " blocked virtual threads: +" + (threads1 - threads0) + " platform threads ("
                + String.format("%.3f", (threads1 - threads0) / (double) n) + " each), +" + (rss1 - rss0)
                + " KiB RSS (" + String.format("%.1f", (rss1 - rss0) / (double) n) + " KiB each)");
        counterRuns(n + " waiters");
        long t0 = System.nanoTime();
        javaWord.setInt(0, 1);
        int woken = woa.wakeAll(javaWord, Width.INT32, Scope.PRIVATE);
        String peerSaid = "";
        if (half > 0) {
            Process p = new ProcessBuilder(peer, shm.file().toString(), "0", "store-wake", "1")
                    .redirectErrorStream(true).start();
            peerSaid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            check(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "C peer FUTEX_WAKE: " + peerSaid);
        }
        boolean all = done.await(60, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        check(all && failed.get() == 0, "all " + n + " woken (" + (n - half) + " by wakeAll from Java, which counted "
                + woken + "; " + half + " by the C peer: " + peerSaid + "), lost " + done.getCount() + ", failed "
                + failed.get() + ", in " + ms + " ms");
    }

    private static void timeouts(WaitOnAddress woa, int n, Pointer word) throws Exception {
        word.setInt(0, 0);
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(3000);
        AtomicInteger entered = new AtomicInteger();
        AtomicInteger early = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        AtomicInteger spurious = new AtomicInteger();
        AtomicLong latest = new AtomicLong();
        CountDownLatch done = new CountDownLatch(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            VirtualThreadProbe.startVirtual(() -> {
                entered.incrementAndGet();
                try {
                    long s = System.nanoTime();
                    WaitResult r;
                    // a spurious wake-up is allowed (on Windows a waiter that times out passes one on): wait again
                    while ((r = woa.awaitUntil(word, Width.INT32, 0, Scope.PRIVATE, s + timeoutNanos))
                            == WaitResult.WOKEN) {
                        spurious.incrementAndGet();
                    }
                    long took = System.nanoTime() - s;
                    if (r != WaitResult.TIMED_OUT) {
                        wrong.incrementAndGet();
                    } else if (took < timeoutNanos) {
                        early.incrementAndGet();
                    }
                    latest.accumulateAndGet(took - timeoutNanos, Math::max);
                } catch (Throwable e) {
                    wrong.incrementAndGet();
                }
                done.countDown();
            });
        }
        while (entered.get() < n && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2)) {
            Thread.sleep(10);
        }
        counterRuns(entered.get() + " timed waiters");
        boolean all = done.await(60, TimeUnit.SECONDS);
        check(all && early.get() == 0 && wrong.get() == 0, n + " time-outs of 3 s: lost " + done.getCount()
                + ", early " + early.get() + ", not TIMED_OUT " + wrong.get() + ", spurious wake-ups " + spurious.get() + ", latest "
                + latest.get() / 1_000_000 + " ms late");
    }

    /** Each waiter on a word of its own: an interrupt wakes every waiter of the interrupted one's words. */
    private static void interrupts(WaitOnAddress woa, int n) throws Exception {
        Memory words = new Memory(4L * n);
        words.clear();
        AtomicInteger entered = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        AtomicInteger spurious = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        long[] left = new long[n];
        Thread[] ts = new Thread[n];
        for (int i = 0; i < n; i++) {
            int k = i;
            Pointer word = words.share(4L * i);
            ts[i] = VirtualThreadProbe.startVirtual(() -> {
                entered.incrementAndGet();
                try {
                    for (;;) {
                        if (woa.await(word, Width.INT32, 0, Scope.PRIVATE) == WaitResult.WOKEN) {
                            spurious.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    left[k] = System.nanoTime();
                    if (Thread.currentThread().isInterrupted()) {
                        wrong.incrementAndGet(); // the status must be cleared
                    }
                } catch (Throwable e) {
                    wrong.incrementAndGet();
                }
                done.countDown();
            });
        }
        settle(entered, n);
        counterRuns(n + " waiters to interrupt");
        long[] lat = new long[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            lat[i] = System.nanoTime();
            ts[i].interrupt();
        }
        boolean all = done.await(60, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        for (int i = 0; i < n; i++) {
            lat[i] = left[i] == 0 ? Long.MAX_VALUE : left[i] - lat[i];
        }
        Arrays.sort(lat);
        check(all && wrong.get() == 0 && lat[n - 1] < TimeUnit.SECONDS.toNanos(10), n + " interrupted: lost "
                + done.getCount() + ", wrong " + wrong.get() + ", spurious wake-ups " + spurious.get() + ", all out in " + ms + " ms, interrupt-to-throw median "
                + lat[n / 2] / 1000 + " us, max " + (lat[n - 1] == Long.MAX_VALUE ? "never" : lat[n - 1] / 1000 + " us"));
        words.close();
    }

    /** Median time from a wake to the waiter running, for a virtual and for a platform thread. */
    private static void latency(WaitOnAddress woa, Pointer word) throws Exception {
        for (boolean virtual : new boolean[] {true, false}) {
            int reps = 300;
            long[] lat = new long[reps];
            for (int i = 0; i < reps; i++) {
                word.setInt(0, 0);
                long[] out = new long[1];
                CountDownLatch in = new CountDownLatch(1);
                Runnable r = () -> {
                    in.countDown();
                    try {
                        while (word.getInt(0) == 0) {
                            woa.await(word, Width.INT32, 0, Scope.PRIVATE);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    out[0] = System.nanoTime();
                };
                Thread t = virtual ? VirtualThreadProbe.startVirtual(r) : new Thread(r);
                if (!virtual) {
                    t.start();
                }
                in.await();
                Thread.sleep(2);
                long s = System.nanoTime();
                word.setInt(0, 1);
                woa.wakeAll(word, Width.INT32, Scope.PRIVATE);
                t.join();
                lat[i] = out[0] - s;
            }
            Arrays.sort(lat);
            System.out.println("COST wake-up latency, " + (virtual ? "virtual" : "platform") + " thread: median "
                    + lat[reps / 2] / 1000 + " us, p90 " + lat[reps * 9 / 10] / 1000 + " us");
        }
    }
}
