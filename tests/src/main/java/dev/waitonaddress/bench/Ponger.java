package dev.waitonaddress.bench;

/**
 * The answering side of a ping-pong: a daemon thread outside JMH's control, so that the measured
 * thread's round trip always completes (JMH's ping-pong pitfall, where one side of a two-thread
 * group is left blocked at the end of an iteration, cannot happen). {@link #stop} sets the stop
 * flag, runs the caller's nudge (a store and a wake that ends the answerer's current wait) and
 * joins the thread.
 */
final class Ponger {
    /** The answering loop: returns when {@link #stopping()} turns true. */
    interface Body {
        void run(Ponger self) throws InterruptedException;
    }

    private final Thread thread;
    private volatile boolean stop;
    private volatile Throwable failure;

    Ponger(String name, Body body) {
        thread = new Thread(() -> {
            try {
                body.run(this);
            } catch (Throwable t) {
                failure = t;
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    boolean stopping() {
        return stop;
    }

    Thread thread() {
        return thread;
    }

    /** Stops the thread: sets the flag, then {@code nudge} wakes it until it has left. */
    void stop(Runnable nudge) throws InterruptedException {
        stop = true;
        while (thread.isAlive()) {
            nudge.run();
            thread.join(100);
        }
        if (failure != null) {
            throw new IllegalStateException("the answering thread failed", failure);
        }
    }
}
