package dev.waitonaddress.spi;

import dev.waitonaddress.Scope;
import dev.waitonaddress.Width;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.spi.AbstractInterruptibleChannel;

/**
 * Lets {@link Thread#interrupt()} end a native wait without polling. While a thread sleeps in the
 * kernel, this object is registered as the thread's blocker through
 * {@link AbstractInterruptibleChannel#begin()}; the JDK then calls {@link #implCloseChannel()} from
 * the interrupting thread, which wakes the address the sleeper waits on.
 *
 * <p>The interrupt may land after registration but before the sleeper reaches the kernel. The
 * sleeper publishes {@code ARMED} and then reads its interrupt status; the interrupter sets the
 * status and then reads {@code ARMED}. So either the sleeper sees the status and does not sleep,
 * or the interrupter sees {@code ARMED} and wakes the address until the sleeper has left the
 * kernel. One per thread, reused until an interrupt closes it.
 */
final class WaitInterruptor extends AbstractInterruptibleChannel {
    private static final ThreadLocal<WaitInterruptor> CURRENT = new ThreadLocal<>();

    private volatile boolean armed;
    private AbstractWaitOnAddress backend;
    private long address;
    private Width width;
    private Scope scope;
    private java.util.List<dev.waitonaddress.WaitTarget> targets;

    private WaitInterruptor() {
    }

    /** @return the calling thread's interruptor, open */
    static WaitInterruptor current() {
        WaitInterruptor w = CURRENT.get();
        if (w == null || !w.isOpen()) {
            w = new WaitInterruptor();
            CURRENT.set(w);
        }
        return w;
    }

    /**
     * Registers the coming native wait on one address.
     *
     * @return false if the thread is already interrupted: it must not sleep then
     */
    boolean arm(AbstractWaitOnAddress backend, long address, Width width, Scope scope) {
        begin();
        this.backend = backend;
        this.address = address;
        this.width = width;
        this.scope = scope;
        this.targets = null;
        return publish();
    }

    /** Registers the coming native wait on several words. */
    boolean arm(AbstractWaitOnAddress backend, java.util.List<dev.waitonaddress.WaitTarget> targets) {
        begin();
        this.backend = backend;
        this.targets = targets;
        return publish();
    }

    private boolean publish() {
        armed = true;
        return !Thread.currentThread().isInterrupted();
    }

    /**
     * Ends the registration.
     *
     * @return whether the thread was interrupted; its interrupt status is cleared
     */
    boolean disarm() {
        armed = false;
        try {
            end(true);
        } catch (ClosedByInterruptException e) {
            // the status stays set; reported below
        } catch (java.io.IOException e) {
            throw new AssertionError("end(true) throws only ClosedByInterruptException", e);
        }
        // Do not keep the caller's targets (and the memory they own) reachable until this thread
        // waits again. An interrupter still reading them sees null and skips the list: harmless,
        // since it only wakes while armed, and armed is false now.
        targets = null;
        return Thread.interrupted();
    }

    /** Called by the JDK in the interrupting thread. */
    @Override
    protected void implCloseChannel() {
        while (armed) {
            java.util.List<dev.waitonaddress.WaitTarget> list = targets;
            if (list != null || width != null) {
                backend.wakeForInterrupt(address, width, scope, list);
            }
            if (!armed) {
                break;
            }
            Thread.yield();
        }
    }
}
