package dev.waitonaddress.suite;

import com.sun.jna.Memory;
import dev.waitonaddress.Capabilities.Support;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.SharedMemory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Run by {@link ReliabilityVirtualThreadTest} in a JDK 21+ JVM (the build itself targets Java 11, so virtual
 * threads are started through a method handle). For every available backend and (width, scope):
 * a virtual thread's {@code await} is woken, times out never early, and leaves promptly with
 * {@link InterruptedException} on interrupt, its status cleared. Then, with a scheduler of two
 * carriers, whether waiting virtual threads pin their carriers. Prints {@code OK ...},
 * {@code FAIL ...} and {@code PINNING ...} lines; exits 1 on any failure.
 */
public final class VirtualThreadProbe {
    private static final MethodHandle START_VIRTUAL;
    private static final MethodHandle IS_VIRTUAL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            START_VIRTUAL = l.findStatic(Thread.class, "startVirtualThread", MethodType.methodType(Thread.class,
                    Runnable.class));
            IS_VIRTUAL = l.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static int failures;

    private VirtualThreadProbe() {
    }

    static Thread startVirtual(Runnable r) {
        try {
            return (Thread) START_VIRTUAL.invokeExact(r);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static boolean isVirtual(Thread t) {
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(boolean ok, String what) {
        System.out.println((ok ? "OK " : "FAIL ") + what);
        if (!ok) {
            failures++;
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println("java " + System.getProperty("java.version"));
        try (SharedMemory shm = SharedMemory.create("woa-vt", 4096)) {
            for (WaitOnAddress woa : ReliabilityBackends.host()) {
                for (Combos.Combo c : Combos.of(woa)) {
                    Memory m = new Memory(8);
                    m.clear();
                    com.sun.jna.Pointer p = c.scope == Scope.SHARED ? shm.pointer() : m;
                    p.setLong(0, 0);
                    String at = woa.name() + " " + c;
                    wake(woa, p, c.width, c.scope, at);
                    p.setLong(0, 0);
                    timeout(woa, p, c.width, c.scope, at);
                    interrupt(woa, p, c.width, c.scope, at);
                    m.close();
                }
            }
            for (WaitOnAddress woa : ReliabilityBackends.host()) {
                for (Width w : new Width[] {Width.INT32, Width.INT8}) {
                    if (woa.capabilities().supports(w, Scope.PRIVATE)) {
                        pinning(woa, w);
                    }
                }
            }
        }
        System.out.println("failures " + failures);
        System.exit(failures == 0 ? 0 : 1);
    }

    private static void wake(WaitOnAddress woa, com.sun.jna.Pointer p, Width w, Scope s, String at) throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread v = startVirtual(() -> {
            started.countDown();
            try {
                Object r = null;
                while (p.getByte(0) == 0) {
                    r = woa.await(p, w, 0, s);
                }
                result.set(isVirtual(Thread.currentThread()) ? (r == null ? "MISMATCH" : r) : "not virtual");
            } catch (Throwable e) {
                result.set(e);
            }
        });
        started.await();
        Thread.sleep(20);
        p.setByte(0, (byte) 1);
        woa.wakeAll(p, w, s);
        v.join(10_000);
        check(!v.isAlive() && (result.get() == WaitResult.WOKEN || result.get() == WaitResult.MISMATCH
                || "MISMATCH".equals(result.get())), "virtual thread woken: " + at + " -> " + result.get());
        if (v.isAlive()) {
            System.exit(2); // a hung virtual thread: nothing more is meaningful
        }
    }

    private static void timeout(WaitOnAddress woa, com.sun.jna.Pointer p, Width w, Scope s, String at)
            throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        long[] took = new long[1];
        Thread v = startVirtual(() -> {
            try {
                long t0 = System.nanoTime();
                result.set(woa.await(p, w, 0, s, 20, TimeUnit.MILLISECONDS));
                took[0] = System.nanoTime() - t0;
            } catch (Throwable e) {
                result.set(e);
            }
        });
        v.join(10_000);
        check(result.get() == WaitResult.TIMED_OUT && took[0] >= 20_000_000L,
                "virtual thread times out, never early: " + at + " -> " + result.get() + " after " + took[0] + " ns");
    }

    private static void interrupt(WaitOnAddress woa, com.sun.jna.Pointer p, Width w, Scope s, String at)
            throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        long[] leftAt = new long[1];
        CountDownLatch started = new CountDownLatch(1);
        Thread v = startVirtual(() -> {
            started.countDown();
            try {
                result.set(woa.await(p, w, 0, s));
            } catch (InterruptedException e) {
                leftAt[0] = System.nanoTime();
                result.set(Thread.currentThread().isInterrupted() ? "status not cleared" : e);
            } catch (Throwable e) {
                result.set(e);
            }
        });
        started.await();
        Thread.sleep(20);
        long t0 = System.nanoTime();
        v.interrupt();
        v.join(10_000);
        long latency = leftAt[0] - t0;
        check(result.get() instanceof InterruptedException && latency < 1_000_000_000L,
                "virtual thread interrupted promptly, status cleared: " + at + " -> " + result.get() + " in "
                        + latency / 1000 + " us");
    }

    /**
     * With two carriers, two virtual threads wait untimed; can a third virtual thread still run?
     * If not, the waits pin their carriers.
     */
    private static void pinning(WaitOnAddress woa, Width w) throws Exception {
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism", 2);
        List<Memory> words = new ArrayList<>();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < carriers; i++) {
            Memory m = new Memory(8);
            m.clear();
            words.add(m);
            waiters.add(startVirtual(() -> {
                try {
                    while (m.getByte(0) == 0) {
                        woa.await(m, w, 0, Scope.PRIVATE);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        Thread.sleep(200);
        AtomicBoolean ran = new AtomicBoolean();
        Thread third = startVirtual(() -> ran.set(true));
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (!ran.get() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        boolean pinned = !ran.get();
        for (Memory m : words) { // release them from a platform thread, which needs no carrier
            m.setByte(0, (byte) 1);
            woa.wakeAll(m, w, Scope.PRIVATE);
        }
        for (Thread t : waiters) {
            t.join(10_000);
        }
        third.join(10_000);
        Support how = woa.capabilities().width(w);
        System.out.println("PINNING " + woa.name() + " " + w + " (" + how + "): " + carriers + " virtual threads in "
                + "await " + (pinned ? "PIN all " + carriers + " carriers: a third virtual thread could not run"
                : "left their carriers free: a third virtual thread ran"));
        check(waiters.stream().noneMatch(Thread::isAlive) && !third.isAlive(), "pinned waiters released: "
                + woa.name() + " " + w);
        if (how == Support.EMULATED) {
            check(!pinned, "emulated (parking-lot) waits do not pin: " + woa.name() + " " + w);
        }
        words.forEach(Memory::close);
    }
}
