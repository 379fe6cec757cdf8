package dev.waitonaddress.sync;

import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A reusable barrier of phases (C++20 {@code std::barrier}, a fixed-party
 * {@link java.util.concurrent.Phaser}) on three aligned 32-bit words of native or shared memory:
 * each phase ends when every party has arrived, and the next begins. Parties may leave for good
 * with {@link #arriveAndDrop()}. Thread-safe; each party arrives once per phase.
 *
 * <h2>Word protocol</h2>
 * Word 0 ({@code phase}) is the phase number, wrapping around, which waiters sleep on; word 1
 * ({@code remaining}) the arrivals still missing in this phase; word 2 ({@code parties}) the
 * parties of the next phase.
 * <ul>
 *   <li>arrive: read {@code phase} into {@code p} (before arriving); compare-and-set
 *       {@code remaining} one lower (refusing to go below 0). The arrival that takes it to 0 is the
 *       last: it stores {@code parties} into {@code remaining}, then {@code p + 1} into
 *       {@code phase}, and wakes every sleeper of {@code phase}.</li>
 *   <li>wait for phase {@code p} to end: sleep on {@code phase} while it holds {@code p}.</li>
 *   <li>arriveAndDrop: decrement {@code parties} first, then arrive without waiting.</li>
 * </ul>
 * A process that dies before arriving leaves the others waiting (use the timed wait).
 */
public final class Barrier {
    /** Bytes of memory a barrier occupies: three 32-bit words. */
    public static final int BYTES = 12;
    /** Index of the phase word, the word waiters sleep on. */
    static final int PHASE = 0;
    /** Index of the arrivals still missing in this phase. */
    static final int REMAINING = 1;
    /** Index of the parties of the next phase. */
    static final int PARTIES = 2;

    /** The three words. */
    private final Words words;

    /** @param words the three words */
    private Barrier(Words words) {
        this.words = words;
    }

    /**
     * Allocates a barrier for {@code parties} arrivals per phase, in memory of its own.
     *
     * @param parties the number of arrivals that end a phase, 1 or more
     * @return a new barrier at phase 0 in memory of its own, PRIVATE scope, on
     *     {@link WaitOnAddress#system()}
     * @throws IllegalArgumentException if {@code parties} is below 1
     */
    public static Barrier allocate(int parties) {
        return new Barrier(Words.allocate(WaitOnAddress.system(), 3, "Barrier")).initialize(parties);
    }

    /**
     * Views the three words at {@code address} as a barrier, without changing them (one process
     * sets the parties with {@link #initialize(int)} before the others use it).
     *
     * @param address the address of the first word, aligned to 4 bytes; {@link #BYTES} bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use it
     * @return the barrier, on {@link WaitOnAddress#system()}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the address is 0 or misaligned, or is a JNA
     *     {@code Memory} smaller than {@link #BYTES}
     * @throws UnsupportedOperationException if the backend cannot wait on 32-bit words in {@code scope}
     */
    public static Barrier wrap(Pointer address, Scope scope) {
        return wrap(WaitOnAddress.system(), address, scope);
    }

    /**
     * As {@link #wrap(Pointer, Scope)}, waiting and waking through {@code futex}.
     *
     * @param futex the backend that waits and wakes
     * @param address the address of the first word, aligned to 4 bytes; {@link #BYTES} bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use it
     * @return the barrier
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the address is 0 or misaligned, or is a JNA
     *     {@code Memory} smaller than {@link #BYTES}
     * @throws UnsupportedOperationException if {@code futex} cannot wait on 32-bit words in {@code scope}
     */
    public static Barrier wrap(WaitOnAddress futex, Pointer address, Scope scope) {
        return new Barrier(Words.of(futex, address, scope, 3, "Barrier"));
    }

    /**
     * Views the three words at {@code offset} of a direct or mapped buffer as a barrier, without
     * changing them.
     *
     * @param buffer a direct or mapped, writable buffer
     * @param offset the byte offset of the first word from the buffer's index 0, aligned to 4 bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use it
     * @return the barrier, on {@link WaitOnAddress#system()}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the words do not lie within the buffer's limit
     * @throws UnsupportedOperationException if the backend cannot wait on 32-bit words in {@code scope}
     */
    public static Barrier wrap(ByteBuffer buffer, int offset, Scope scope) {
        return wrap(WaitOnAddress.system(), buffer, offset, scope);
    }

    /**
     * As {@link #wrap(ByteBuffer, int, Scope)}, waiting and waking through {@code futex}.
     *
     * @param futex the backend that waits and wakes
     * @param buffer a direct or mapped, writable buffer
     * @param offset the byte offset of the first word from the buffer's index 0, aligned to 4 bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use it
     * @return the barrier
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the words do not lie within the buffer's limit
     * @throws UnsupportedOperationException if {@code futex} cannot wait on 32-bit words in {@code scope}
     */
    public static Barrier wrap(WaitOnAddress futex, ByteBuffer buffer, int offset, Scope scope) {
        return new Barrier(Words.of(futex, buffer, offset, scope, 3, "Barrier"));
    }

    /**
     * Starts the barrier at phase 0 with {@code parties} parties. Only while no thread uses it:
     * when it is made, before it is shared.
     *
     * @param parties the number of arrivals that end a phase, 1 or more
     * @return this barrier
     * @throws IllegalArgumentException if {@code parties} is below 1
     */
    public Barrier initialize(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties " + parties + " < 1");
        }
        words.set(PARTIES, parties);
        words.set(REMAINING, parties);
        words.set(PHASE, 0);
        return this;
    }

    /**
     * Arrives at the current phase without waiting (C++ {@code arrive}); the last arrival of a
     * phase starts the next and wakes the waiters.
     *
     * @return the phase arrived at, for {@link #awaitAdvance(int)}
     * @throws IllegalStateException if every party of this phase has already arrived (more
     *     arrivals than parties)
     */
    public int arrive() {
        int phase = words.get(PHASE);
        for (;;) {
            int r = words.get(REMAINING);
            if (r <= 0) {
                throw new IllegalStateException("phase " + phase + " has no arrival left: more arrivals than parties ("
                        + words.get(PARTIES) + ")");
            }
            if (words.compareAndSet(REMAINING, r, r - 1)) {
                if (r == 1) {
                    words.set(REMAINING, words.get(PARTIES));
                    words.set(PHASE, phase + 1);
                    words.wake(PHASE, WaitOnAddress.ALL);
                }
                return phase;
            }
        }
    }

    /**
     * Arrives and sleeps until the phase ends (C++ {@code arrive_and_wait}).
     *
     * @return the phase arrived at; the barrier is now at a later phase
     * @throws InterruptedException if the thread is interrupted while it sleeps (the interrupt
     *     status is cleared; the arrival has happened)
     * @throws IllegalStateException if every party of this phase has already arrived
     */
    public int arriveAndWait() throws InterruptedException {
        int phase = arrive();
        awaitAdvance(false, phase, 0);
        return phase;
    }

    /**
     * Leaves the barrier for good: the next phases have one party fewer, and this arrival counts
     * for the current phase (C++ {@code arrive_and_drop}). Does not wait.
     *
     * @return the phase arrived at
     * @throws IllegalStateException if no party is left to drop, or every party of this phase has
     *     already arrived
     */
    public int arriveAndDrop() {
        for (;;) {
            int p = words.get(PARTIES);
            if (p <= 0) {
                throw new IllegalStateException("no party left to drop");
            }
            if (words.compareAndSet(PARTIES, p, p - 1)) {
                break;
            }
        }
        return arrive();
    }

    /**
     * Sleeps until the barrier has left {@code phase} (C++ {@code wait(token)}); returns at once
     * if it already has.
     *
     * @param phase a phase number returned by {@link #arrive()}
     * @throws InterruptedException if the thread is interrupted on entry or while it sleeps (the
     *     interrupt status is cleared)
     */
    public void awaitAdvance(int phase) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        awaitAdvance(false, phase, 0);
    }

    /**
     * Sleeps at most {@code timeout} until the barrier has left {@code phase}. A time-out of zero
     * or less does not sleep; 2<sup>62</sup> ns or more waits forever.
     *
     * @param phase a phase number returned by {@link #arrive()}
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return whether the barrier left {@code phase}; false only once the time-out has passed
     * @throws InterruptedException if the thread is interrupted on entry or while it sleeps (the
     *     interrupt status is cleared)
     * @throws NullPointerException if {@code unit} is null
     */
    public boolean awaitAdvance(int phase, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Words.nanos(timeout, unit);
        long start = System.nanoTime();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return nanos < 0 ? awaitAdvance(false, phase, 0) : awaitAdvance(true, phase, start + nanos);
    }

    /**
     * @param timed whether {@code deadline} applies
     * @param phase the phase to see end
     * @param deadline on the clock of {@link System#nanoTime()}
     * @return true when the phase has ended; false only if {@code timed} and the deadline has passed
     * @throws InterruptedException if the thread is interrupted while it sleeps
     */
    private boolean awaitAdvance(boolean timed, int phase, long deadline) throws InterruptedException {
        while (words.get(PHASE) == phase) {
            if (timed) {
                if (Words.passed(deadline)) {
                    return false;
                }
                words.awaitUntil(PHASE, phase, deadline);
            } else {
                words.await(PHASE, phase);
            }
        }
        return true;
    }

    /** {@return the current phase number (a snapshot)} */
    public int phase() {
        return words.get(PHASE);
    }

    /** {@return the parties of the next phase (a snapshot)} */
    public int parties() {
        return words.get(PARTIES);
    }

    /** {@return the arrivals still missing in the current phase (a snapshot)} */
    public int remaining() {
        return words.get(REMAINING);
    }

    /** {@return the scope of the words' waits and wakes} */
    public Scope scope() {
        return words.scope;
    }

    /** {@return the address of the first word (the phase)} */
    public Pointer pointer() {
        return words.pointer(PHASE);
    }

    @Override
    public String toString() {
        return "Barrier[" + words + "]";
    }
}
