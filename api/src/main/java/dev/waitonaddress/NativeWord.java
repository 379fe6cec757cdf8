package dev.waitonaddress;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.waitonaddress.internal.Checks;
import dev.waitonaddress.internal.Deadlines;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What {@link NativeAtomicInteger} and {@link NativeAtomicLong} share: a word of native memory in
 * a buffer, its scope and spinning, and the waiting and waking through a {@link Waiters}.
 */
abstract class NativeWord extends Number {
    private static final long serialVersionUID = 1L;

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

    NativeWord(ByteBuffer buffer, int offset, Scope scope, long address, int spins, Waiters waiters, Width width) {
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

    /** @return the address of the word */
    public final Pointer pointer() {
        return pointer;
    }

    /** @return the scope its waits and wakes use */
    public final Scope scope() {
        return scope;
    }

    /** @return the spin rounds before a wait sleeps */
    public final int spins() {
        return spins;
    }

    /** @return the backend its waits and wakes go to */
    public final WaitOnAddress backend() {
        return waiters.backend();
    }

    /**
     * Wakes at least one thread waiting on this word with this width; no system call when none
     * waits (PRIVATE).
     *
     * @throws UnsupportedOperationException in SHARED scope where the backend cannot wait on
     *     this width across processes
     */
    public final void wakeOne() {
        waiters.wake(pointer, address, bucket, width, scope, 1);
    }

    /**
     * Wakes every thread waiting on this word with this width; no system call when none waits
     * (PRIVATE).
     *
     * @throws UnsupportedOperationException in SHARED scope where the backend cannot wait on
     *     this width across processes
     */
    public final void wakeAll() {
        waiters.wake(pointer, address, bucket, width, scope, WaitOnAddress.ALL);
    }

    /** Native memory cannot be serialized. */
    private void writeObject(ObjectOutputStream out) throws IOException {
        throw new NotSerializableException(getClass().getName() + " lives in native memory");
    }
}
