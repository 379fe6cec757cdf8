package dev.waitonaddress.sync;

import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A single-use countdown (C++20 {@code std::latch}, {@link java.util.concurrent.CountDownLatch})
 * on one aligned 32-bit word of native or shared memory: threads wait until the count reaches
 * zero. Thread-safe.
 *
 * <h2>Word protocol</h2>
 * The low 31 bits hold the count; bit 31 ({@link #WAITERS_BIT}) says threads may be asleep on the
 * word.
 * <ul>
 *   <li>countDown: compare-and-set the word to its count minus one, keeping the waiters bit, or to
 *       0 (bit cleared) when the count reaches 0; if the old word had the waiters bit, wake every
 *       sleeper of the word then. A count of 0 stays 0.</li>
 *   <li>await: loop: if the count is 0, done; if the waiters bit is clear, compare-and-set it on
 *       and start over; else sleep on the word while it holds the value seen.</li>
 * </ul>
 * A countDown that does not reach zero, or reaches it with nobody asleep, makes no system call.
 * A process that dies before counting down leaves the others waiting (use the timed wait).
 */
public final class Latch {
    /** Bytes of memory a latch occupies: one 32-bit word. */
    public static final int BYTES = 4;
    /** Bit 31 of the word: threads may be asleep on it. */
    public static final int WAITERS_BIT = 0x8000_0000;
    /** The bits of the count. */
    private static final int COUNT_MASK = 0x7fff_ffff;

    /** The word. */
    private final Words words;

    /** @param words the word */
    private Latch(Words words) {
        this.words = words;
    }

    /**
     * Allocates a latch that opens after {@code count} calls of {@link #countDown()}, in memory of
     * its own.
     *
     * @param count the number of {@link #countDown()} calls that open the latch, 0 or more
     * @return a new latch in memory of its own, PRIVATE scope, on {@link WaitOnAddress#system()}
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public static Latch allocate(int count) {
        return new Latch(Words.allocate(WaitOnAddress.system(), 1, "Latch")).initialize(count);
    }

    /**
     * Views the word at {@code address} as a latch, without changing it (0 is an open latch; one
     * process sets the count with {@link #initialize(int)} before the others use it).
     *
     * @param address the word's address, aligned to 4 bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use it
     * @return the latch, on {@link WaitOnAddress#system()}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the address is 0 or misaligned, or is a JNA
     *     {@code Memory} smaller than {@link #BYTES}
     * @throws UnsupportedOperationException if the backend cannot wait on 32-bit words in {@code scope}
     */
    public static Latch wrap(Pointer address, Scope scope) {
        return wrap(WaitOnAddress.system(), address, scope);
    }

    /**
     * As {@link #wrap(Pointer, Scope)}, waiting and waking through {@code futex}.
     *
     * @param futex the backend that waits and wakes
     * @param address the word's address, aligned to 4 bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use it
     * @return the latch
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the address is 0 or misaligned, or is a JNA
     *     {@code Memory} smaller than {@link #BYTES}
     * @throws UnsupportedOperationException if {@code futex} cannot wait on 32-bit words in {@code scope}
     */
    public static Latch wrap(WaitOnAddress futex, Pointer address, Scope scope) {
        return new Latch(Words.of(futex, address, scope, 1, "Latch"));
    }

    /**
     * Views the word at {@code offset} of a direct or mapped buffer as a latch, without changing it.
     *
     * @param buffer a direct or mapped, writable buffer
     * @param offset the byte offset of the word from the buffer's index 0, aligned to 4 bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use it
     * @return the latch, on {@link WaitOnAddress#system()}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the word does not lie within the buffer's limit
     * @throws UnsupportedOperationException if the backend cannot wait on 32-bit words in {@code scope}
     */
    public static Latch wrap(ByteBuffer buffer, int offset, Scope scope) {
        return wrap(WaitOnAddress.system(), buffer, offset, scope);
    }

    /**
     * As {@link #wrap(ByteBuffer, int, Scope)}, waiting and waking through {@code futex}.
     *
     * @param futex the backend that waits and wakes
     * @param buffer a direct or mapped, writable buffer
     * @param offset the byte offset of the word from the buffer's index 0, aligned to 4 bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use it
     * @return the latch
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the word does not lie within the buffer's limit
     * @throws UnsupportedOperationException if {@code futex} cannot wait on 32-bit words in {@code scope}
     */
    public static Latch wrap(WaitOnAddress futex, ByteBuffer buffer, int offset, Scope scope) {
        return new Latch(Words.of(futex, buffer, offset, scope, 1, "Latch"));
    }

    /**
     * Sets the count. Only while no thread waits on or counts down the latch: when it is made,
     * before it is shared.
     *
     * @param count 0 to {@link Integer#MAX_VALUE}
     * @return this latch
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public Latch initialize(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count " + count + " < 0");
        }
        words.set(0, count);
        return this;
    }

    /** Decrements the count; at zero, wakes every waiter. Does nothing if the count is 0. */
    public void countDown() {
        for (;;) {
            int v = words.get(0);
            int count = v & COUNT_MASK;
            if (count == 0) {
                return;
            }
            int next = count == 1 ? 0 : v - 1;
            if (words.compareAndSet(0, v, next)) {
                if (next == 0 && (v & WAITERS_BIT) != 0) {
                    words.wake(0, WaitOnAddress.ALL);
                }
                return;
            }
        }
    }

    /** {@return the count now (a snapshot)} */
    public int count() {
        return words.get(0) & COUNT_MASK;
    }

    /** {@return whether the count is zero, without waiting (C++ {@code try_wait})} */
    public boolean tryAwait() {
        return count() == 0;
    }

    /**
     * Sleeps until the count is zero.
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
     * Sleeps at most {@code timeout} until the count is zero. A time-out of zero or less does not
     * sleep; 2<sup>62</sup> ns or more waits forever.
     *
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return whether the count is zero; false only once the time-out has passed
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
     * Counts down and sleeps until the count is zero (C++ {@code arrive_and_wait}).
     *
     * @throws InterruptedException if the thread is interrupted while it sleeps (the interrupt
     *     status is cleared; the count-down has happened)
     */
    public void arriveAndWait() throws InterruptedException {
        countDown();
        await(false, 0);
    }

    /**
     * @param timed whether {@code deadline} applies
     * @param deadline on the clock of {@link System#nanoTime()}
     * @return true when the count is zero; false only if {@code timed} and the deadline has passed
     * @throws InterruptedException if the thread is interrupted while it sleeps
     */
    private boolean await(boolean timed, long deadline) throws InterruptedException {
        for (;;) {
            int v = words.get(0);
            if ((v & COUNT_MASK) == 0) {
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
        return "Latch[" + words + "]";
    }
}
