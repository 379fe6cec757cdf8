package dev.waitonaddress;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * A {@code long} value in native memory (a direct or mapped {@link ByteBuffer}) that may be
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
 * {@link VarHandle#fullFence()} before waking). Thread-safe.
 *
 * <p>Where the backend has no native 64-bit wait (Linux, OpenBSD), waits sleep on a 32-bit proxy
 * word (see {@link AtomicWait}): exact in PRIVATE scope, and refused with
 * {@link UnsupportedOperationException} in SHARED scope (wait across processes on a
 * {@link NativeAtomicInteger} instead). Only waiting and waking are refused: the atomic
 * operations work in any scope.
 */
public final class NativeAtomicLong extends Number {
    private static final long serialVersionUID = 1L;
    private static final int BYTES = 8;
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** A private duplicate: the caller's position and limit changes do not affect it; keeps the memory reachable. */
    private final transient ByteBuffer buffer;
    private final int offset;
    private final Scope scope;
    private final transient Pointer pointer;
    private final long address;
    private final int bucket;
    private final int spins;

    private NativeAtomicLong(ByteBuffer buffer, int offset, Scope scope, long address, int spins) {
        this.buffer = buffer;
        this.offset = offset;
        this.scope = scope;
        this.address = address;
        this.pointer = new Pointer(address);
        this.bucket = Waiters.bucket(address);
        this.spins = spins;
    }

    /** @return a new value 0 in a fresh direct buffer of its own (one cache line), PRIVATE scope */
    public static NativeAtomicLong allocate() {
        return wrap(ByteBuffer.allocateDirect(2 * 64).alignedSlice(64), 0, Scope.PRIVATE);
    }

    /** @return a new value {@code initialValue} in a fresh direct buffer of its own, PRIVATE scope */
    public static NativeAtomicLong allocate(long initialValue) {
        NativeAtomicLong a = allocate();
        a.set(initialValue);
        return a;
    }

    /**
     * Views the 8 bytes at {@code offset} of {@code buffer} as an atomic {@code long}, without
     * changing them.
     *
     * @param buffer a direct or mapped, writable buffer
     * @param offset the byte offset of the word, from the buffer's start (index 0); the word's
     *     address must be aligned to 8 bytes and lie below the buffer's limit
     * @param scope {@link Scope#SHARED} when other processes map the memory and wait or wake
     * @throws NullPointerException if {@code buffer} or {@code scope} is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the word does not lie within {@code 0..limit}
     */
    public static NativeAtomicLong wrap(ByteBuffer buffer, int offset, Scope scope) {
        long address = NativeWords.check(buffer, offset, scope, BYTES, "NativeAtomicLong");
        return new NativeAtomicLong(buffer.duplicate(), offset, scope, address, Waiters.DEFAULT_SPINS);
    }

    /** As {@link #wrap(ByteBuffer, int, Scope)} in PRIVATE scope. */
    public static NativeAtomicLong wrap(ByteBuffer buffer, int offset) {
        return wrap(buffer, offset, Scope.PRIVATE);
    }

    /**
     * @param spins spin rounds before {@link #await} sleeps (see {@link AtomicWait#SPINS_PROPERTY}); 0 turns spinning off
     * @return a view of the same word whose waits spin {@code spins} rounds
     */
    public NativeAtomicLong withSpins(int spins) {
        return new NativeAtomicLong(buffer, offset, scope, address, Waiters.checkSpins(spins));
    }

    /** @return the address of the word */
    public Pointer pointer() {
        return pointer;
    }

    /** @return the scope its waits and wakes use */
    public Scope scope() {
        return scope;
    }

    /** @return the spin rounds before {@link #await} sleeps */
    public int spins() {
        return spins;
    }

    // ------------------------------------------------------------------------------ waiting

    /**
     * Returns once the value differs from {@code old} (read with volatile semantics). Spins
     * briefly, then sleeps; spurious wake-ups are absorbed.
     *
     * @throws InterruptedException if the thread is interrupted on entry or while it waits (the
     *     interrupt status is cleared)
     * @throws UnsupportedOperationException in SHARED scope where the backend cannot wait across processes
     */
    public void await(long old) throws InterruptedException {
        try {
            Waiters.await(this, pointer, address, bucket, Width.INT64, old, scope, spins, Long.MAX_VALUE);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Waits at most {@code timeout} for the value to differ from {@code old}.
     *
     * @param timeout zero or less polls
     * @return {@code true} once the value differs, {@code false} on time-out (never early)
     */
    public boolean await(long old, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = Waiters.deadline(timeout, unit);
        try {
            return Waiters.await(this, pointer, address, bucket, Width.INT64, old, scope, spins, deadline);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Wakes at least one thread waiting on this word; no system call when none waits (PRIVATE). */
    public void wakeOne() {
        if (scope == Scope.SHARED) {
            Waiters.wakeShared(pointer, address, Width.INT64, 1);
        } else if (Waiters.mayHaveWaiters(bucket, Width.INT64)) {
            Waiters.wakePrivate(pointer, address, bucket, Width.INT64, 1);
        }
    }

    /** Wakes every thread waiting on this word; no system call when none waits (PRIVATE). */
    public void wakeAll() {
        if (scope == Scope.SHARED) {
            Waiters.wakeShared(pointer, address, Width.INT64, WaitOnAddress.ALL);
        } else if (Waiters.mayHaveWaiters(bucket, Width.INT64)) {
            Waiters.wakePrivate(pointer, address, bucket, Width.INT64, WaitOnAddress.ALL);
        }
    }

    // ------------------------------------------------------------------------------ the AtomicInteger methods

    /** @return the value, with volatile semantics */
    public long get() {
        return (long) LONG.getVolatile(buffer, offset);
    }

    /** Sets the value, with volatile semantics. */
    public void set(long newValue) {
        LONG.setVolatile(buffer, offset, newValue);
    }

    /** Sets the value, with release semantics ({@link #setRelease}). */
    public void lazySet(long newValue) {
        LONG.setRelease(buffer, offset, newValue);
    }

    /** @return the previous value, after setting {@code newValue} atomically */
    public long getAndSet(long newValue) {
        return (long) LONG.getAndSet(buffer, offset, newValue);
    }

    /** @return whether the value was {@code expectedValue} and is now {@code newValue} */
    public boolean compareAndSet(long expectedValue, long newValue) {
        return LONG.compareAndSet(buffer, offset, expectedValue, newValue);
    }

    /** May fail spuriously; plain memory effects. */
    public boolean weakCompareAndSetPlain(long expectedValue, long newValue) {
        return LONG.weakCompareAndSetPlain(buffer, offset, expectedValue, newValue);
    }

    /** May fail spuriously; volatile memory effects. */
    public boolean weakCompareAndSetVolatile(long expectedValue, long newValue) {
        return LONG.weakCompareAndSet(buffer, offset, expectedValue, newValue);
    }

    /** May fail spuriously; acquire memory effects. */
    public boolean weakCompareAndSetAcquire(long expectedValue, long newValue) {
        return LONG.weakCompareAndSetAcquire(buffer, offset, expectedValue, newValue);
    }

    /** May fail spuriously; release memory effects. */
    public boolean weakCompareAndSetRelease(long expectedValue, long newValue) {
        return LONG.weakCompareAndSetRelease(buffer, offset, expectedValue, newValue);
    }

    /** @return the witness value: {@code expectedValue} if the exchange happened */
    public long compareAndExchange(long expectedValue, long newValue) {
        return (long) LONG.compareAndExchange(buffer, offset, expectedValue, newValue);
    }

    /** As {@link #compareAndExchange}, with acquire memory effects. */
    public long compareAndExchangeAcquire(long expectedValue, long newValue) {
        return (long) LONG.compareAndExchangeAcquire(buffer, offset, expectedValue, newValue);
    }

    /** As {@link #compareAndExchange}, with release memory effects. */
    public long compareAndExchangeRelease(long expectedValue, long newValue) {
        return (long) LONG.compareAndExchangeRelease(buffer, offset, expectedValue, newValue);
    }

    /** @return the previous value, after adding 1 */
    public long getAndIncrement() {
        return (long) LONG.getAndAdd(buffer, offset, 1L);
    }

    /** @return the previous value, after subtracting 1 */
    public long getAndDecrement() {
        return (long) LONG.getAndAdd(buffer, offset, -1L);
    }

    /** @return the previous value, after adding {@code delta} */
    public long getAndAdd(long delta) {
        return (long) LONG.getAndAdd(buffer, offset, delta);
    }

    /** @return the new value, after adding 1 */
    public long incrementAndGet() {
        return (long) LONG.getAndAdd(buffer, offset, 1L) + 1;
    }

    /** @return the new value, after subtracting 1 */
    public long decrementAndGet() {
        return (long) LONG.getAndAdd(buffer, offset, -1L) - 1;
    }

    /** @return the new value, after adding {@code delta} */
    public long addAndGet(long delta) {
        return (long) LONG.getAndAdd(buffer, offset, delta) + delta;
    }

    /** @return the previous value, after applying {@code updateFunction} (side-effect free: it may run more than once) */
    public long getAndUpdate(LongUnaryOperator updateFunction) {
        long prev = get();
        long next = 0;
        for (boolean haveNext = false;;) {
            if (!haveNext) {
                next = updateFunction.applyAsLong(prev);
            }
            if (weakCompareAndSetVolatile(prev, next)) {
                return prev;
            }
            long seen = get();
            haveNext = prev == seen;
            prev = seen;
        }
    }

    /** @return the new value, after applying {@code updateFunction} (side-effect free: it may run more than once) */
    public long updateAndGet(LongUnaryOperator updateFunction) {
        long prev = get();
        long next = 0;
        for (boolean haveNext = false;;) {
            if (!haveNext) {
                next = updateFunction.applyAsLong(prev);
            }
            if (weakCompareAndSetVolatile(prev, next)) {
                return next;
            }
            long seen = get();
            haveNext = prev == seen;
            prev = seen;
        }
    }

    /** @return the previous value, after combining it with {@code x} (side-effect free function) */
    public long getAndAccumulate(long x, LongBinaryOperator accumulatorFunction) {
        long prev = get();
        long next = 0;
        for (boolean haveNext = false;;) {
            if (!haveNext) {
                next = accumulatorFunction.applyAsLong(prev, x);
            }
            if (weakCompareAndSetVolatile(prev, next)) {
                return prev;
            }
            long seen = get();
            haveNext = prev == seen;
            prev = seen;
        }
    }

    /** @return the new value, after combining the previous one with {@code x} (side-effect free function) */
    public long accumulateAndGet(long x, LongBinaryOperator accumulatorFunction) {
        long prev = get();
        long next = 0;
        for (boolean haveNext = false;;) {
            if (!haveNext) {
                next = accumulatorFunction.applyAsLong(prev, x);
            }
            if (weakCompareAndSetVolatile(prev, next)) {
                return next;
            }
            long seen = get();
            haveNext = prev == seen;
            prev = seen;
        }
    }

    /** @return the value, with plain (non-volatile) memory semantics */
    public long getPlain() {
        return (long) LONG.get(buffer, offset);
    }

    /** Sets the value with plain memory semantics. */
    public void setPlain(long newValue) {
        LONG.set(buffer, offset, newValue);
    }

    /** @return the value, with opaque memory effects */
    public long getOpaque() {
        return (long) LONG.getOpaque(buffer, offset);
    }

    /** Sets the value with opaque memory effects. */
    public void setOpaque(long newValue) {
        LONG.setOpaque(buffer, offset, newValue);
    }

    /** @return the value, with acquire memory effects */
    public long getAcquire() {
        return (long) LONG.getAcquire(buffer, offset);
    }

    /** Sets the value with release memory effects. */
    public void setRelease(long newValue) {
        LONG.setRelease(buffer, offset, newValue);
    }

    @Override
    public int intValue() {
        return (int) get();
    }

    @Override
    public long longValue() {
        return get();
    }

    @Override
    public float floatValue() {
        return get();
    }

    @Override
    public double doubleValue() {
        return get();
    }

    /** @return the current value in decimal */
    @Override
    public String toString() {
        return Long.toString(get());
    }

    /** Native memory cannot be serialized. */
    private void writeObject(ObjectOutputStream out) throws IOException {
        throw new NotSerializableException(getClass().getName() + " lives in native memory");
    }
}
