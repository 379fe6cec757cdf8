package dev.waitonaddress;

import dev.waitonaddress.internal.Checks;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * A{} {@code long} value in native memory (a direct or mapped {@link ByteBuffer}) that may be
 * updated atomically, with the method set of {@link java.util.concurrent.atomic.AtomicLong},
 * that a thread can wait on until it changes: {@link #await(long)}, {@link #wakeOne()},
 * {@link #wakeAll()} (C++20 {@code std::atomic<int64_t>::wait} / {@code notify_one} /
 * {@code notify_all}). In {@link Scope#SHARED} scope over a file mapped by several processes, the
 * processes wait on and wake each other.
 *
 * <p>The value is the 8 bytes at {@code offset} in the buffer, in the platform's native byte
 * order (so that C, C++ or Rust code, and the kernel, see the same number), accessed through a
 * {@link MethodHandles#byteBufferViewVarHandle byte buffer view VarHandle}; the memory effects of
 * each method are those of the same method of {@code AtomicLong} (see
 * {@link VarHandle}). The object keeps its buffer, and so the memory, reachable.
 *
 * <p>Waking follows the rules of {@link AtomicWait}: a wake with nobody waiting in this process
 * makes no system call (PRIVATE scope), which is exact when every waiter of the word in this
 * process waits through this layer and the store before the wake is sequentially consistent
 * ({@link #set}, {@link #compareAndSet}, {@link #getAndAdd} and the other read-modify-writes are;
 * after {@link #lazySet}, {@link #setRelease}, {@link #setOpaque} or {@link #setPlain} call
 * {@link VarHandle#fullFence()} before waking). {@link #wakeOne()} and {@link #wakeAll()} reach
 * waiters of this width only.
 *
 * <p>Where the backend has no native 64-bit wait (Linux, OpenBSD), waits sleep on a 32-bit proxy
 * word (see {@link AtomicWait}): exact in PRIVATE scope, and refused with
 * {@link UnsupportedOperationException} in SHARED scope (wait across processes on a
 * {@link NativeAtomicInteger} instead). Only waiting and waking are refused: the atomic
 * operations work in any scope. Thread-safe.
 */
public final class NativeAtomicLong extends NativeWord {
    private static final long serialVersionUID = 1L;
    private static final int BYTES = 8;
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private NativeAtomicLong(ByteBuffer buffer, int offset, Scope scope, long address, int spins, Waiters waiters,
            int countAt) {
        super(buffer, offset, scope, address, spins, waiters, Width.INT64, countAt);
    }

    /** {@return a new value 0 in a fresh direct buffer of its own (one cache line), PRIVATE scope} */
    public static NativeAtomicLong allocate() {
        return wrap(ByteBuffer.allocateDirect(2 * 64).alignedSlice(64), 0, Scope.PRIVATE);
    }

    /**
     * Allocates a value in a fresh direct buffer of its own (one cache line), PRIVATE scope, and
     * sets it to {@code initialValue}.
     *
     * @param initialValue the value to start with
     * @return the new value
     */
    public static NativeAtomicLong allocate(long initialValue) {
        NativeAtomicLong a = allocate();
        a.set(initialValue);
        return a;
    }

    /**
     * Views the 8 bytes at {@code offset} of {@code buffer} as an atomic {@code long}, without
     * changing them; its waits and wakes go to {@link WaitOnAddress#system()}.
     *
     * @param buffer a direct or mapped, writable buffer
     * @param offset the byte offset of the word, from the buffer's start (index 0); the word's
     *     address must be aligned to 8 bytes and lie below the buffer's limit
     * @param scope {@link Scope#SHARED} when other processes map the memory and wait or wake; in
     *     this layout (the value's bytes only) a SHARED wake always makes a system call:
     *     {@link #wrapShared} counts waiters in the mapping and skips it while no process sleeps
     * @return the view
     * @throws NullPointerException if {@code buffer} or {@code scope} is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the word does not lie within {@code 0..limit}
     */
    public static NativeAtomicLong wrap(ByteBuffer buffer, int offset, Scope scope) {
        return wrap(buffer, offset, scope, Waiters.system(), Waiters.DEFAULT_SPINS);
    }

    /**
     * As {@link #wrap(ByteBuffer, int, Scope)} in PRIVATE scope.
     *
     * @param buffer a direct or mapped, writable buffer
     * @param offset the byte offset of the word, aligned to 8 bytes
     * @return the view
     * @throws NullPointerException if {@code buffer} is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the word does not lie within {@code 0..limit}
     */
    public static NativeAtomicLong wrap(ByteBuffer buffer, int offset) {
        return wrap(buffer, offset, Scope.PRIVATE);
    }

    static NativeAtomicLong wrap(ByteBuffer buffer, int offset, Scope scope, Waiters waiters, int spins) {
        long address = check(buffer, offset, scope, BYTES, "NativeAtomicLong");
        return new NativeAtomicLong(buffer.duplicate(), offset, scope, address, spins, waiters, -1);
    }

    /**
     * Views the 16 bytes at {@code offset} of {@code buffer} as an atomic {@code long} in
     * {@link Scope#SHARED} scope that counts its waiters in the shared memory, so that a wake
     * makes no system call while no thread of any process is about to sleep or asleep on it.
     * Waits and wakes go to {@link WaitOnAddress#system()}. Every process that uses the region
     * should use this layout: a view of the same bytes made by {@link #wrap(ByteBuffer, int, Scope)}
     * does not raise the count, and its waiters are then reached only by a wake that asks the OS.
     *
     * <p>The layout, in native byte order: the 8-byte value at {@code offset}, then a 32-bit
     * signed count of waiters at {@code offset + 8}, then 4 bytes of padding; the region is aligned to 8 bytes.
     * Zero bytes are a valid region (value 0, no waiter). A waiter atomically increments the
     * count, then sleeps on the value if it still equals the old one (the kernel compares), then
     * atomically decrements the count; a waker stores the value with a sequentially consistent
     * store or read-modify-write, then reads the count and asks the OS to wake only if it is not
     * 0. A process that dies while it waits leaves the count raised: later wakes then make a
     * system call each (never a lost wake-up) until the region is reset. C code takes part by the
     * same steps (sequentially consistent {@code atomic_fetch_add}, a futex wait,
     * {@code atomic_fetch_sub}; {@code atomic_store}, {@code atomic_load}, a futex wake); a C
     * waiter that does not raise the count is woken only by {@link WaitOnAddress#wake}.
     *
     * @param buffer a direct or mapped, writable buffer, typically a file mapped by several processes
     * @param offset the byte offset of the region, from the buffer's start (index 0); its address
     *     must be aligned to 8 bytes and 16 bytes must lie below the buffer's limit
     * @return the view
     * @throws NullPointerException if {@code buffer} is null
     * @throws IllegalArgumentException for a heap or read-only buffer, a misaligned region, or
     *     fewer than 16 bytes from {@code offset} to the limit
     * @throws UnsupportedOperationException where the backend cannot wait on this width across
     *     processes
     */
    public static NativeAtomicLong wrapShared(ByteBuffer buffer, int offset) {
        return wrapShared(buffer, offset, Waiters.system(), Waiters.DEFAULT_SPINS);
    }

    static NativeAtomicLong wrapShared(ByteBuffer buffer, int offset, Waiters waiters, int spins) {
        long address = checkCounted(buffer, offset, BYTES, "NativeAtomicLong");
        waiters.checkScope(Width.INT64, Scope.SHARED);
        return new NativeAtomicLong(buffer.duplicate(), offset, Scope.SHARED, address, spins, waiters, offset + BYTES);
    }

    /**
     * Makes a view of the same word, in the same scope and on the same backend, whose
     * {@link #await} spins {@code spins} rounds before it sleeps; this view is unchanged.
     *
     * @param spins spin rounds before {@link #await} sleeps (see {@link AtomicWait#SPINS_PROPERTY}); 0 turns spinning off
     * @return a view of the same word whose waits spin {@code spins} rounds
     * @throws IllegalArgumentException if {@code spins} is negative
     */
    public NativeAtomicLong withSpins(int spins) {
        return new NativeAtomicLong(buffer, offset, scope, address, Checks.atLeast("spins", spins, 0), waiters, countAt);
    }

    @Override
    long bits() {
        return get();
    }

    // ------------------------------------------------------------------------------ waiting

    /**
     * Returns once the value differs from {@code old} (read with volatile semantics). Spins
     * briefly, then sleeps; spurious wake-ups are absorbed.
     *
     * @param old the value to wait past
     * @throws InterruptedException if the thread is interrupted on entry or while it waits (the
     *     interrupt status is cleared)
     * @throws UnsupportedOperationException in SHARED scope where the backend cannot wait across
     *     processes on this width
     */
    public void await(long old) throws InterruptedException {
        awaitBits(old);
    }

    /**
     * Waits at most {@code timeout} for the value to differ from {@code old}.
     *
     * @param old the value to wait past
     * @param timeout zero or less polls; longer than 2<sup>62</sup> ns waits forever
     * @param unit the unit of {@code timeout}
     * @return {@code true} once the value differs, {@code false} on time-out (never early)
     * @throws InterruptedException if the thread is interrupted on entry or while it waits
     * @throws UnsupportedOperationException in SHARED scope where the backend cannot wait across
     *     processes on this width
     */
    public boolean await(long old, long timeout, TimeUnit unit) throws InterruptedException {
        return awaitBits(old, timeout, unit);
    }

    // ------------------------------------------------------------------------------ the AtomicLong methods

    /** {@return the value, with volatile semantics} */
    public long get() {
        return (long) LONG.getVolatile(buffer, offset);
    }

    /**
     * Sets the value, with volatile semantics.
     *
     * @param newValue the new value
     */
    public void set(long newValue) {
        LONG.setVolatile(buffer, offset, newValue);
    }

    /**
     * Sets the value, with release semantics ({@link #setRelease}).
     *
     * @param newValue the new value
     */
    public void lazySet(long newValue) {
        LONG.setRelease(buffer, offset, newValue);
    }

    /**
     * Atomically sets the value to {@code newValue}, with volatile semantics.
     *
     * @param newValue the new value
     * @return the previous value, after setting {@code newValue} atomically
     */
    public long getAndSet(long newValue) {
        return (long) LONG.getAndSet(buffer, offset, newValue);
    }

    /**
     * Atomically sets the value to {@code newValue} if it is {@code expectedValue}, with volatile
     * semantics.
     *
     * @param expectedValue the value expected
     * @param newValue the new value
     * @return whether the value was {@code expectedValue} and is now {@code newValue}
     */
    public boolean compareAndSet(long expectedValue, long newValue) {
        return LONG.compareAndSet(buffer, offset, expectedValue, newValue);
    }

    /**
     * As in {@code AtomicLong}: may fail spuriously; plain memory effects.
     *
     * @param expectedValue the value expected
     * @param newValue the new value
     * @return whether it was set
     * @deprecated as in the JDK: this method has plain memory effects but its name suggests
     *     volatile ones; use {@link #weakCompareAndSetPlain} or {@link #weakCompareAndSetVolatile}
     */
    @Deprecated
    public boolean weakCompareAndSet(long expectedValue, long newValue) {
        return LONG.weakCompareAndSetPlain(buffer, offset, expectedValue, newValue);
    }

    /**
     * May fail spuriously; plain memory effects.
     *
     * @param expectedValue the value expected
     * @param newValue the new value
     * @return whether it was set
     */
    public boolean weakCompareAndSetPlain(long expectedValue, long newValue) {
        return LONG.weakCompareAndSetPlain(buffer, offset, expectedValue, newValue);
    }

    /**
     * May fail spuriously; volatile memory effects.
     *
     * @param expectedValue the value expected
     * @param newValue the new value
     * @return whether it was set
     */
    public boolean weakCompareAndSetVolatile(long expectedValue, long newValue) {
        return LONG.weakCompareAndSet(buffer, offset, expectedValue, newValue);
    }

    /**
     * May fail spuriously; acquire memory effects.
     *
     * @param expectedValue the value expected
     * @param newValue the new value
     * @return whether it was set
     */
    public boolean weakCompareAndSetAcquire(long expectedValue, long newValue) {
        return LONG.weakCompareAndSetAcquire(buffer, offset, expectedValue, newValue);
    }

    /**
     * May fail spuriously; release memory effects.
     *
     * @param expectedValue the value expected
     * @param newValue the new value
     * @return whether it was set
     */
    public boolean weakCompareAndSetRelease(long expectedValue, long newValue) {
        return LONG.weakCompareAndSetRelease(buffer, offset, expectedValue, newValue);
    }

    /**
     * Atomically sets the value to {@code newValue} if it is {@code expectedValue}, with volatile
     * semantics; either way it returns the value it found.
     *
     * @param expectedValue the value expected
     * @param newValue the new value
     * @return the witness value: {@code expectedValue} if the exchange happened
     */
    public long compareAndExchange(long expectedValue, long newValue) {
        return (long) LONG.compareAndExchange(buffer, offset, expectedValue, newValue);
    }

    /**
     * As {@link #compareAndExchange}, with acquire memory effects.
     *
     * @param expectedValue the value expected
     * @param newValue the new value
     * @return the witness value
     */
    public long compareAndExchangeAcquire(long expectedValue, long newValue) {
        return (long) LONG.compareAndExchangeAcquire(buffer, offset, expectedValue, newValue);
    }

    /**
     * As {@link #compareAndExchange}, with release memory effects.
     *
     * @param expectedValue the value expected
     * @param newValue the new value
     * @return the witness value
     */
    public long compareAndExchangeRelease(long expectedValue, long newValue) {
        return (long) LONG.compareAndExchangeRelease(buffer, offset, expectedValue, newValue);
    }

    /** {@return the previous value, after atomically adding 1} */
    public long getAndIncrement() {
        return (long) LONG.getAndAdd(buffer, offset, 1L);
    }

    /** {@return the previous value, after atomically subtracting 1} */
    public long getAndDecrement() {
        return (long) LONG.getAndAdd(buffer, offset, -1L);
    }

    /**
     * Atomically adds {@code delta} to the value, with volatile semantics.
     *
     * @param delta the value to add
     * @return the previous value, after adding {@code delta}
     */
    public long getAndAdd(long delta) {
        return (long) LONG.getAndAdd(buffer, offset, delta);
    }

    /** {@return the new value, after atomically adding 1} */
    public long incrementAndGet() {
        return (long) LONG.getAndAdd(buffer, offset, 1L) + 1;
    }

    /** {@return the new value, after atomically subtracting 1} */
    public long decrementAndGet() {
        return (long) LONG.getAndAdd(buffer, offset, -1L) - 1;
    }

    /**
     * Atomically adds {@code delta} to the value, with volatile semantics.
     *
     * @param delta the value to add
     * @return the new value, after adding {@code delta}
     */
    public long addAndGet(long delta) {
        return (long) LONG.getAndAdd(buffer, offset, delta) + delta;
    }

    /**
     * Atomically replaces the value with {@code updateFunction} applied to it, with volatile
     * semantics; when another thread changes the value in between, the function is applied again to
     * the newer one.
     *
     * @param updateFunction side-effect free: it may run more than once
     * @return the previous value, after applying {@code updateFunction}
     */
    public long getAndUpdate(LongUnaryOperator updateFunction) {
        return update(updateFunction, false);
    }

    /**
     * Atomically replaces the value with {@code updateFunction} applied to it, with volatile
     * semantics; when another thread changes the value in between, the function is applied again to
     * the newer one.
     *
     * @param updateFunction side-effect free: it may run more than once
     * @return the new value, after applying {@code updateFunction}
     */
    public long updateAndGet(LongUnaryOperator updateFunction) {
        return update(updateFunction, true);
    }

    /**
     * Atomically replaces the value with {@code accumulatorFunction} applied to it and {@code x},
     * in that order, with volatile semantics; when another thread changes the value in between, the
     * function is applied again to the newer one.
     *
     * @param x the value to combine with
     * @param accumulatorFunction side-effect free: it may run more than once
     * @return the previous value, after combining it with {@code x}
     */
    public long getAndAccumulate(long x, LongBinaryOperator accumulatorFunction) {
        Objects.requireNonNull(accumulatorFunction, "accumulatorFunction");
        return update(prev -> accumulatorFunction.applyAsLong(prev, x), false);
    }

    /**
     * Atomically replaces the value with {@code accumulatorFunction} applied to it and {@code x},
     * in that order, with volatile semantics; when another thread changes the value in between, the
     * function is applied again to the newer one.
     *
     * @param x the value to combine with
     * @param accumulatorFunction side-effect free: it may run more than once
     * @return the new value, after combining the previous one with {@code x}
     */
    public long accumulateAndGet(long x, LongBinaryOperator accumulatorFunction) {
        Objects.requireNonNull(accumulatorFunction, "accumulatorFunction");
        return update(prev -> accumulatorFunction.applyAsLong(prev, x), true);
    }

    /** The compare-and-set loop of the four methods above, as in {@code AtomicLong}. */
    private long update(LongUnaryOperator function, boolean returnNext) {
        long prev = get();
        long next = 0;
        for (boolean haveNext = false;;) {
            if (!haveNext) {
                next = function.applyAsLong(prev);
            }
            if (weakCompareAndSetVolatile(prev, next)) {
                return returnNext ? next : prev;
            }
            long seen = get();
            haveNext = prev == seen;
            prev = seen;
        }
    }

    /** {@return the value, with plain (non-volatile) memory semantics} */
    public long getPlain() {
        return (long) LONG.get(buffer, offset);
    }

    /**
     * Sets the value with plain memory semantics.
     *
     * @param newValue the new value
     */
    public void setPlain(long newValue) {
        LONG.set(buffer, offset, newValue);
    }

    /** {@return the value, with opaque memory effects} */
    public long getOpaque() {
        return (long) LONG.getOpaque(buffer, offset);
    }

    /**
     * Sets the value with opaque memory effects.
     *
     * @param newValue the new value
     */
    public void setOpaque(long newValue) {
        LONG.setOpaque(buffer, offset, newValue);
    }

    /** {@return the value, with acquire memory effects} */
    public long getAcquire() {
        return (long) LONG.getAcquire(buffer, offset);
    }

    /**
     * Sets the value with release memory effects.
     *
     * @param newValue the new value
     */
    public void setRelease(long newValue) {
        LONG.setRelease(buffer, offset, newValue);
    }

    /** @return the value, as an {@code int}, after a narrowing primitive conversion */
    @Override
    public int intValue() {
        return (int) get();
    }

    /** @return the value, as a {@code long} */
    @Override
    public long longValue() {
        return get();
    }

    /** @return the value, as a {@code float} */
    @Override
    public float floatValue() {
        return get();
    }

    /** @return the value, as a {@code double} */
    @Override
    public double doubleValue() {
        return get();
    }

    /** @return the current value in decimal */
    @Override
    public String toString() {
        return Long.toString(get());
    }
}
