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
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * An {@code int} value in native memory (a direct or mapped {@link ByteBuffer}) that may be
 * updated atomically, with the method set of {@link java.util.concurrent.atomic.AtomicInteger},
 * that a thread can wait on until it changes: {@link #await(int)}, {@link #wakeOne()},
 * {@link #wakeAll()} (C++20 {@code std::atomic<int>::wait} / {@code notify_one} /
 * {@code notify_all}). In {@link Scope#SHARED} scope over a file mapped by several processes, the
 * processes wait on and wake each other.
 *
 * <p>The value is the 4 bytes at {@code offset} in the buffer, in the platform's native byte
 * order (so that C, C++ or Rust code, and the kernel, see the same number), accessed through a
 * {@link MethodHandles#byteBufferViewVarHandle byte buffer view VarHandle}; the memory effects of
 * each method are those of the same method of {@code AtomicInteger} (see
 * {@link VarHandle}). The object keeps its buffer, and so the memory, reachable.
 *
 * <p>Waking follows the rules of {@link AtomicWait}: a wake with nobody waiting in this process
 * makes no system call (PRIVATE scope), which is exact when every waiter of the word in this
 * process waits through this layer and the store before the wake is sequentially consistent
 * ({@link #set}, {@link #compareAndSet}, {@link #getAndAdd} and the other read-modify-writes are;
 * after {@link #lazySet}, {@link #setRelease}, {@link #setOpaque} or {@link #setPlain} call
 * {@link VarHandle#fullFence()} before waking). Thread-safe.
 */
public final class NativeAtomicInteger extends Number {
    private static final long serialVersionUID = 1L;
    private static final int BYTES = 4;
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** A private duplicate: the caller's position and limit changes do not affect it; keeps the memory reachable. */
    private final transient ByteBuffer buffer;
    private final int offset;
    private final Scope scope;
    private final transient Pointer pointer;
    private final long address;
    private final int bucket;
    private final int spins;

    private NativeAtomicInteger(ByteBuffer buffer, int offset, Scope scope, long address, int spins) {
        this.buffer = buffer;
        this.offset = offset;
        this.scope = scope;
        this.address = address;
        this.pointer = new Pointer(address);
        this.bucket = Waiters.bucket(address);
        this.spins = spins;
    }

    /** @return a new value 0 in a fresh direct buffer of its own (one cache line), PRIVATE scope */
    public static NativeAtomicInteger allocate() {
        return wrap(ByteBuffer.allocateDirect(2 * 64).alignedSlice(64), 0, Scope.PRIVATE);
    }

    /** @return a new value {@code initialValue} in a fresh direct buffer of its own, PRIVATE scope */
    public static NativeAtomicInteger allocate(int initialValue) {
        NativeAtomicInteger a = allocate();
        a.set(initialValue);
        return a;
    }

    /**
     * Views the 4 bytes at {@code offset} of {@code buffer} as an atomic {@code int}, without
     * changing them.
     *
     * @param buffer a direct or mapped, writable buffer
     * @param offset the byte offset of the word, from the buffer's start (index 0); the word's
     *     address must be aligned to 4 bytes and lie below the buffer's limit
     * @param scope {@link Scope#SHARED} when other processes map the memory and wait or wake
     * @throws NullPointerException if {@code buffer} or {@code scope} is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the word does not lie within {@code 0..limit}
     */
    public static NativeAtomicInteger wrap(ByteBuffer buffer, int offset, Scope scope) {
        long address = NativeWords.check(buffer, offset, scope, BYTES, "NativeAtomicInteger");
        return new NativeAtomicInteger(buffer.duplicate(), offset, scope, address, Waiters.DEFAULT_SPINS);
    }

    /** As {@link #wrap(ByteBuffer, int, Scope)} in PRIVATE scope. */
    public static NativeAtomicInteger wrap(ByteBuffer buffer, int offset) {
        return wrap(buffer, offset, Scope.PRIVATE);
    }

    /**
     * @param spins spin rounds before {@link #await} sleeps (see {@link AtomicWait#SPINS_PROPERTY}); 0 turns spinning off
     * @return a view of the same word whose waits spin {@code spins} rounds
     */
    public NativeAtomicInteger withSpins(int spins) {
        return new NativeAtomicInteger(buffer, offset, scope, address, Waiters.checkSpins(spins));
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
    public void await(int old) throws InterruptedException {
        try {
            Waiters.await(this, pointer, address, bucket, Width.INT32, old, scope, spins, Long.MAX_VALUE);
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
    public boolean await(int old, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = Waiters.deadline(timeout, unit);
        try {
            return Waiters.await(this, pointer, address, bucket, Width.INT32, old, scope, spins, deadline);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Wakes at least one thread waiting on this word; no system call when none waits (PRIVATE). */
    public void wakeOne() {
        if (scope == Scope.SHARED) {
            Waiters.wakeShared(pointer, address, Width.INT32, 1);
        } else if (Waiters.mayHaveWaiters(bucket, Width.INT32)) {
            Waiters.wakePrivate(pointer, address, bucket, Width.INT32, 1);
        }
    }

    /** Wakes every thread waiting on this word; no system call when none waits (PRIVATE). */
    public void wakeAll() {
        if (scope == Scope.SHARED) {
            Waiters.wakeShared(pointer, address, Width.INT32, WaitOnAddress.ALL);
        } else if (Waiters.mayHaveWaiters(bucket, Width.INT32)) {
            Waiters.wakePrivate(pointer, address, bucket, Width.INT32, WaitOnAddress.ALL);
        }
    }

    // ------------------------------------------------------------------------------ the AtomicInteger methods

    /** @return the value, with volatile semantics */
    public int get() {
        return (int) INT.getVolatile(buffer, offset);
    }

    /** Sets the value, with volatile semantics. */
    public void set(int newValue) {
        INT.setVolatile(buffer, offset, newValue);
    }

    /** Sets the value, with release semantics ({@link #setRelease}). */
    public void lazySet(int newValue) {
        INT.setRelease(buffer, offset, newValue);
    }

    /** @return the previous value, after setting {@code newValue} atomically */
    public int getAndSet(int newValue) {
        return (int) INT.getAndSet(buffer, offset, newValue);
    }

    /** @return whether the value was {@code expectedValue} and is now {@code newValue} */
    public boolean compareAndSet(int expectedValue, int newValue) {
        return INT.compareAndSet(buffer, offset, expectedValue, newValue);
    }

    /** May fail spuriously; plain memory effects. */
    public boolean weakCompareAndSetPlain(int expectedValue, int newValue) {
        return INT.weakCompareAndSetPlain(buffer, offset, expectedValue, newValue);
    }

    /** May fail spuriously; volatile memory effects. */
    public boolean weakCompareAndSetVolatile(int expectedValue, int newValue) {
        return INT.weakCompareAndSet(buffer, offset, expectedValue, newValue);
    }

    /** May fail spuriously; acquire memory effects. */
    public boolean weakCompareAndSetAcquire(int expectedValue, int newValue) {
        return INT.weakCompareAndSetAcquire(buffer, offset, expectedValue, newValue);
    }

    /** May fail spuriously; release memory effects. */
    public boolean weakCompareAndSetRelease(int expectedValue, int newValue) {
        return INT.weakCompareAndSetRelease(buffer, offset, expectedValue, newValue);
    }

    /** @return the witness value: {@code expectedValue} if the exchange happened */
    public int compareAndExchange(int expectedValue, int newValue) {
        return (int) INT.compareAndExchange(buffer, offset, expectedValue, newValue);
    }

    /** As {@link #compareAndExchange}, with acquire memory effects. */
    public int compareAndExchangeAcquire(int expectedValue, int newValue) {
        return (int) INT.compareAndExchangeAcquire(buffer, offset, expectedValue, newValue);
    }

    /** As {@link #compareAndExchange}, with release memory effects. */
    public int compareAndExchangeRelease(int expectedValue, int newValue) {
        return (int) INT.compareAndExchangeRelease(buffer, offset, expectedValue, newValue);
    }

    /** @return the previous value, after adding 1 */
    public int getAndIncrement() {
        return (int) INT.getAndAdd(buffer, offset, 1);
    }

    /** @return the previous value, after subtracting 1 */
    public int getAndDecrement() {
        return (int) INT.getAndAdd(buffer, offset, -1);
    }

    /** @return the previous value, after adding {@code delta} */
    public int getAndAdd(int delta) {
        return (int) INT.getAndAdd(buffer, offset, delta);
    }

    /** @return the new value, after adding 1 */
    public int incrementAndGet() {
        return (int) INT.getAndAdd(buffer, offset, 1) + 1;
    }

    /** @return the new value, after subtracting 1 */
    public int decrementAndGet() {
        return (int) INT.getAndAdd(buffer, offset, -1) - 1;
    }

    /** @return the new value, after adding {@code delta} */
    public int addAndGet(int delta) {
        return (int) INT.getAndAdd(buffer, offset, delta) + delta;
    }

    /** @return the previous value, after applying {@code updateFunction} (side-effect free: it may run more than once) */
    public int getAndUpdate(IntUnaryOperator updateFunction) {
        int prev = get();
        int next = 0;
        for (boolean haveNext = false;;) {
            if (!haveNext) {
                next = updateFunction.applyAsInt(prev);
            }
            if (weakCompareAndSetVolatile(prev, next)) {
                return prev;
            }
            int seen = get();
            haveNext = prev == seen;
            prev = seen;
        }
    }

    /** @return the new value, after applying {@code updateFunction} (side-effect free: it may run more than once) */
    public int updateAndGet(IntUnaryOperator updateFunction) {
        int prev = get();
        int next = 0;
        for (boolean haveNext = false;;) {
            if (!haveNext) {
                next = updateFunction.applyAsInt(prev);
            }
            if (weakCompareAndSetVolatile(prev, next)) {
                return next;
            }
            int seen = get();
            haveNext = prev == seen;
            prev = seen;
        }
    }

    /** @return the previous value, after combining it with {@code x} (side-effect free function) */
    public int getAndAccumulate(int x, IntBinaryOperator accumulatorFunction) {
        int prev = get();
        int next = 0;
        for (boolean haveNext = false;;) {
            if (!haveNext) {
                next = accumulatorFunction.applyAsInt(prev, x);
            }
            if (weakCompareAndSetVolatile(prev, next)) {
                return prev;
            }
            int seen = get();
            haveNext = prev == seen;
            prev = seen;
        }
    }

    /** @return the new value, after combining the previous one with {@code x} (side-effect free function) */
    public int accumulateAndGet(int x, IntBinaryOperator accumulatorFunction) {
        int prev = get();
        int next = 0;
        for (boolean haveNext = false;;) {
            if (!haveNext) {
                next = accumulatorFunction.applyAsInt(prev, x);
            }
            if (weakCompareAndSetVolatile(prev, next)) {
                return next;
            }
            int seen = get();
            haveNext = prev == seen;
            prev = seen;
        }
    }

    /** @return the value, with plain (non-volatile) memory semantics */
    public int getPlain() {
        return (int) INT.get(buffer, offset);
    }

    /** Sets the value with plain memory semantics. */
    public void setPlain(int newValue) {
        INT.set(buffer, offset, newValue);
    }

    /** @return the value, with opaque memory effects */
    public int getOpaque() {
        return (int) INT.getOpaque(buffer, offset);
    }

    /** Sets the value with opaque memory effects. */
    public void setOpaque(int newValue) {
        INT.setOpaque(buffer, offset, newValue);
    }

    /** @return the value, with acquire memory effects */
    public int getAcquire() {
        return (int) INT.getAcquire(buffer, offset);
    }

    /** Sets the value with release memory effects. */
    public void setRelease(int newValue) {
        INT.setRelease(buffer, offset, newValue);
    }

    @Override
    public int intValue() {
        return get();
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
        return Integer.toString(get());
    }

    /** Native memory cannot be serialized. */
    private void writeObject(ObjectOutputStream out) throws IOException {
        throw new NotSerializableException(getClass().getName() + " lives in native memory");
    }
}
