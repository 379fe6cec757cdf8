package dev.waitonaddress.sync;

import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A manual-reset event (Zig's {@code ResetEvent}, a Windows manual-reset event) on one aligned
 * 32-bit word of native or shared memory: {@link #set()} releases every waiter and lets later
 * waits pass until {@link #reset()}. Thread-safe.
 *
 * <h2>Word protocol</h2>
 * Bit 0 ({@link #SET_BIT}) says the event is set; bit 1 ({@link #WAITERS_BIT}) says threads may be
 * asleep on the word; bits 2 to 31 count the sets (wrapping around), so that a waiter present at a
 * {@code set} is released even if a {@code reset} follows at once.
 * <ul>
 *   <li>set: if the set bit is on, nothing; else compare-and-set the word to (its set count plus
 *       one, the set bit on, the waiters bit off); if the old word had the waiters bit, wake every
 *       sleeper of the word.</li>
 *   <li>reset: compare-and-set the set bit off (the rest unchanged).</li>
 *   <li>await: loop: if the set bit is on, or the set count differs from the one seen first,
 *       done; if the waiters bit is clear, compare-and-set it on and start over; else sleep on
 *       the word while it holds the value seen.</li>
 * </ul>
 * A set with nobody asleep, and every reset, make no system call.
 */
public final class Event {
    /** Bytes of memory an event occupies: one 32-bit word. */
    public static final int BYTES = 4;
    /** Bit 0 of the word: the event is set. */
    public static final int SET_BIT = 1;
    /** Bit 1 of the word: threads may be asleep on it. */
    public static final int WAITERS_BIT = 2;
    /** One step of the set count in bits 2 to 31. */
    static final int SET_COUNT_ONE = 4;

    /** The word. */
    private final Words words;

    /** @param words the word */
    private Event(Words words) {
        this.words = words;
    }

    /** {@return a new event, not set, in memory of its own, PRIVATE scope, on {@link WaitOnAddress#system()}} */
    public static Event allocate() {
        return new Event(Words.allocate(WaitOnAddress.system(), 1, "Event"));
    }

    /**
     * Views the word at {@code address} as an event, without changing it (0 is an event not set).
     *
     * @param address the word's address, aligned to 4 bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use it
     * @return the event, on {@link WaitOnAddress#system()}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the address is 0 or misaligned, or is a JNA
     *     {@code Memory} smaller than {@link #BYTES}
     * @throws UnsupportedOperationException if the backend cannot wait on 32-bit words in {@code scope}
     */
    public static Event wrap(Pointer address, Scope scope) {
        return wrap(WaitOnAddress.system(), address, scope);
    }

    /**
     * As {@link #wrap(Pointer, Scope)}, waiting and waking through {@code futex}.
     *
     * @param futex the backend that waits and wakes
     * @param address the word's address, aligned to 4 bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use it
     * @return the event
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the address is 0 or misaligned, or is a JNA
     *     {@code Memory} smaller than {@link #BYTES}
     * @throws UnsupportedOperationException if {@code futex} cannot wait on 32-bit words in {@code scope}
     */
    public static Event wrap(WaitOnAddress futex, Pointer address, Scope scope) {
        return new Event(Words.of(futex, address, scope, 1, "Event"));
    }

    /**
     * Views the word at {@code offset} of a direct or mapped buffer as an event, without changing it.
     *
     * @param buffer a direct or mapped, writable buffer
     * @param offset the byte offset of the word from the buffer's index 0, aligned to 4 bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use it
     * @return the event, on {@link WaitOnAddress#system()}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the word does not lie within the buffer's limit
     * @throws UnsupportedOperationException if the backend cannot wait on 32-bit words in {@code scope}
     */
    public static Event wrap(ByteBuffer buffer, int offset, Scope scope) {
        return wrap(WaitOnAddress.system(), buffer, offset, scope);
    }

    /**
     * As {@link #wrap(ByteBuffer, int, Scope)}, waiting and waking through {@code futex}.
     *
     * @param futex the backend that waits and wakes
     * @param buffer a direct or mapped, writable buffer
     * @param offset the byte offset of the word from the buffer's index 0, aligned to 4 bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use it
     * @return the event
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the word does not lie within the buffer's limit
     * @throws UnsupportedOperationException if {@code futex} cannot wait on 32-bit words in {@code scope}
     */
    public static Event wrap(WaitOnAddress futex, ByteBuffer buffer, int offset, Scope scope) {
        return new Event(Words.of(futex, buffer, offset, scope, 1, "Event"));
    }

    /** Sets the event and wakes every waiter; does nothing if it is set already. */
    public void set() {
        for (;;) {
            int v = words.get(0);
            if ((v & SET_BIT) != 0) {
                return;
            }
            int next = ((v & ~(SET_BIT | WAITERS_BIT)) + SET_COUNT_ONE) | SET_BIT;
            if (words.compareAndSet(0, v, next)) {
                if ((v & WAITERS_BIT) != 0) {
                    words.wake(0, WaitOnAddress.ALL);
                }
                return;
            }
        }
    }

    /** Clears the event: later waits sleep until the next {@link #set()}. Does nothing if it is not set. */
    public void reset() {
        for (;;) {
            int v = words.get(0);
            if ((v & SET_BIT) == 0 || words.compareAndSet(0, v, v & ~SET_BIT)) {
                return;
            }
        }
    }

    /** {@return whether the event is set now (a snapshot)} */
    public boolean isSet() {
        return (words.get(0) & SET_BIT) != 0;
    }

    /**
     * Sleeps until the event is set; returns at once if it is.
     *
     * @throws InterruptedException if the thread is interrupted on entry or while it sleeps (the
     *     interrupt status is cleared)
     */
    public void await() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        await(false, 0);
    }

    /**
     * Sleeps at most {@code timeout} until the event is set. A time-out of zero or less does not
     * sleep; 2<sup>62</sup> ns or more waits forever.
     *
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return whether the event was set (it may have been reset since); false only once the
     *     time-out has passed
     * @throws InterruptedException if the thread is interrupted on entry or while it sleeps (the
     *     interrupt status is cleared)
     * @throws NullPointerException if {@code unit} is null
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Words.nanos(timeout, unit);
        long start = System.nanoTime();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return nanos < 0 ? await(false, 0) : await(true, start + nanos);
    }

    /**
     * @param timed whether {@code deadline} applies
     * @param deadline on the clock of {@link System#nanoTime()}
     * @return true when the event was set; false only if {@code timed} and the deadline has passed
     * @throws InterruptedException if the thread is interrupted while it sleeps
     */
    private boolean await(boolean timed, long deadline) throws InterruptedException {
        int first = words.get(0);
        int sets = first & ~(SET_BIT | WAITERS_BIT);
        for (;;) {
            int v = words.get(0);
            if ((v & SET_BIT) != 0 || (v & ~(SET_BIT | WAITERS_BIT)) != sets) {
                return true;
            }
            if ((v & WAITERS_BIT) == 0) {
                if (!words.compareAndSet(0, v, v | WAITERS_BIT)) {
                    continue;
                }
                v |= WAITERS_BIT;
            }
            if (timed) {
                if (Words.passed(deadline)) {
                    return false;
                }
                words.awaitUntil(0, v, deadline);
            } else {
                words.await(0, v);
            }
        }
    }

    /** {@return the scope of the word's waits and wakes} */
    public Scope scope() {
        return words.scope;
    }

    /** {@return the address of the word} */
    public Pointer pointer() {
        return words.pointer(0);
    }

    @Override
    public String toString() {
        return "Event[" + words + "]";
    }
}
