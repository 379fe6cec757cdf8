package dev.waitonaddress.internal;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.spi.AbstractInterruptibleChannel;

/**
 * Lets {@link Thread#interrupt()} end a wait in the OS without polling. While a thread sleeps in
 * the OS, this object is registered as the thread's blocker through
 * {@link AbstractInterruptibleChannel#begin()}; the JDK then calls {@link #implCloseChannel()}
 * from the interrupting thread, which has the sleeper's {@link Waker} wake every word the sleeper
 * may sleep on, again and again until the sleeper has left the OS.
 *
 * <p>The interrupt may land after registration but before the sleeper reaches the OS. The sleeper
 * publishes {@code armed} and then reads its interrupt status; the interrupter sets the status and
 * then reads {@code armed}. So either the sleeper sees the status and does not sleep, or the
 * interrupter sees {@code armed} and wakes the words until the sleeper has left the OS. The waker
 * is asked anew on every round, so a word the sleeper was moved to after the interrupter started
 * (a requeue) is woken on a later round. One per thread, reused until an interrupt closes it.
 */
public final class WaitInterruptor extends AbstractInterruptibleChannel {
    /** Wakes the words of one sleeper, from the interrupting thread. */
    public interface Waker {
        /**
         * Wakes every waiter of every word the sleeper may sleep on now: the words it went to
         * sleep on and any word it may have been moved to since. Called again and again until the
         * sleeper disarms, possibly after it has; waking a word nobody sleeps on must be harmless.
         * Must not throw.
         */
        void wakeForInterrupt();
    }

    private static final ThreadLocal<WaitInterruptor> CURRENT = new ThreadLocal<>();

    private volatile boolean armed;
    private Waker waker;

    private WaitInterruptor() {
    }

    /** {@return the calling thread's interruptor, open} */
    public static WaitInterruptor current() {
        WaitInterruptor w = CURRENT.get();
        if (w == null || !w.isOpen()) {
            w = new WaitInterruptor();
            CURRENT.set(w);
        }
        return w;
    }

    /**
     * Registers the coming OS wait; what {@code waker} reads must be in place before this call.
     *
     * @param waker what wakes the sleeper's words
     * @return false if the thread is already interrupted: it must not sleep then
     */
    public boolean arm(Waker waker) {
        begin();
        this.waker = waker;
        armed = true;
        return !Thread.currentThread().isInterrupted();
    }

    /**
     * Ends the registration.
     *
     * @return whether the thread was interrupted; its interrupt status is cleared
     */
    public boolean disarm() {
        armed = false;
        try {
            end(true);
        } catch (ClosedByInterruptException e) {
            // the status stays set; reported below
        } catch (IOException e) {
            throw new AssertionError("end(true) throws only ClosedByInterruptException", e);
        }
        return Thread.interrupted();
    }

    /** Called by the JDK in the interrupting thread. */
    @Override
    protected void implCloseChannel() {
        while (armed) {
            waker.wakeForInterrupt();
            if (!armed) {
                break;
            }
            Thread.yield();
        }
    }
}
