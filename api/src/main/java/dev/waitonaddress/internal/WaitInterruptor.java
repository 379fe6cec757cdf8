package dev.waitonaddress.internal;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.spi.AbstractInterruptibleChannel;

/**
 * Lets {@link Thread#interrupt()} end a wait in the OS without polling. While a thread sleeps in
 * the OS, this object is registered as the thread's blocker through
 * {@link AbstractInterruptibleChannel#begin()}; the JDK then calls {@link #implCloseChannel()}
 * from the interrupting thread, which wakes every word the sleeper waits on.
 *
 * <p>The interrupt may land after registration but before the sleeper reaches the OS. The sleeper
 * publishes {@code armed} and then reads its interrupt status; the interrupter sets the status and
 * then reads {@code armed}. So either the sleeper sees the status and does not sleep, or the
 * interrupter sees {@code armed} and wakes the words until the sleeper has left the OS. One per
 * thread, reused until an interrupt closes it.
 */
public final class WaitInterruptor extends AbstractInterruptibleChannel {
    /** Wakes every waiter of a word, from the interrupting thread; must not throw. */
    public interface Waker {
        /**
         * Wakes every waiter of one word, called from the interrupting thread.
         *
         * @param address the word
         * @param bytes its width
         * @param shared whether it is a cross-process word
         */
        void wakeAllForInterrupt(long address, int bytes, boolean shared);
    }

    private static final ThreadLocal<WaitInterruptor> CURRENT = new ThreadLocal<>();

    private volatile boolean armed;
    private Waker waker;
    private int count;
    private long[] addresses;
    private int[] bytes;
    private boolean[] shared;

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
     * Registers the coming OS wait on {@code count} words; the arrays are read, never written,
     * by an interrupter until {@link #disarm()}.
     *
     * @param waker what wakes the words
     * @param count how many words
     * @param addresses their addresses
     * @param bytes their widths
     * @param shared their scopes
     * @return false if the thread is already interrupted: it must not sleep then
     */
    public boolean arm(Waker waker, int count, long[] addresses, int[] bytes, boolean[] shared) {
        begin();
        this.waker = waker;
        this.count = count;
        this.addresses = addresses;
        this.bytes = bytes;
        this.shared = shared;
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
            Waker w = waker;
            long[] a = addresses;
            int[] b = bytes;
            boolean[] s = shared;
            int n = Math.min(count, a == null ? 0 : a.length);
            for (int i = 0; i < n; i++) {
                w.wakeAllForInterrupt(a[i], b[i], s[i]);
            }
            if (!armed) {
                break;
            }
            Thread.yield();
        }
    }
}
