package dev.waitonaddress;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the OS wait of a virtual thread on a platform helper thread, so that the kernel wait does
 * not hold the virtual thread's carrier: the virtual thread parks (which frees its carrier) until
 * the helper has made the very same OS call and returned. The helpers come from a pool that grows
 * on demand up to {@link #CAP_PROPERTY} threads and lets idle ones expire; when every helper is
 * busy, the wait runs on the carrier as before. Interrupts need nothing here: the caller arms its
 * interruptor on the words before the hand-off, and the interrupter's wake reaches the helper's
 * kernel wait, which is a real waiter on the same words.
 */
final class HandOff {
    /** The largest number of helper threads, by default {@value #DEFAULT_CAP}. */
    static final String CAP_PROPERTY = "dev.waitonaddress.virtualThreadHelpers";
    /** The cap when the property is not set. */
    static final int DEFAULT_CAP = 16_384;
    private static final long IDLE_SECONDS = 30;

    /** {@code Thread::isVirtual} on JDK 21+, else null; looked up once. */
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();
    /** Whether this JVM has virtual threads at all: the one check on the platform-thread path. */
    static final boolean ENABLED = IS_VIRTUAL != null && cap() > 0;

    private HandOff() {
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // before JDK 21: no virtual threads
        }
    }

    private static int cap() {
        try {
            return Integer.getInteger(CAP_PROPERTY, DEFAULT_CAP);
        } catch (SecurityException e) {
            return DEFAULT_CAP;
        }
    }

    /** @return whether the calling thread is a virtual thread */
    static boolean currentIsVirtual() {
        try {
            return (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable e) {
            throw new AssertionError("Thread.isVirtual threw", e);
        }
    }

    /** One OS wait: what {@link #run} does on the helper. */
    interface Wait {
        /** @return the policy's code for the call */
        int call();
    }

    private static final class Pool {
        static final ThreadPoolExecutor EXECUTOR = executor();

        private static ThreadPoolExecutor executor() {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor e = new ThreadPoolExecutor(0, cap(), IDLE_SECONDS, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), r -> {
                        // no inherited thread locals: a helper outlives the virtual thread that made it
                        Thread t = new Thread(null, r, "wait-on-address-helper-" + n.incrementAndGet(), 0, false);
                        t.setDaemon(true);
                        t.setContextClassLoader(null);
                        return t;
                    });
            return e;
        }
    }

    /** A hand-off in flight: written by the helper, read by the parked virtual thread. */
    private static final class Task implements Runnable {
        private final Thread waiter;
        private final Wait wait;
        private int result;
        private RuntimeException failure;
        private Error error;
        private volatile boolean done;

        Task(Thread waiter, Wait wait) {
            this.waiter = waiter;
            this.wait = wait;
        }

        @Override
        public void run() {
            try {
                result = wait.call();
            } catch (RuntimeException e) {
                failure = e;
            } catch (Error e) {
                error = e;
            } finally {
                done = true;
                LockSupport.unpark(waiter);
            }
        }
    }

    /**
     * Makes the wait on a helper thread and parks the calling virtual thread until it returns; if no
     * helper can be had, makes it on the calling thread. Returns only once the OS call has returned,
     * whatever interrupts arrive meanwhile (the caller's interruptor ends the OS wait).
     *
     * @param wait the OS call
     * @return its code
     */
    static int run(Wait wait) {
        Task t = new Task(Thread.currentThread(), wait);
        try {
            Pool.EXECUTOR.execute(t);
        } catch (RejectedExecutionException e) {
            return wait.call(); // every helper busy: wait on the carrier
        }
        while (!t.done) {
            LockSupport.park(t);
        }
        if (t.failure != null) {
            throw t.failure;
        }
        if (t.error != null) {
            throw t.error;
        }
        return t.result;
    }
}
