package dev.waitonaddress;

import com.sun.jna.Pointer;
import dev.waitonaddress.internal.Checks;
import dev.waitonaddress.internal.Deadlines;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * C++20 {@code std::atomic::wait} / {@code notify_one} / {@code notify_all} for words of native
 * memory: wait until a 32- or 64-bit word no longer holds a value, and wake the threads that wait.
 *
 * <pre>{@code
 * // waiter: returns once the 32-bit word no longer holds 0 (spurious wake-ups are absorbed)
 * AtomicWait.await32(word, 0);
 * // waker, in another thread: change the word with a volatile (sequentially consistent) store, then wake
 * AtomicWait.wakeOne(word);
 * }</pre>
 *
 * <h2>Waiting</h2>
 * {@code await32} waits on the 32-bit word at {@code address}, {@code await64} on the 64-bit
 * word: the width is in the name, never taken from the type of {@code old}. An {@code await}
 * returns only once it has read a value other than {@code old} (with acquire semantics), or,
 * timed, returns {@code false} once the time-out has elapsed, never before. It first spins
 * briefly (see {@link #SPINS_PROPERTY}), then sleeps in the OS through its backend.
 * {@link Thread#interrupt()} ends it with {@link InterruptedException} exactly as in
 * {@link WaitOnAddress}: at once if the interrupt status is set on entry, promptly while asleep;
 * the exception clears the status. The address must be non-zero, aligned to the width, and
 * readable for the whole call; a JNA {@code Memory} smaller than the word is refused with
 * {@link IllegalArgumentException}.
 *
 * <h2>Waking</h2>
 * {@code wakeOne} wakes at least one thread waiting on the word (possibly more),
 * {@code wakeAll} all of them. Neither reads nor writes the memory. In {@link Scope#PRIVATE}
 * scope a wake with nobody waiting in this process makes no system call: waiters are counted per
 * address bucket. Two rules make that exact:
 * <ol>
 * <li>every thread of this process that waits on the word waits through this class (with the
 * same backend), {@link NativeAtomicInteger} or {@link NativeAtomicLong} (a direct
 * {@link WaitOnAddress#await} or native code waiting on it is not counted: wake those with
 * {@link WaitOnAddress#wake}, which always asks the OS);</li>
 * <li>the store that changed the word, before the wake, is sequentially consistent: a volatile
 * write or an atomic read-modify-write ({@code NativeAtomicInteger.set}, {@code compareAndSet},
 * {@code getAndAdd}, a VarHandle {@code setVolatile}, C++ {@code memory_order_seq_cst}). After a
 * weaker store ({@code lazySet}, {@code setRelease}, {@code setOpaque}, {@code setPlain}, JNA's
 * {@code Pointer.setInt}) call {@link VarHandle#fullFence()} before the wake.</li>
 * </ol>
 * {@link Scope#SHARED} waits and wakes through these static methods (memory mapped by several
 * processes) are never counted: a raw address has no room for a count other processes could see,
 * so a SHARED wake here always asks the OS. {@link NativeAtomicInteger#wrapShared} and
 * {@link NativeAtomicLong#wrapShared} keep a waiter count in the mapping beside the value and skip
 * the system call while no process sleeps. Both sides must use the same scope.
 *
 * <h2>Widths</h2>
 * Where the backend waits on a width natively the OS sleeps on the word itself. Where it does not
 * (64 bits on Linux and OpenBSD), waiters sleep on a 32-bit proxy word of the address's bucket:
 * exact in PRIVATE scope; in SHARED scope such a width is refused with
 * {@link UnsupportedOperationException} naming the backend. {@link #wakeOne(Pointer)} and
 * {@link #wakeAll(Pointer)} wake waiters of either width; {@link NativeAtomicInteger#wakeOne()}
 * wakes only 32-bit waiters and {@link NativeAtomicLong#wakeOne()} only 64-bit ones, so a waiter
 * and a typed waker must agree on the width of the word.
 *
 * <h2>Backends</h2>
 * The static methods go to {@link WaitOnAddress#system()}. {@link #over(WaitOnAddress)} gives the
 * same layer over any backend, for instance to compare backends in one process; waiters and
 * wakers of a word must go through the same backend.
 *
 * <p>Every method is thread-safe.
 */
public final class AtomicWait {
    /**
     * System property: how many rounds an {@code await} spins on the processor, re-reading the
     * word and pausing with {@link Thread#onSpinWait()}, before it yields and then sleeps in the
     * OS; {@code 0} turns spinning off (no yielding either: the wait sleeps at once). Read once;
     * the default is 16. The forms with a {@code spins} argument, {@link Bound#withSpins} and
     * {@link NativeAtomicInteger#withSpins} override it.
     */
    public static final String SPINS_PROPERTY = "dev.waitonaddress.spins";

    /**
     * System property: after its spin rounds, for how many microseconds an {@code await} goes on
     * re-reading the word between calls to {@link Thread#yield()} (at least one) before it sleeps
     * in the OS; {@code 0} goes to sleep right after the spin rounds. Read once; the default is
     * 50. The yields catch a peer (a thread or another process) that answers within a few
     * microseconds, or that was held up for a moment, without the sleep and the wake; when the
     * processor is saturated the first yield gives it away for a time slice, which uses up the
     * time at once, so the wait then sleeps.
     */
    public static final String YIELD_MICROS_PROPERTY = "dev.waitonaddress.yieldMicros";

    private AtomicWait() {
    }

    /** {@return the spin rounds an {@code await} without a {@code spins} argument uses} */
    public static int defaultSpins() {
        return Waiters.DEFAULT_SPINS;
    }

    /** {@return the microseconds a spinning {@code await} yields before it sleeps; see {@link #YIELD_MICROS_PROPERTY}} */
    public static long yieldMicros() {
        return Waiters.YIELD_NANOS / 1000;
    }

    /** {@return the backend the static methods wait and wake through: {@link WaitOnAddress#system()}} */
    public static WaitOnAddress backend() {
        return Waiters.system().backend();
    }

    /**
     * The layer over another backend than {@link WaitOnAddress#system()}, with its own waiter
     * counts: its waiters are woken by its wakes only.
     *
     * @param backend the backend to wait and wake through
     * @return the layer over it, spinning {@link #defaultSpins()} rounds
     * @throws NullPointerException if {@code backend} is null
     */
    public static Bound over(WaitOnAddress backend) {
        return new Bound(new Waiters(backend), Waiters.DEFAULT_SPINS);
    }

    // ------------------------------------------------------------------------------ 32-bit words

    /**
     * Returns once the 32-bit word at {@code address} holds a value other than {@code old}
     * (PRIVATE scope, default spinning). Spurious wake-ups are absorbed.
     *
     * @param address the word: non-zero, aligned to 4, readable
     * @param old the value to wait past
     * @throws InterruptedException if the thread is interrupted on entry or while it waits
     * @throws IllegalArgumentException for a bad address
     */
    public static void await32(Pointer address, int old) throws InterruptedException {
        await32(address, old, Scope.PRIVATE, Waiters.DEFAULT_SPINS);
    }

    /**
     * As {@link #await32(Pointer, int)}, in {@code scope}.
     *
     * @param address the word: non-zero, aligned to 4, readable
     * @param old the value to wait past
     * @param scope PRIVATE, or SHARED for a word other processes wake
     * @throws InterruptedException if the thread is interrupted on entry or while it waits
     * @throws IllegalArgumentException for a bad address
     * @throws UnsupportedOperationException for SHARED scope where the backend cannot wait across processes
     */
    public static void await32(Pointer address, int old, Scope scope) throws InterruptedException {
        await32(address, old, scope, Waiters.DEFAULT_SPINS);
    }

    /**
     * As {@link #await32(Pointer, int)}, in {@code scope}, spinning {@code spins} rounds before it
     * sleeps (0: sleep at once).
     *
     * @param address the word: non-zero, aligned to 4, readable
     * @param old the value to wait past
     * @param scope PRIVATE, or SHARED for a word other processes wake
     * @param spins 0 or more
     * @throws InterruptedException if the thread is interrupted on entry or while it waits
     * @throws IllegalArgumentException for a bad address or a negative {@code spins}
     * @throws UnsupportedOperationException for SHARED scope where the backend cannot wait across processes
     */
    public static void await32(Pointer address, int old, Scope scope, int spins) throws InterruptedException {
        Waiters.system().await(address, Width.INT32, old, scope, spins, Deadlines.NEVER);
    }

    /**
     * Waits at most {@code timeout} for the 32-bit word at {@code address} to hold a value other
     * than {@code old} (PRIVATE scope).
     *
     * @param address the word: non-zero, aligned to 4, readable
     * @param old the value to wait past
     * @param timeout zero or less polls; longer than 2<sup>62</sup> ns waits forever
     * @param unit the unit of {@code timeout}
     * @return {@code true} once the word differs, {@code false} on time-out (never early)
     * @throws InterruptedException if the thread is interrupted on entry or while it waits
     * @throws IllegalArgumentException for a bad address
     */
    public static boolean await32(Pointer address, int old, long timeout, TimeUnit unit) throws InterruptedException {
        return await32(address, old, Scope.PRIVATE, Waiters.DEFAULT_SPINS, timeout, unit);
    }

    /**
     * As {@link #await32(Pointer, int, long, TimeUnit)}, in {@code scope}.
     *
     * @param address the word: non-zero, aligned to 4, readable
     * @param old the value to wait past
     * @param scope PRIVATE, or SHARED for a word other processes wake
     * @param timeout zero or less polls; longer than 2<sup>62</sup> ns waits forever
     * @param unit the unit of {@code timeout}
     * @return {@code true} once the word differs, {@code false} on time-out (never early)
     * @throws InterruptedException if the thread is interrupted on entry or while it waits
     * @throws IllegalArgumentException for a bad address
     * @throws UnsupportedOperationException for SHARED scope where the backend cannot wait across processes
     */
    public static boolean await32(Pointer address, int old, Scope scope, long timeout, TimeUnit unit)
            throws InterruptedException {
        return await32(address, old, scope, Waiters.DEFAULT_SPINS, timeout, unit);
    }

    /**
     * As {@link #await32(Pointer, int, long, TimeUnit)}, in {@code scope}, spinning {@code spins} rounds.
     *
     * @param address the word: non-zero, aligned to 4, readable
     * @param old the value to wait past
     * @param scope PRIVATE, or SHARED for a word other processes wake
     * @param spins 0 or more
     * @param timeout zero or less polls; longer than 2<sup>62</sup> ns waits forever
     * @param unit the unit of {@code timeout}
     * @return {@code true} once the word differs, {@code false} on time-out (never early)
     * @throws InterruptedException if the thread is interrupted on entry or while it waits
     * @throws IllegalArgumentException for a bad address or a negative {@code spins}
     * @throws UnsupportedOperationException for SHARED scope where the backend cannot wait across processes
     */
    public static boolean await32(Pointer address, int old, Scope scope, int spins, long timeout, TimeUnit unit)
            throws InterruptedException {
        return Waiters.system().await(address, Width.INT32, old, scope, spins, Deadlines.of(timeout, unit));
    }

    // ------------------------------------------------------------------------------ 64-bit words

    /**
     * Returns once the 64-bit word at {@code address} holds a value other than {@code old}
     * (PRIVATE scope, default spinning). Spurious wake-ups are absorbed.
     *
     * @param address the word: non-zero, aligned to 8, readable, and 8 bytes long
     * @param old the value to wait past
     * @throws InterruptedException if the thread is interrupted on entry or while it waits
     * @throws IllegalArgumentException for a bad address
     */
    public static void await64(Pointer address, long old) throws InterruptedException {
        await64(address, old, Scope.PRIVATE, Waiters.DEFAULT_SPINS);
    }

    /**
     * As {@link #await64(Pointer, long)}, in {@code scope}.
     *
     * @param address the word: non-zero, aligned to 8, readable, and 8 bytes long
     * @param old the value to wait past
     * @param scope PRIVATE, or SHARED for a word other processes wake
     * @throws InterruptedException if the thread is interrupted on entry or while it waits
     * @throws IllegalArgumentException for a bad address
     * @throws UnsupportedOperationException for SHARED scope where the backend has no native
     *     64-bit wait across processes (Linux, OpenBSD)
     */
    public static void await64(Pointer address, long old, Scope scope) throws InterruptedException {
        await64(address, old, scope, Waiters.DEFAULT_SPINS);
    }

    /**
     * As {@link #await64(Pointer, long, Scope)}, spinning {@code spins} rounds before it sleeps.
     *
     * @param address the word: non-zero, aligned to 8, readable, and 8 bytes long
     * @param old the value to wait past
     * @param scope PRIVATE, or SHARED for a word other processes wake
     * @param spins 0 or more
     * @throws InterruptedException if the thread is interrupted on entry or while it waits
     * @throws IllegalArgumentException for a bad address or a negative {@code spins}
     * @throws UnsupportedOperationException for SHARED scope where the backend has no native
     *     64-bit wait across processes
     */
    public static void await64(Pointer address, long old, Scope scope, int spins) throws InterruptedException {
        Waiters.system().await(address, Width.INT64, old, scope, spins, Deadlines.NEVER);
    }

    /**
     * Waits at most {@code timeout} for the 64-bit word at {@code address} to hold a value other
     * than {@code old} (PRIVATE scope).
     *
     * @param address the word: non-zero, aligned to 8, readable, and 8 bytes long
     * @param old the value to wait past
     * @param timeout zero or less polls; longer than 2<sup>62</sup> ns waits forever
     * @param unit the unit of {@code timeout}
     * @return {@code true} once the word differs, {@code false} on time-out (never early)
     * @throws InterruptedException if the thread is interrupted on entry or while it waits
     * @throws IllegalArgumentException for a bad address
     */
    public static boolean await64(Pointer address, long old, long timeout, TimeUnit unit) throws InterruptedException {
        return await64(address, old, Scope.PRIVATE, Waiters.DEFAULT_SPINS, timeout, unit);
    }

    /**
     * As {@link #await64(Pointer, long, long, TimeUnit)}, in {@code scope}.
     *
     * @param address the word: non-zero, aligned to 8, readable, and 8 bytes long
     * @param old the value to wait past
     * @param scope PRIVATE, or SHARED for a word other processes wake
     * @param timeout zero or less polls; longer than 2<sup>62</sup> ns waits forever
     * @param unit the unit of {@code timeout}
     * @return {@code true} once the word differs, {@code false} on time-out (never early)
     * @throws InterruptedException if the thread is interrupted on entry or while it waits
     * @throws IllegalArgumentException for a bad address
     * @throws UnsupportedOperationException for SHARED scope where the backend has no native
     *     64-bit wait across processes
     */
    public static boolean await64(Pointer address, long old, Scope scope, long timeout, TimeUnit unit)
            throws InterruptedException {
        return await64(address, old, scope, Waiters.DEFAULT_SPINS, timeout, unit);
    }

    /**
     * As {@link #await64(Pointer, long, long, TimeUnit)}, in {@code scope}, spinning {@code spins} rounds.
     *
     * @param address the word: non-zero, aligned to 8, readable, and 8 bytes long
     * @param old the value to wait past
     * @param scope PRIVATE, or SHARED for a word other processes wake
     * @param spins 0 or more
     * @param timeout zero or less polls; longer than 2<sup>62</sup> ns waits forever
     * @param unit the unit of {@code timeout}
     * @return {@code true} once the word differs, {@code false} on time-out (never early)
     * @throws InterruptedException if the thread is interrupted on entry or while it waits
     * @throws IllegalArgumentException for a bad address or a negative {@code spins}
     * @throws UnsupportedOperationException for SHARED scope where the backend has no native
     *     64-bit wait across processes
     */
    public static boolean await64(Pointer address, long old, Scope scope, int spins, long timeout, TimeUnit unit)
            throws InterruptedException {
        return Waiters.system().await(address, Width.INT64, old, scope, spins, Deadlines.of(timeout, unit));
    }

    // ------------------------------------------------------------------------------ waking

    /**
     * Wakes at least one thread of this process waiting on the word at {@code address} (32- or
     * 64-bit), in PRIVATE scope. Makes no system call when none waits. Never touches the memory.
     *
     * @param address non-zero, aligned to 4
     * @throws IllegalArgumentException for a bad address
     */
    public static void wakeOne(Pointer address) {
        wakeOne(address, Scope.PRIVATE);
    }

    /**
     * Wakes every thread of this process waiting on the word at {@code address}, in PRIVATE scope.
     *
     * @param address non-zero, aligned to 4
     * @throws IllegalArgumentException for a bad address
     */
    public static void wakeAll(Pointer address) {
        wakeAll(address, Scope.PRIVATE);
    }

    /**
     * As {@link #wakeOne(Pointer)}, in {@code scope}; a SHARED wake always asks the OS (for
     * 32-bit waiters, and for 64-bit ones where the backend waits on 64 bits across processes).
     *
     * @param address non-zero, aligned to 4
     * @param scope the waiters' scope
     * @throws IllegalArgumentException for a bad address
     */
    public static void wakeOne(Pointer address, Scope scope) {
        Waiters.system().wake(address, Checks.address(address, 4), scope, 1);
    }

    /**
     * As {@link #wakeAll(Pointer)}, in {@code scope}; a SHARED wake always asks the OS.
     *
     * @param address non-zero, aligned to 4
     * @param scope the waiters' scope
     * @throws IllegalArgumentException for a bad address
     */
    public static void wakeAll(Pointer address, Scope scope) {
        Waiters.system().wake(address, Checks.address(address, 4), scope, WaitOnAddress.ALL);
    }

    /**
     * As {@link #wakeOne(Pointer)} for an address held as a number (no {@code Pointer} needed).
     *
     * @param address non-zero, aligned to 4
     * @throws IllegalArgumentException for a bad address
     */
    public static void wakeOne(long address) {
        wakeOne(address, Scope.PRIVATE);
    }

    /**
     * As {@link #wakeAll(Pointer)} for an address held as a number.
     *
     * @param address non-zero, aligned to 4
     * @throws IllegalArgumentException for a bad address
     */
    public static void wakeAll(long address) {
        wakeAll(address, Scope.PRIVATE);
    }

    /**
     * As {@link #wakeOne(Pointer, Scope)} for an address held as a number.
     *
     * @param address non-zero, aligned to 4
     * @param scope the waiters' scope
     * @throws IllegalArgumentException for a bad address
     */
    public static void wakeOne(long address, Scope scope) {
        Waiters.system().wake(null, Checks.address(address, 4), scope, 1);
    }

    /**
     * As {@link #wakeAll(Pointer, Scope)} for an address held as a number.
     *
     * @param address non-zero, aligned to 4
     * @param scope the waiters' scope
     * @throws IllegalArgumentException for a bad address
     */
    public static void wakeAll(long address, Scope scope) {
        Waiters.system().wake(null, Checks.address(address, 4), scope, WaitOnAddress.ALL);
    }

    /**
     * The layer of {@link AtomicWait} over one backend, made by {@link AtomicWait#over}: the same
     * waits and wakes as the static methods, with waiter counts of its own. Immutable and thread-safe.
     */
    public static final class Bound {
        private final Waiters waiters;
        private final int spins;

        private Bound(Waiters waiters, int spins) {
            this.waiters = waiters;
            this.spins = spins;
        }

        /** {@return the backend its waits and wakes go to} */
        public WaitOnAddress backend() {
            return waiters.backend();
        }

        /** {@return the spin rounds before a wait sleeps} */
        public int spins() {
            return spins;
        }

        /**
         * Makes a layer that spins {@code spins} rounds before a wait sleeps; it shares this
         * layer's backend and waiter counts, and this layer is unchanged.
         *
         * @param spins spin rounds before a wait sleeps, 0 or more
         * @return the same layer (the same waiter counts), spinning {@code spins} rounds
         * @throws IllegalArgumentException if {@code spins} is negative
         */
        public Bound withSpins(int spins) {
            return new Bound(waiters, Checks.atLeast("spins", spins, 0));
        }

        /**
         * As {@link AtomicWait#await32(Pointer, int, Scope)}, through this layer.
         *
         * @param address the word: non-zero, aligned to 4, readable
         * @param old the value to wait past
         * @param scope PRIVATE, or SHARED for a word other processes wake
         * @throws InterruptedException if the thread is interrupted on entry or while it waits
         * @throws IllegalArgumentException for a bad address
         * @throws UnsupportedOperationException for SHARED scope where the backend cannot wait across processes
         */
        public void await32(Pointer address, int old, Scope scope) throws InterruptedException {
            waiters.await(address, Width.INT32, old, scope, spins, Deadlines.NEVER);
        }

        /**
         * As {@link AtomicWait#await32(Pointer, int, Scope, long, TimeUnit)}, through this layer.
         *
         * @param address the word: non-zero, aligned to 4, readable
         * @param old the value to wait past
         * @param scope PRIVATE, or SHARED for a word other processes wake
         * @param timeout zero or less polls; longer than 2<sup>62</sup> ns waits forever
         * @param unit the unit of {@code timeout}
         * @return {@code true} once the word differs, {@code false} on time-out (never early)
         * @throws InterruptedException if the thread is interrupted on entry or while it waits
         * @throws IllegalArgumentException for a bad address
         * @throws UnsupportedOperationException for SHARED scope where the backend cannot wait across processes
         */
        public boolean await32(Pointer address, int old, Scope scope, long timeout, TimeUnit unit)
                throws InterruptedException {
            return waiters.await(address, Width.INT32, old, scope, spins, Deadlines.of(timeout, unit));
        }

        /**
         * As {@link AtomicWait#await64(Pointer, long, Scope)}, through this layer.
         *
         * @param address the word: non-zero, aligned to 8, readable, and 8 bytes long
         * @param old the value to wait past
         * @param scope PRIVATE, or SHARED for a word other processes wake
         * @throws InterruptedException if the thread is interrupted on entry or while it waits
         * @throws IllegalArgumentException for a bad address
         * @throws UnsupportedOperationException for SHARED scope where the backend has no native
         *     64-bit wait across processes
         */
        public void await64(Pointer address, long old, Scope scope) throws InterruptedException {
            waiters.await(address, Width.INT64, old, scope, spins, Deadlines.NEVER);
        }

        /**
         * As {@link AtomicWait#await64(Pointer, long, Scope, long, TimeUnit)}, through this layer.
         *
         * @param address the word: non-zero, aligned to 8, readable, and 8 bytes long
         * @param old the value to wait past
         * @param scope PRIVATE, or SHARED for a word other processes wake
         * @param timeout zero or less polls; longer than 2<sup>62</sup> ns waits forever
         * @param unit the unit of {@code timeout}
         * @return {@code true} once the word differs, {@code false} on time-out (never early)
         * @throws InterruptedException if the thread is interrupted on entry or while it waits
         * @throws IllegalArgumentException for a bad address
         * @throws UnsupportedOperationException for SHARED scope where the backend has no native
         *     64-bit wait across processes
         */
        public boolean await64(Pointer address, long old, Scope scope, long timeout, TimeUnit unit)
                throws InterruptedException {
            return waiters.await(address, Width.INT64, old, scope, spins, Deadlines.of(timeout, unit));
        }

        /**
         * As {@link AtomicWait#wakeOne(Pointer, Scope)}, through this layer.
         *
         * @param address non-zero, aligned to 4
         * @param scope the waiters' scope
         * @throws IllegalArgumentException for a bad address
         */
        public void wakeOne(Pointer address, Scope scope) {
            waiters.wake(address, Checks.address(address, 4), scope, 1);
        }

        /**
         * As {@link AtomicWait#wakeAll(Pointer, Scope)}, through this layer.
         *
         * @param address non-zero, aligned to 4
         * @param scope the waiters' scope
         * @throws IllegalArgumentException for a bad address
         */
        public void wakeAll(Pointer address, Scope scope) {
            waiters.wake(address, Checks.address(address, 4), scope, WaitOnAddress.ALL);
        }

        /**
         * As {@link NativeAtomicInteger#wrap(ByteBuffer, int, Scope)}, waiting and waking through
         * this layer and spinning its rounds.
         *
         * @param buffer a direct or mapped, writable buffer
         * @param offset the byte offset of the word, aligned to 4 bytes
         * @param scope {@link Scope#SHARED} when other processes map the memory and wait or wake
         * @return the view
         * @throws NullPointerException if {@code buffer} or {@code scope} is null
         * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
         * @throws IndexOutOfBoundsException if the word does not lie within {@code 0..limit}
         */
        public NativeAtomicInteger wrapInt(ByteBuffer buffer, int offset, Scope scope) {
            return NativeAtomicInteger.wrap(buffer, offset, scope, waiters, spins);
        }

        /**
         * As {@link NativeAtomicLong#wrap(ByteBuffer, int, Scope)}, waiting and waking through
         * this layer and spinning its rounds.
         *
         * @param buffer a direct or mapped, writable buffer
         * @param offset the byte offset of the word, aligned to 8 bytes
         * @param scope {@link Scope#SHARED} when other processes map the memory and wait or wake
         * @return the view
         * @throws NullPointerException if {@code buffer} or {@code scope} is null
         * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
         * @throws IndexOutOfBoundsException if the word does not lie within {@code 0..limit}
         */
        public NativeAtomicLong wrapLong(ByteBuffer buffer, int offset, Scope scope) {
            return NativeAtomicLong.wrap(buffer, offset, scope, waiters, spins);
        }

        @Override
        public String toString() {
            return "AtomicWait over " + waiters.backend().name() + ", " + spins + " spins";
        }
    }
}
