package dev.waitonaddress.sync;

import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore (C++20 {@code std::counting_semaphore}) on two aligned 32-bit words of
 * native or shared memory: the count of permits, which waiters sleep on, and a count of
 * sleepers, which lets a release with nobody waiting skip the system call. Not fair: a thread
 * that arrives may take a permit before a sleeper. Thread-safe.
 *
 * <h2>Word protocol</h2>
 * Word 0 ({@code count}) holds the permits, 0 to {@link Integer#MAX_VALUE}; word 1
 * ({@code waiters}) the number of threads inside a blocking acquire.
 * <ul>
 *   <li>acquire: while {@code count} is positive, compare-and-set it one lower: done. Otherwise
 *       increment {@code waiters}; loop: if {@code count} is positive, compare-and-set it one lower
 *       and leave; else sleep on {@code count} while it holds 0. On the way out (taken, timed out,
 *       interrupted) decrement {@code waiters}.</li>
 *   <li>release(n): add {@code n} to {@code count} (compare-and-set, refusing an overflow); then,
 *       if {@code waiters} is not 0, wake {@code n} sleepers of {@code count}.</li>
 * </ul>
 * Both read the other's counter after changing their own (sequentially consistent), so a release
 * either sees the waiter or the waiter sees the permit. In SHARED scope a sleeper sleeps at most
 * the re-check interval of {@link Mutex} at a time, so that a wake-up taken by a process that died
 * before using it delays the others by at most that interval; a process that dies holding permits
 * does not give them back (as with POSIX semaphores), and one that dies asleep leaves
 * {@code waiters} too high, which costs releases a needless system call, nothing else.
 */
public final class Semaphore {
    /** Bytes of memory a semaphore occupies: two 32-bit words. */
    public static final int BYTES = 8;
    /** Index of the count word, the word waiters sleep on. */
    static final int COUNT = 0;
    /** Index of the sleeper count. */
    static final int WAITERS = 1;

    /** The two words. */
    private final Words words;
    /** The longest single sleep (0: no bound other than the caller's time-out). */
    private final long sliceNanos;

    /** @param words the two words */
    private Semaphore(Words words) {
        this.words = words;
        this.sliceNanos = words.scope == Scope.SHARED ? Owners.RECHECK_NANOS : 0;
    }

    /**
     * Allocates a semaphore with {@code permits} permits, in memory of its own.
     *
     * @param permits the initial number of permits, 0 or more
     * @return a new semaphore in memory of its own, PRIVATE scope, on {@link WaitOnAddress#system()}
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static Semaphore allocate(int permits) {
        checkPermits(permits);
        Semaphore s = new Semaphore(Words.allocate(WaitOnAddress.system(), 2, "Semaphore"));
        s.words.set(COUNT, permits);
        return s;
    }

    /**
     * Views the two words at {@code address} as a semaphore, without changing them (zeroed
     * memory is a semaphore with no permits: {@link #release(int)} gives it some).
     *
     * @param address the address of the first word, aligned to 4 bytes; {@link #BYTES} bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use it
     * @return the semaphore, on {@link WaitOnAddress#system()}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the address is 0 or misaligned, or is a JNA
     *     {@code Memory} smaller than {@link #BYTES}
     * @throws UnsupportedOperationException if the backend cannot wait on 32-bit words in {@code scope}
     */
    public static Semaphore wrap(Pointer address, Scope scope) {
        return wrap(WaitOnAddress.system(), address, scope);
    }

    /**
     * As {@link #wrap(Pointer, Scope)}, waiting and waking through {@code futex}.
     *
     * @param futex the backend that waits and wakes
     * @param address the address of the first word, aligned to 4 bytes; {@link #BYTES} bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use it
     * @return the semaphore
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the address is 0 or misaligned, or is a JNA
     *     {@code Memory} smaller than {@link #BYTES}
     * @throws UnsupportedOperationException if {@code futex} cannot wait on 32-bit words in {@code scope}
     */
    public static Semaphore wrap(WaitOnAddress futex, Pointer address, Scope scope) {
        return new Semaphore(Words.of(futex, address, scope, 2, "Semaphore"));
    }

    /**
     * Views the two words at {@code offset} of a direct or mapped buffer as a semaphore, without
     * changing them.
     *
     * @param buffer a direct or mapped, writable buffer
     * @param offset the byte offset of the first word from the buffer's index 0, aligned to 4 bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use it
     * @return the semaphore, on {@link WaitOnAddress#system()}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the words do not lie within the buffer's limit
     * @throws UnsupportedOperationException if the backend cannot wait on 32-bit words in {@code scope}
     */
    public static Semaphore wrap(ByteBuffer buffer, int offset, Scope scope) {
        return wrap(WaitOnAddress.system(), buffer, offset, scope);
    }

    /**
     * As {@link #wrap(ByteBuffer, int, Scope)}, waiting and waking through {@code futex}.
     *
     * @param futex the backend that waits and wakes
     * @param buffer a direct or mapped, writable buffer
     * @param offset the byte offset of the first word from the buffer's index 0, aligned to 4 bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use it
     * @return the semaphore
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the words do not lie within the buffer's limit
     * @throws UnsupportedOperationException if {@code futex} cannot wait on 32-bit words in {@code scope}
     */
    public static Semaphore wrap(WaitOnAddress futex, ByteBuffer buffer, int offset, Scope scope) {
        return new Semaphore(Words.of(futex, buffer, offset, scope, 2, "Semaphore"));
    }

    /**
     * @param permits a number of permits
     * @throws IllegalArgumentException if it is negative
     */
    private static void checkPermits(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits " + permits + " < 0");
        }
    }

    /**
     * Takes a permit if one is available, without waiting.
     *
     * @return whether a permit was taken
     */
    public boolean tryAcquire() {
        for (;;) {
            int c = words.get(COUNT);
            if (c <= 0) {
                return false;
            }
            if (words.compareAndSet(COUNT, c, c - 1)) {
                return true;
            }
        }
    }

    /**
     * Takes a permit, sleeping until one is available.
     *
     * @throws InterruptedException if the thread is interrupted on entry or while it sleeps (the
     *     interrupt status is cleared; no permit is taken)
     */
    public void acquire() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!tryAcquire()) {
            acquire(false, 0);
        }
    }

    /**
     * Takes a permit, sleeping at most {@code timeout} until one is available. A time-out of zero
     * or less does not sleep; 2<sup>62</sup> ns or more waits forever.
     *
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return whether a permit was taken; false only once the time-out has passed
     * @throws InterruptedException if the thread is interrupted on entry or while it sleeps (the
     *     interrupt status is cleared; no permit is taken)
     * @throws NullPointerException if {@code unit} is null
     */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Words.nanos(timeout, unit);
        long start = System.nanoTime();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (tryAcquire()) {
            return true;
        }
        if (nanos == 0) {
            return false;
        }
        return nanos < 0 ? acquire(false, 0) : acquire(true, start + nanos);
    }

    /**
     * The blocking acquire, counted in {@code waiters}.
     *
     * @param timed whether {@code deadline} applies
     * @param deadline on the clock of {@link System#nanoTime()}
     * @return true when a permit was taken; false only if {@code timed} and the deadline has passed
     * @throws InterruptedException if the thread is interrupted while it sleeps
     */
    private boolean acquire(boolean timed, long deadline) throws InterruptedException {
        words.getAndAdd(WAITERS, 1);
        try {
            for (;;) {
                if (tryAcquire()) {
                    return true;
                }
                if (timed && Words.passed(deadline)) {
                    return false;
                }
                words.awaitSliced(COUNT, 0, timed, deadline, sliceNanos);
            }
        } finally {
            words.getAndAdd(WAITERS, -1);
        }
    }

    /** Adds one permit, waking a sleeper if there is one. */
    public void release() {
        release(1);
    }

    /**
     * Adds {@code permits} permits and wakes as many sleepers, if there are any (no system call
     * otherwise).
     *
     * @param permits 1 or more
     * @throws IllegalArgumentException if {@code permits} is below 1
     * @throws IllegalStateException if the count would pass {@link Integer#MAX_VALUE} (nothing is added)
     */
    public void release(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits " + permits + " < 1");
        }
        for (;;) {
            int c = words.get(COUNT);
            if (c > Integer.MAX_VALUE - permits) {
                throw new IllegalStateException("releasing " + permits + " permits to " + c
                        + " would pass the maximum count " + Integer.MAX_VALUE);
            }
            if (words.compareAndSet(COUNT, c, c + permits)) {
                break;
            }
        }
        if (words.get(WAITERS) != 0) {
            words.wake(COUNT, permits);
        }
    }

    /** {@return the permits available now (a snapshot)} */
    public int availablePermits() {
        return words.get(COUNT);
    }

    /**
     * Takes every available permit, without waiting.
     *
     * @return how many were taken
     */
    public int drainPermits() {
        return words.getAndSet(COUNT, 0);
    }

    /** {@return the largest count this semaphore can hold, {@link Integer#MAX_VALUE} (C++ {@code max()})} */
    public static int max() {
        return Integer.MAX_VALUE;
    }

    /** {@return the scope of the words' waits and wakes} */
    public Scope scope() {
        return words.scope;
    }

    /** {@return the address of the first word (the count)} */
    public Pointer pointer() {
        return words.pointer(COUNT);
    }

    @Override
    public String toString() {
        return "Semaphore[" + words + "]";
    }
}
