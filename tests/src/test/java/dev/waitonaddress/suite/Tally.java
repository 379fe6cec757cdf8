package dev.waitonaddress.suite;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The figures of one stress run, shared by its threads. */
final class Tally {
    final AtomicLong handoffs = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong slow = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    void lostIf(boolean lostWakeUp, String where) {
        if (lostWakeUp) {
            lost.incrementAndGet();
            System.err.println("[woa-reliability] LOST WAKE-UP: " + where);
        } else {
            slow.incrementAndGet(); // a partner was slow (loaded machine); nothing was lost
        }
    }

    void fail(Throwable t) {
        if (!failure.compareAndSet(null, t)) {
            failure.get().addSuppressed(t);
        }
    }

    /** A thread's body, which may throw. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** @return an unstarted daemon thread running {@code body}; what it throws goes to {@link #fail} */
    Thread thread(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                fail(e);
            }
        }, name);
        t.setDaemon(true);
        return t;
    }
}
