package dev.waitonaddress.sync;

import com.sun.jna.Pointer;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.WaitOnAddress;
import java.nio.ByteBuffer;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A condition variable of one {@link Mutex}, on two aligned 32-bit words next to each other: a
 * sequence word, which waiters sleep on, and a count of waiters, which lets a signal with nobody
 * waiting skip the system call. Its scope and backend are the mutex's.
 *
 * <h2>Word protocol</h2>
 * Word 0 ({@code seq}) is a number that every signal that finds waiters increments (wrapping
 * around); word 1 ({@code waiters}) counts the threads between the start and the end of a wait.
 * <ul>
 *   <li>await (holding the mutex): increment {@code waiters}; read {@code seq} into {@code s};
 *       unlock the mutex; sleep on {@code seq} while it holds {@code s}; decrement
 *       {@code waiters}; lock the mutex <em>in the contended state</em> (see {@link Mutex}: PRIVATE,
 *       exchange in 2; SHARED, take it with the waiters bit set), because a signal may have moved
 *       other waiters onto the mutex word, and only an unlock of a contended lock wakes them.</li>
 *   <li>signal: if {@code waiters} is 0, nothing. Otherwise increment {@code seq}; then, if the
 *       signaller holds the mutex and the backend has a native compare-and-requeue
 *       ({@link Capabilities#compareRequeue()}), mark the mutex contended and move one sleeper of
 *       {@code seq} onto the mutex word ({@code FUTEX_CMP_REQUEUE(seq, 0 woken, 1 moved, mutex,
 *       seq value)}, again with the new value if another signal changed it meanwhile): it wakes
 *       when the signaller unlocks, instead of waking now only to block on the mutex. Else wake one
 *       sleeper of {@code seq}.</li>
 *   <li>signalAll: the same, moving or waking every sleeper. Without a native compare-and-requeue
 *       (for example the {@code portable} backend, or a signaller that does not hold the mutex),
 *       every sleeper is woken and they take the mutex in turn.</li>
 * </ul>
 * C code taking part waits and signals by these steps with raw futex calls.
 *
 * <h2>Interrupts after a requeue</h2>
 * {@link Thread#interrupt()} reaches a waiter by waking the word it sleeps on. A waiter that a
 * signal of this process moved onto the mutex word is reached there too: the library remembers
 * where its requeues move sleepers, and the interrupt wakes the mutex word as well (a spurious
 * wake-up for the mutex's other sleepers, which they allow for), so an interrupt ends the wait
 * promptly even while the mutex is held. A requeue the library cannot see, made by another
 * process (SHARED scope) or by native code with its own system calls, leaves the interrupt to
 * arrive at the next wake of the mutex word; so a waiter sleeps at most the re-check interval of
 * {@link Mutex} at a time and then looks at {@code seq} again, in both scopes. That bound also
 * lets a waiter moved onto a SHARED mutex word notice a dead holder, as any waiter of the mutex
 * does.
 *
 * <h2>As a {@link java.util.concurrent.locks.Condition}</h2>
 * The methods keep that interface's contracts: the caller must hold the mutex (through the same
 * {@code Mutex} object), else {@link IllegalMonitorStateException}; a waiting thread holds the
 * mutex again whenever it returns, including by exception; wake-ups may be spurious; an
 * interrupted waiter throws {@link InterruptedException} with its status cleared and hands on a
 * signal it may have taken; timed waits never end before their time. {@code signal} and
 * {@code signalAll} may also be called without holding the mutex (they then wake rather than
 * requeue). In SHARED scope the mutex must be consistent ({@link Mutex#isConsistent()}) when a
 * wait starts, and may be found inconsistent when it returns (the holder died meanwhile); a wait
 * whose mutex became not recoverable throws {@link NotRecoverableException} without it. Thread-safe.
 */
public final class Condition implements java.util.concurrent.locks.Condition {
    /** Bytes of memory a condition occupies: two 32-bit words. */
    public static final int BYTES = 8;
    /** Index of the sequence word, the word waiters sleep on. */
    static final int SEQ = 0;
    /** Index of the waiter count. */
    static final int WAITERS = 1;

    /** The mutex. */
    private final Mutex mutex;
    /** The two words. */
    private final Words words;
    /** Whether a signaller holding the mutex moves sleepers onto the mutex word. */
    private final boolean requeue;
    /**
     * The longest single sleep: the re-check interval. In SHARED scope a requeue by another
     * process is out of the library's sight and a holder may die. In PRIVATE scope the library
     * follows its own requeues, so an interrupt arrives at once; the bound stays as the backstop
     * for a requeue made by native code with its own system calls, which the interrupter cannot
     * follow (without it, an interrupt from the mutex's holder would wait for its own unlock).
     */
    private final long sliceNanos;

    /**
     * @param mutex the mutex
     * @param words the two words, in the mutex's scope and on its backend
     */
    Condition(Mutex mutex, Words words) {
        this.mutex = mutex;
        this.words = words;
        Capabilities caps = words.futex.capabilities();
        this.requeue = caps.requeue() && caps.compareRequeue() && words.nativeWidth();
        this.sliceNanos = Owners.RECHECK_NANOS;
    }

    /**
     * Views the two words at {@code address} as a condition of {@code mutex}, without changing
     * them (zeroed memory is a condition nobody waits on). Scope and backend are the mutex's.
     *
     * @param mutex the mutex the condition's waiters hold
     * @param address the address of the first word, aligned to 4 bytes; {@link #BYTES} bytes
     * @return the condition
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the address is 0 or misaligned, or is a JNA
     *     {@code Memory} smaller than {@link #BYTES}
     */
    public static Condition wrap(Mutex mutex, Pointer address) {
        Objects.requireNonNull(mutex, "mutex");
        return new Condition(mutex, Words.of(mutex.words.futex, address, mutex.scope(), 2, "Condition"));
    }

    /**
     * Views the two words at {@code offset} of a direct or mapped buffer as a condition of
     * {@code mutex}, without changing them. Scope and backend are the mutex's.
     *
     * @param mutex the mutex the condition's waiters hold
     * @param buffer a direct or mapped, writable buffer
     * @param offset the byte offset of the first word from the buffer's index 0; its address must
     *     be aligned to 4 bytes
     * @return the condition
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the words do not lie within the buffer's limit
     */
    public static Condition wrap(Mutex mutex, ByteBuffer buffer, int offset) {
        Objects.requireNonNull(mutex, "mutex");
        return new Condition(mutex, Words.of(mutex.words.futex, buffer, offset, mutex.scope(), 2, "Condition"));
    }

    /** {@return the mutex of this condition} */
    public Mutex mutex() {
        return mutex;
    }

    /**
     * Whether {@link #signal()} and {@link #signalAll()}, called by the mutex's holder, move
     * sleepers onto the mutex word instead of waking them.
     *
     * @return whether signals requeue sleepers onto the mutex word
     */
    public boolean requeues() {
        return requeue;
    }

    /** {@return the address of the first word (the sequence word)} */
    public Pointer pointer() {
        return words.pointer(SEQ);
    }

    // ------------------------------------------------------------------------------ waiting

    /**
     * Releases the mutex, sleeps until signalled (or spuriously woken), and takes the mutex again.
     *
     * @throws InterruptedException if the thread is interrupted on entry or while it sleeps; the
     *     mutex is held again, the interrupt status is cleared
     * @throws IllegalMonitorStateException if the caller does not hold the mutex
     * @throws IllegalStateException if the SHARED mutex awaits repair ({@link Mutex#isConsistent()})
     * @throws NotRecoverableException if the mutex became not recoverable meanwhile (not held then)
     */
    @Override
    public void await() throws InterruptedException {
        await(true, false, 0);
    }

    /**
     * As {@link #await()}, ignoring interrupts; the interrupt status is set again on return if
     * the thread was interrupted.
     *
     * @throws IllegalMonitorStateException if the caller does not hold the mutex
     * @throws IllegalStateException if the SHARED mutex awaits repair ({@link Mutex#isConsistent()})
     * @throws NotRecoverableException if the mutex became not recoverable meanwhile (not held then)
     */
    @Override
    public void awaitUninterruptibly() {
        try {
            await(false, false, 0);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait threw InterruptedException", e);
        }
    }

    /**
     * As {@link #await()}, for at most {@code nanosTimeout}.
     *
     * @param nanosTimeout the longest time to wait, in nanoseconds; zero or less does not sleep
     * @return an estimate of the time left: {@code nanosTimeout} minus the time waited; zero or
     *     less means the time is up
     * @throws InterruptedException if the thread is interrupted on entry or while it sleeps; the
     *     mutex is held again, the interrupt status is cleared
     * @throws IllegalMonitorStateException if the caller does not hold the mutex
     * @throws IllegalStateException if the SHARED mutex awaits repair ({@link Mutex#isConsistent()})
     * @throws NotRecoverableException if the mutex became not recoverable meanwhile (not held then)
     */
    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long start = System.nanoTime();
        long nanos = Words.nanos(nanosTimeout, TimeUnit.NANOSECONDS);
        if (nanos < 0) {
            await(true, false, 0);
            return nanosTimeout;
        }
        long deadline = start + nanos;
        await(true, true, deadline);
        return deadline - System.nanoTime();
    }

    /**
     * As {@link #await()}, for at most {@code time}.
     *
     * @param time the longest time to wait, in {@code unit}; zero or less does not sleep
     * @param unit the unit of {@code time}
     * @return false if the time passed without a signal, true if the thread was signalled (or
     *     woken spuriously, or another signal happened meanwhile)
     * @throws InterruptedException if the thread is interrupted on entry or while it sleeps; the
     *     mutex is held again, the interrupt status is cleared
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalMonitorStateException if the caller does not hold the mutex
     * @throws IllegalStateException if the SHARED mutex awaits repair ({@link Mutex#isConsistent()})
     * @throws NotRecoverableException if the mutex became not recoverable meanwhile (not held then)
     */
    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        long start = System.nanoTime();
        long nanos = Words.nanos(time, unit);
        return nanos < 0 ? await(true, false, 0) : await(true, true, start + nanos);
    }

    /**
     * As {@link #await()}, until the wall-clock {@code deadline}.
     *
     * @param deadline the time to stop waiting, on the clock of {@link System#currentTimeMillis()}
     * @return false if the deadline passed without a signal, true otherwise
     * @throws InterruptedException if the thread is interrupted on entry or while it sleeps; the
     *     mutex is held again, the interrupt status is cleared
     * @throws NullPointerException if {@code deadline} is null
     * @throws IllegalMonitorStateException if the caller does not hold the mutex
     * @throws IllegalStateException if the SHARED mutex awaits repair ({@link Mutex#isConsistent()})
     * @throws NotRecoverableException if the mutex became not recoverable meanwhile (not held then)
     */
    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        long millis = deadline.getTime() - System.currentTimeMillis();
        return await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * The wait of every await method.
     *
     * @param interruptible whether an interrupt ends the wait
     * @param timed whether {@code deadline} applies
     * @param deadline on the clock of {@link System#nanoTime()}
     * @return true if {@code seq} moved (a signal), false if the deadline passed without one
     * @throws InterruptedException if {@code interruptible} and the thread is interrupted
     */
    private boolean await(boolean interruptible, boolean timed, long deadline) throws InterruptedException {
        mutex.checkHeldForCondition("await");
        if (!mutex.isConsistent()) {
            throw new IllegalStateException("the SHARED mutex awaits repair after an owner's death:"
                    + " call markConsistent() (or unlock it) before waiting on one of its conditions");
        }
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        words.getAndAdd(WAITERS, 1);
        int s = words.get(SEQ);
        mutex.unlock();
        boolean signalled = false;
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    words.awaitSliced(SEQ, s, timed, deadline, sliceNanos);
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (interruptible) {
                        break;
                    }
                }
                if (words.get(SEQ) != s) {
                    signalled = true;
                    break;
                }
                if (timed && Words.passed(deadline)) {
                    break;
                }
            }
        } finally {
            words.getAndAdd(WAITERS, -1);
            mutex.lockAfterWait();
        }
        if (interrupted && interruptible) {
            if (words.get(SEQ) != s) {
                signal(); // a signal may have been meant for this thread: hand it on
            }
            Thread.interrupted(); // an interrupt while taking the mutex again is part of this one
            throw new InterruptedException();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return signalled;
    }

    // ------------------------------------------------------------------------------ signalling

    /**
     * Wakes one waiter, if there is one; where the caller holds the mutex and the backend can
     * requeue, moves it onto the mutex word instead, to wake when the mutex is released. No system
     * call when nobody waits.
     */
    @Override
    public void signal() {
        signal(1);
    }

    /**
     * Wakes every waiter; where the caller holds the mutex and the backend can requeue, moves them
     * onto the mutex word instead, where unlocks wake them one at a time (no thundering herd).
     * Elsewhere (no native compare-and-requeue, or the caller does not hold the mutex) every waiter
     * is woken at once. No system call when nobody waits.
     */
    @Override
    public void signalAll() {
        signal(WaitOnAddress.ALL);
    }

    /**
     * Signals {@code count} waiters.
     *
     * @param count 1 or {@link WaitOnAddress#ALL}
     */
    private void signal(int count) {
        if (words.get(WAITERS) == 0) {
            return;
        }
        int s = words.getAndAdd(SEQ, 1) + 1;
        if (requeue && mutex.isHeldByCurrentThread()) {
            mutex.markContended();
            while (words.futex.requeue(words.pointer(SEQ), mutex.pointer(), words.scope, s, 0, count)
                    == WaitOnAddress.REQUEUE_MISMATCH) {
                s = words.get(SEQ); // another signal moved it: move the sleepers all the same
            }
            words.keepAlive();
        } else {
            words.wake(SEQ, count);
        }
    }

    /**
     * Signals one waiter and releases the mutex, in one system call where the backend has a
     * native wake-op ({@link WaitOnAddress#wakeOp}: the mutex word becomes free, one waiter of
     * this condition wakes, and one sleeper of the mutex too if it was contended). Elsewhere, or
     * in SHARED scope while the mutex awaits repair, the same as {@link Mutex#unlock()} followed
     * by a wake of one waiter.
     *
     * @throws IllegalMonitorStateException if the caller does not hold the mutex
     */
    public void signalAndUnlock() {
        mutex.checkHeldForCondition("signalAndUnlock");
        if (words.get(WAITERS) == 0) {
            mutex.unlock();
            return;
        }
        words.getAndAdd(SEQ, 1);
        if (!mutex.unlockWakingOther(words.pointer(SEQ), 1)) {
            mutex.unlock();
            words.wake(SEQ, 1);
        }
    }

    @Override
    public String toString() {
        return "Condition[" + words + (requeue ? ", requeues" : ", wakes") + " onto " + mutex + "]";
    }
}
