package dev.waitonaddress;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.waitonaddress.internal.Checks;
import dev.waitonaddress.internal.Deadlines;
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

/**
 * What {@link NativeAtomicInteger} and {@link NativeAtomicLong} share: a word of native memory in
 * a buffer, its scope and spinning, and the waiting and waking through a {@link Waiters}.
 */
abstract class NativeWord extends Number {
    private static final long serialVersionUID = 1L;
    /** The shared waiter count: a 32-bit word in native byte order. */
    private static final VarHandle COUNT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** A private duplicate: the caller's position and limit changes do not affect it; keeps the memory reachable. */
    final transient ByteBuffer buffer;
    /** The word's offset in {@link #buffer}. */
    final int offset;
    /** The scope of its waits and wakes. */
    final Scope scope;
    /** The spin rounds before a wait sleeps. */
    final int spins;
    /** The engine its waits and wakes go through. */
    final transient Waiters waiters;
    /** The word's address. */
    final long address;
    private final transient Pointer pointer;
    private final int bucket;
    private final Width width;
    /** The offset in {@link #buffer} of the shared waiter count, or -1 where the layout has none. */
    final int countAt;

    NativeWord(ByteBuffer buffer, int offset, Scope scope, long address, int spins, Waiters waiters, Width width,
            int countAt) {
        this.countAt = countAt;
        this.buffer = buffer;
        this.offset = offset;
        this.scope = scope;
        this.address = address;
        this.pointer = new Pointer(address);
        this.bucket = Waiters.bucket(address);
        this.spins = spins;
        this.waiters = waiters;
        this.width = width;
    }

    /**
     * @param buffer the buffer
     * @param offset the word's offset in it
     * @param scope the word's scope, checked not to be null
     * @param bytes the word's width
     * @param what the class that needs the word, for messages
     * @return the address of the {@code bytes}-byte word at {@code offset} of {@code buffer}
     * @throws NullPointerException if {@code buffer} or {@code scope} is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the word does not lie within the buffer's limit
     */
    static long check(ByteBuffer buffer, int offset, Scope scope, int bytes, String what) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(scope, "scope");
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException(what + " needs a direct or mapped ByteBuffer (native memory that the"
                    + " kernel can wait on), not a heap buffer");
        }
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException(what + " needs a writable ByteBuffer; this one is read-only");
        }
        if (offset < 0 || offset > buffer.limit() - bytes) {
            throw new IndexOutOfBoundsException("offset " + offset + ": a " + bytes + "-byte word does not fit in a"
                    + " buffer of limit " + buffer.limit() + " (offsets 0.." + (buffer.limit() - bytes) + ")");
        }
        long base = Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
        long address = base + offset;
        if ((address & (bytes - 1)) != 0) {
            throw new IllegalArgumentException("offset " + offset + " of a buffer at 0x" + Long.toHexString(base)
                    + ": " + Checks.badAddress(address, bytes).getMessage());
        }
        return address;
    }

    /**
     * Checks a region of the counted SHARED layout: the value at {@code offset}, then 4 bytes of
     * waiter count at {@code offset + bytes}, the region aligned to 8 bytes.
     *
     * @param buffer the buffer
     * @param offset the region's offset in it
     * @param bytes the value's width
     * @param what the class that needs the region, for messages
     * @return the address of the value
     * @throws NullPointerException if {@code buffer} is null
     * @throws IllegalArgumentException for a heap or read-only buffer, a misaligned region, or a
     *     region that does not fit in the buffer
     */
    static long checkCounted(ByteBuffer buffer, int offset, int bytes, String what) {
        Objects.requireNonNull(buffer, "buffer");
        int region = bytes + 8 - (bytes & 4); // value + 32-bit count, padded to 8 bytes: 8 or 16
        if (offset < 0 || offset > buffer.limit() - region) {
            throw new IllegalArgumentException(what + " in the counted SHARED layout needs " + region
                    + " bytes (the value, then a 32-bit waiter count" + (bytes == 8 ? ", then 4 bytes of padding" : "")
                    + ") at offset " + offset + "; a buffer of limit " + buffer.limit() + " holds offsets 0.."
                    + (buffer.limit() - region));
        }
        long address = check(buffer, offset, Scope.SHARED, 8, what);
        return address;
    }

    /** @return whether this view counts its SHARED waiters in the mapping */
    final boolean counted() {
        return countAt >= 0;
    }

    /** Raises the shared waiter count (a sequentially consistent read-modify-write). */
    final void raiseCount() {
        COUNT.getAndAdd(buffer, countAt, 1);
    }

    /** Lowers the shared waiter count (a sequentially consistent read-modify-write). */
    final void lowerCount() {
        COUNT.getAndAdd(buffer, countAt, -1);
    }

    /**
     * @return whether a SHARED wake may find a sleeper: always true without a count; with one,
     *     true unless the count reads 0 (a volatile read)
     */
    private boolean maySleep() {
        return countAt < 0 || (int) COUNT.getVolatile(buffer, countAt) != 0;
    }

    /** @return the value with volatile semantics, sign-extended to a {@code long} */
    abstract long bits();

    /**
     * Returns once the value differs from {@code old}.
     *
     * @param old the value to wait past, sign-extended
     * @throws InterruptedException if interrupted on entry or while waiting
     */
    final void awaitBits(long old) throws InterruptedException {
        try {
            waiters.await(this, pointer, address, bucket, width, old, scope, spins, Deadlines.NEVER);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Waits at most {@code timeout} for the value to differ from {@code old}.
     *
     * @param old the value to wait past, sign-extended
     * @param timeout zero or less polls
     * @param unit its unit
     * @return true once the value differs, false on time-out
     * @throws InterruptedException if interrupted on entry or while waiting
     */
    final boolean awaitBits(long old, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = Deadlines.of(timeout, unit);
        try {
            return waiters.await(this, pointer, address, bucket, width, old, scope, spins, deadline);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** {@return the address of the word} */
    public final Pointer pointer() {
        return pointer;
    }

    /** {@return the scope its waits and wakes use} */
    public final Scope scope() {
        return scope;
    }

    /** {@return the spin rounds before a wait sleeps} */
    public final int spins() {
        return spins;
    }

    /** {@return the backend its waits and wakes go to} */
    public final WaitOnAddress backend() {
        return waiters.backend();
    }

    /**
     * Wakes at least one thread waiting on this word with this width; no system call when none
     * waits (PRIVATE), or when the shared waiter count of a view made by {@code wrapShared}
     * reads 0 (SHARED).
     *
     * @throws UnsupportedOperationException in SHARED scope where the backend cannot wait on
     *     this width across processes
     */
    public final void wakeOne() {
        if (countAt >= 0 && !maySleep()) {
            return; // the counted SHARED layout: no process has a thread about to sleep or asleep
        }
        waiters.wake(pointer, address, bucket, width, scope, 1);
    }

    /**
     * Wakes every thread waiting on this word with this width; no system call when none waits
     * (PRIVATE), or when the shared waiter count of a view made by {@code wrapShared} reads 0
     * (SHARED).
     *
     * @throws UnsupportedOperationException in SHARED scope where the backend cannot wait on
     *     this width across processes
     */
    public final void wakeAll() {
        if (countAt >= 0 && !maySleep()) {
            return;
        }
        waiters.wake(pointer, address, bucket, width, scope, WaitOnAddress.ALL);
    }

    /** Native memory cannot be serialized. */
    private void writeObject(ObjectOutputStream out) throws IOException {
        throw new NotSerializableException(getClass().getName() + " lives in native memory");
    }
}
