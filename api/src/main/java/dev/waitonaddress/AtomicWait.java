package dev.waitonaddress;

import com.sun.jna.Pointer;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * C++20 {@code std::atomic::wait} / {@code notify_one} / {@code notify_all} for words of native
 * memory: wait until a 32- or 64-bit word no longer holds a value, and wake the threads that wait.
 *
 * <pre>{@code
 * // waiter: returns once the word no longer holds 0 (spurious wake-ups are absorbed)
 * AtomicWait.await(word, 0);
 * // waker, in another thread: change the word with a volatile (sequentially consistent) store, then wake
 * AtomicWait.wakeOne(word);
 * }</pre>
 *
 * <h2>Waiting</h2>
 * {@code await(address, int old)} waits on the 32-bit word at {@code address},
 * {@code await(address, long old)} on the 64-bit word: mind the overload, and write
 * {@code 0L} for a 64-bit word. An {@code await} returns only once it has read a value other than
 * {@code old} (with acquire semantics), or, timed, returns {@code false} once the time-out has
 * elapsed, never before. It first spins briefly (see {@link #SPINS_PROPERTY}), then sleeps in the kernel through {@link WaitOnAddress#system()}.
 * {@link Thread#interrupt()} ends it with {@link InterruptedException} exactly as in the SPI: at
 * once if the interrupt status is set on entry, promptly while asleep; the exception clears the
 * status. The address must be non-zero, aligned to the width, and readable for the whole call.
 *
 * <h2>Waking</h2>
 * {@code wakeOne} wakes at least one thread waiting on the word (possibly more),
 * {@code wakeAll} all of them. Neither reads nor writes the memory. In {@link Scope#PRIVATE}
 * scope a wake with nobody waiting in this process costs a few nanoseconds and makes no system
 * call: waiters are counted per address bucket. Two rules make that exact:
 * <ol>
 * <li>every thread of this process that waits on the word waits through this class,
 * {@link NativeAtomicInteger} or {@link NativeAtomicLong} (a direct {@link WaitOnAddress#await}
 * or native code waiting on it is not counted: wake those with {@link WaitOnAddress#wake}, which
 * always asks the kernel);</li>
 * <li>the store that changed the word, before the wake, is sequentially consistent: a volatile
 * write or an atomic read-modify-write ({@code NativeAtomicInteger.set}, {@code compareAndSet},
 * {@code getAndAdd}, a VarHandle {@code setVolatile}, C++ {@code memory_order_seq_cst}). After a
 * weaker store ({@code lazySet}, {@code setRelease}, {@code setOpaque}, {@code setPlain}, JNA's
 * {@code Pointer.setInt}) call {@link VarHandle#fullFence()} before the wake.</li>
 * </ol>
 * {@link Scope#SHARED} waits and wakes (memory mapped by several processes) are never counted: a
 * SHARED wake always asks the kernel. Both sides must use the same scope.
 *
 * <h2>Widths</h2>
 * Where the backend waits on a width natively (32 bits everywhere, 64 bits on Windows and macOS)
 * the kernel sleeps on the word itself. Where it does not (64 bits on Linux and OpenBSD), waiters
 * sleep on a 32-bit proxy word of the address's bucket, as libstdc++ does: exact in PRIVATE
 * scope; in SHARED scope such a width is refused with {@link UnsupportedOperationException}
 * naming the backend. {@link #wakeOne(Pointer)} and {@link #wakeAll(Pointer)} wake waiters of
 * either width; {@link NativeAtomicInteger#wakeOne()} wakes only 32-bit waiters and
 * {@link NativeAtomicLong#wakeOne()} only 64-bit ones, so a waiter and a typed waker must agree
 * on the width of the word.
 *
 * <p>Every method is thread-safe and static.
 */
public final class AtomicWait {
    /**
     * System property: how many rounds an {@code await} spins, re-reading the word, before it
     * sleeps in the kernel; {@code 0} turns spinning off. The first three quarters of the rounds
     * pause with {@link Thread#onSpinWait()}, the last quarter give the processor away with
     * {@link Thread#yield()}, as libstdc++'s {@code atomic::wait} does (12 pauses, 4 yields). Read
     * once. The default, 16, was chosen by measuring a two-thread ping-pong on a loaded 2-core
     * x86-64 VM (where one pause costs 50 to 80 ns): 8 to 16 rounds beat no spinning and
     * libstdc++, 32 was no better, 64 and more took the core from the thread that must answer
     * and doubled the round trip. The per-call forms with a {@code spins} argument (and
     * {@link NativeAtomicInteger#withSpins}) override it.
     */
    public static final String SPINS_PROPERTY = "dev.waitonaddress.spins";

    private AtomicWait() {
    }

    /** @return the spin rounds an {@code await} without a {@code spins} argument uses */
    public static int defaultSpins() {
        return Waiters.DEFAULT_SPINS;
    }

    /** @return the backend every wait and wake goes to: {@link WaitOnAddress#system()} */
    public static WaitOnAddress backend() {
        return Waiters.BACKEND;
    }

    // ------------------------------------------------------------------------------ 32-bit words

    /**
     * Returns once the 32-bit word at {@code address} holds a value other than {@code old}
     * (PRIVATE scope, default spinning). Spurious wake-ups are absorbed.
     *
     * @throws InterruptedException if the thread is interrupted on entry or while it waits
     */
    public static void await(Pointer address, int old) throws InterruptedException {
        await(address, old, Scope.PRIVATE, Waiters.DEFAULT_SPINS);
    }

    /** As {@link #await(Pointer, int)}, in {@code scope}. */
    public static void await(Pointer address, int old, Scope scope) throws InterruptedException {
        await(address, old, scope, Waiters.DEFAULT_SPINS);
    }

    /**
     * As {@link #await(Pointer, int)}, in {@code scope}, spinning {@code spins} rounds before it
     * sleeps (0: sleep at once).
     */
    public static void await(Pointer address, int old, Scope scope, int spins) throws InterruptedException {
        long a = Waiters.address(address, 4);
        Waiters.await(address, address, a, Waiters.bucket(a), Width.INT32, old, scope, Waiters.checkSpins(spins),
                Long.MAX_VALUE);
    }

    /**
     * Waits at most {@code timeout} for the 32-bit word at {@code address} to hold a value other
     * than {@code old} (PRIVATE scope).
     *
     * @param timeout zero or less polls; longer than 2<sup>62</sup> ns waits forever
     * @return {@code true} once the word differs, {@code false} on time-out (never early)
     */
    public static boolean await(Pointer address, int old, long timeout, TimeUnit unit) throws InterruptedException {
        return await(address, old, Scope.PRIVATE, Waiters.DEFAULT_SPINS, timeout, unit);
    }

    /** As {@link #await(Pointer, int, long, TimeUnit)}, in {@code scope}. */
    public static boolean await(Pointer address, int old, Scope scope, long timeout, TimeUnit unit)
            throws InterruptedException {
        return await(address, old, scope, Waiters.DEFAULT_SPINS, timeout, unit);
    }

    /** As {@link #await(Pointer, int, long, TimeUnit)}, in {@code scope}, spinning {@code spins} rounds. */
    public static boolean await(Pointer address, int old, Scope scope, int spins, long timeout, TimeUnit unit)
            throws InterruptedException {
        long a = Waiters.address(address, 4);
        long deadline = Waiters.deadline(timeout, unit);
        return Waiters.await(address, address, a, Waiters.bucket(a), Width.INT32, old, scope,
                Waiters.checkSpins(spins), deadline);
    }

    // ------------------------------------------------------------------------------ 64-bit words

    /**
     * Returns once the 64-bit word at {@code address} (aligned to 8) holds a value other than
     * {@code old} (PRIVATE scope, default spinning). Spurious wake-ups are absorbed.
     *
     * @throws InterruptedException if the thread is interrupted on entry or while it waits
     */
    public static void await(Pointer address, long old) throws InterruptedException {
        await(address, old, Scope.PRIVATE, Waiters.DEFAULT_SPINS);
    }

    /**
     * As {@link #await(Pointer, long)}, in {@code scope}.
     *
     * @throws UnsupportedOperationException for SHARED scope where the backend has no native
     *     64-bit wait across processes (Linux, OpenBSD)
     */
    public static void await(Pointer address, long old, Scope scope) throws InterruptedException {
        await(address, old, scope, Waiters.DEFAULT_SPINS);
    }

    /** As {@link #await(Pointer, long, Scope)}, spinning {@code spins} rounds before it sleeps. */
    public static void await(Pointer address, long old, Scope scope, int spins) throws InterruptedException {
        long a = Waiters.address(address, 8);
        Waiters.await(address, address, a, Waiters.bucket(a), Width.INT64, old, scope, Waiters.checkSpins(spins),
                Long.MAX_VALUE);
    }

    /**
     * Waits at most {@code timeout} for the 64-bit word at {@code address} to hold a value other
     * than {@code old} (PRIVATE scope).
     *
     * @return {@code true} once the word differs, {@code false} on time-out (never early)
     */
    public static boolean await(Pointer address, long old, long timeout, TimeUnit unit) throws InterruptedException {
        return await(address, old, Scope.PRIVATE, Waiters.DEFAULT_SPINS, timeout, unit);
    }

    /** As {@link #await(Pointer, long, long, TimeUnit)}, in {@code scope}. */
    public static boolean await(Pointer address, long old, Scope scope, long timeout, TimeUnit unit)
            throws InterruptedException {
        return await(address, old, scope, Waiters.DEFAULT_SPINS, timeout, unit);
    }

    /** As {@link #await(Pointer, long, long, TimeUnit)}, in {@code scope}, spinning {@code spins} rounds. */
    public static boolean await(Pointer address, long old, Scope scope, int spins, long timeout, TimeUnit unit)
            throws InterruptedException {
        long a = Waiters.address(address, 8);
        long deadline = Waiters.deadline(timeout, unit);
        return Waiters.await(address, address, a, Waiters.bucket(a), Width.INT64, old, scope,
                Waiters.checkSpins(spins), deadline);
    }

    // ------------------------------------------------------------------------------ waking

    /**
     * Wakes at least one thread of this process waiting on the word at {@code address} (32- or
     * 64-bit), in PRIVATE scope. Makes no system call when none waits. Never touches the memory.
     *
     * @param address non-zero, aligned to 4
     */
    public static void wakeOne(Pointer address) {
        long a = Waiters.address(address, 4);
        int b = Waiters.bucket(a);
        if (Waiters.waiters(b) != 0) {
            Waiters.wakePrivate(address, a, b, null, 1);
        }
    }

    /** Wakes every thread of this process waiting on the word at {@code address}, in PRIVATE scope. */
    public static void wakeAll(Pointer address) {
        long a = Waiters.address(address, 4);
        int b = Waiters.bucket(a);
        if (Waiters.waiters(b) != 0) {
            Waiters.wakePrivate(address, a, b, null, WaitOnAddress.ALL);
        }
    }

    /**
     * As {@link #wakeOne(Pointer)}, in {@code scope}; a SHARED wake always asks the kernel (for
     * 32-bit waiters, and for 64-bit ones where the backend waits on 64 bits across processes).
     */
    public static void wakeOne(Pointer address, Scope scope) {
        if (scope == Scope.SHARED) {
            Waiters.wakeShared(address, Waiters.address(address, 4), null, 1);
        } else {
            checkPrivate(scope);
            wakeOne(address);
        }
    }

    /** As {@link #wakeAll(Pointer)}, in {@code scope}; a SHARED wake always asks the kernel. */
    public static void wakeAll(Pointer address, Scope scope) {
        if (scope == Scope.SHARED) {
            Waiters.wakeShared(address, Waiters.address(address, 4), null, WaitOnAddress.ALL);
        } else {
            checkPrivate(scope);
            wakeAll(address);
        }
    }

    /**
     * As {@link #wakeOne(Pointer)} for an address held as a number (no {@code Pointer} needed).
     *
     * @param address non-zero, aligned to 4
     */
    public static void wakeOne(long address) {
        long a = Waiters.address(address, 4);
        int b = Waiters.bucket(a);
        if (Waiters.waiters(b) != 0) {
            Waiters.wakePrivate(null, a, b, null, 1);
        }
    }

    /** As {@link #wakeAll(Pointer)} for an address held as a number. */
    public static void wakeAll(long address) {
        long a = Waiters.address(address, 4);
        int b = Waiters.bucket(a);
        if (Waiters.waiters(b) != 0) {
            Waiters.wakePrivate(null, a, b, null, WaitOnAddress.ALL);
        }
    }

    /** As {@link #wakeOne(Pointer, Scope)} for an address held as a number. */
    public static void wakeOne(long address, Scope scope) {
        if (scope == Scope.SHARED) {
            Waiters.wakeShared(null, Waiters.address(address, 4), null, 1);
        } else {
            checkPrivate(scope);
            wakeOne(address);
        }
    }

    /** As {@link #wakeAll(Pointer, Scope)} for an address held as a number. */
    public static void wakeAll(long address, Scope scope) {
        if (scope == Scope.SHARED) {
            Waiters.wakeShared(null, Waiters.address(address, 4), null, WaitOnAddress.ALL);
        } else {
            checkPrivate(scope);
            wakeAll(address);
        }
    }

    private static void checkPrivate(Scope scope) {
        if (scope == null) {
            throw new NullPointerException("scope");
        }
    }
}
