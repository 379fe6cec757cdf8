package dev.waitonaddress.sync;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.Width;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The few consecutive 32-bit words one synchronizer lives on: atomic access (a byte buffer view
 * {@link VarHandle} in the platform's byte order, so that C code and the kernel see the same
 * numbers), their addresses, and waits and wakes on them through one {@link WaitOnAddress}.
 * Every access has volatile (sequentially consistent) memory effects. Keeps the memory reachable.
 */
final class Words {
    /** Bytes in one word. */
    static final int WORD = 4;
    /** Nanoseconds at or above which a time-out means "forever" (as the API's, 2<sup>62</sup>). */
    static final long FOREVER_NANOS = 1L << 62;

    /** Atomic access to an {@code int} at a byte index of a buffer, in the platform's byte order. */
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** The backend that waits and wakes. */
    final WaitOnAddress futex;
    /** The scope of every wait and wake. */
    final Scope scope;
    /** Exactly the words, index 0 = the first word; a private view whose position nobody moves. */
    private final ByteBuffer buffer;
    /** What keeps the memory alive: the caller's buffer or Pointer (a JNA {@code Memory}). */
    private final Object owner;
    /** The address of each word. */
    private final Pointer[] pointers;

    /**
     * @param futex the backend
     * @param scope the scope
     * @param buffer exactly the words
     * @param owner what keeps the memory alive
     * @param address the address of the first word
     * @param count the number of words
     */
    private Words(WaitOnAddress futex, Scope scope, ByteBuffer buffer, Object owner, long address, int count) {
        this.futex = futex;
        this.scope = scope;
        this.buffer = buffer;
        this.owner = owner;
        this.pointers = new Pointer[count];
        for (int i = 0; i < count; i++) {
            pointers[i] = new Pointer(address + (long) i * WORD);
        }
    }

    /**
     * @param futex the backend that waits and wakes
     * @param address the address of the first word
     * @param scope the scope of waits and wakes
     * @param count the number of words
     * @param what the synchronizer's name, for messages
     * @return the words
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException for an address of 0, a misaligned address, or a JNA
     *     {@code Memory} smaller than the words
     * @throws UnsupportedOperationException if {@code futex} cannot wait on 32-bit words in {@code scope}
     */
    static Words of(WaitOnAddress futex, Pointer address, Scope scope, int count, String what) {
        Objects.requireNonNull(futex, "futex");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(scope, "scope");
        int bytes = count * WORD;
        long a = Pointer.nativeValue(address);
        if (a == 0) {
            throw new IllegalArgumentException(what + " needs a real address; this Pointer's is 0");
        }
        checkAligned(a, what);
        if (address instanceof Memory && ((Memory) address).size() < bytes) {
            throw new IllegalArgumentException(what + " needs " + bytes + " bytes; the Memory at 0x"
                    + Long.toHexString(a) + " has " + ((Memory) address).size());
        }
        checkScope(futex, scope, what);
        return new Words(futex, scope, address.getByteBuffer(0, bytes), address, a, count);
    }

    /**
     * @param futex the backend that waits and wakes
     * @param buffer a direct or mapped, writable buffer
     * @param offset the byte offset of the first word from index 0 of {@code buffer}
     * @param scope the scope of waits and wakes
     * @param count the number of words
     * @param what the synchronizer's name, for messages
     * @return the words
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the words do not lie within {@code 0..limit}
     * @throws UnsupportedOperationException if {@code futex} cannot wait on 32-bit words in {@code scope}
     */
    static Words of(WaitOnAddress futex, ByteBuffer buffer, int offset, Scope scope, int count, String what) {
        Objects.requireNonNull(futex, "futex");
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(scope, "scope");
        int bytes = count * WORD;
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException(what + " needs a direct or mapped ByteBuffer (native memory that the"
                    + " kernel can wait on), not a heap buffer");
        }
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException(what + " needs a writable ByteBuffer; this one is read-only");
        }
        if (offset < 0 || offset > buffer.limit() - bytes) {
            throw new IndexOutOfBoundsException(what + " needs " + bytes + " bytes at offset " + offset
                    + ", which do not fit in a buffer of limit " + buffer.limit());
        }
        ByteBuffer view = buffer.duplicate();
        view.limit(offset + bytes).position(offset);
        view = view.slice();
        long a = Pointer.nativeValue(Native.getDirectBufferPointer(view));
        checkAligned(a, what);
        checkScope(futex, scope, what);
        return new Words(futex, scope, view, buffer, a, count);
    }

    /**
     * @param futex the backend that waits and wakes
     * @param count the number of words, at most 16
     * @param what the synchronizer's name, for messages
     * @return {@code count} zeroed words of their own, PRIVATE scope, on a cache line of their own
     */
    static Words allocate(WaitOnAddress futex, int count, String what) {
        int line = 64;
        ByteBuffer b = ByteBuffer.allocateDirect(2 * line).alignedSlice(line);
        return of(futex, b, 0, Scope.PRIVATE, count, what);
    }

    /**
     * @param address an address
     * @param what the synchronizer's name, for messages
     * @throws IllegalArgumentException if {@code address} is not aligned to 4 bytes
     */
    private static void checkAligned(long address, String what) {
        if ((address & (WORD - 1)) != 0) {
            throw new IllegalArgumentException(what + " needs its words aligned to " + WORD + " bytes; address 0x"
                    + Long.toHexString(address) + " is not");
        }
    }

    /**
     * @param futex the backend
     * @param scope the scope wanted
     * @param what the synchronizer's name, for messages
     * @throws UnsupportedOperationException if {@code futex} cannot wait on 32-bit words in {@code scope}
     */
    private static void checkScope(WaitOnAddress futex, Scope scope, String what) {
        if (!futex.capabilities().supports(Width.INT32, scope)) {
            throw new UnsupportedOperationException(what + " in " + scope + " scope needs 32-bit waits in that scope;"
                    + " backend " + futex.name() + " cannot (" + futex.capabilities() + ")");
        }
    }

    /** @return whether the backend serves 32-bit words of this scope natively (not in the parking lot) */
    boolean nativeWidth() {
        return futex.capabilities().width(Width.INT32) == Capabilities.Support.NATIVE;
    }

    /**
     * @param i the index of a word
     * @return the address of word {@code i}
     */
    Pointer pointer(int i) {
        return pointers[i];
    }

    /**
     * @param i the index of a word
     * @return its value (a volatile read)
     */
    int get(int i) {
        return (int) INT.getVolatile(buffer, i * WORD);
    }

    /**
     * Stores {@code value} into word {@code i} (a volatile write).
     *
     * @param i the index of a word
     * @param value the new value
     */
    void set(int i, int value) {
        INT.setVolatile(buffer, i * WORD, value);
    }

    /**
     * @param i the index of a word
     * @param expected the value it must hold
     * @param value the new value
     * @return whether word {@code i} held {@code expected} and now holds {@code value}
     */
    boolean compareAndSet(int i, int expected, int value) {
        return INT.compareAndSet(buffer, i * WORD, expected, value);
    }

    /**
     * @param i the index of a word
     * @param value the new value
     * @return the old value
     */
    int getAndSet(int i, int value) {
        return (int) INT.getAndSet(buffer, i * WORD, value);
    }

    /**
     * @param i the index of a word
     * @param delta what to add (wrapping around)
     * @return the old value
     */
    int getAndAdd(int i, int delta) {
        return (int) INT.getAndAdd(buffer, i * WORD, delta);
    }

    /**
     * @param i the index of a word
     * @param bits the bits to set
     * @return the old value
     */
    int getAndBitwiseOr(int i, int bits) {
        return (int) INT.getAndBitwiseOr(buffer, i * WORD, bits);
    }

    /**
     * @param i the index of a word
     * @param bits the bits to keep
     * @return the old value
     */
    int getAndBitwiseAnd(int i, int bits) {
        return (int) INT.getAndBitwiseAnd(buffer, i * WORD, bits);
    }

    /**
     * Sleeps while word {@code i} holds {@code expected}.
     *
     * @param i the index of a word
     * @param expected the value to sleep on
     * @return WOKEN (possibly spurious) or MISMATCH
     * @throws InterruptedException if the thread is interrupted on entry or while it sleeps
     */
    WaitResult await(int i, int expected) throws InterruptedException {
        try {
            return futex.await(pointers[i], Width.INT32, expected, scope);
        } finally {
            Reference.reachabilityFence(owner);
        }
    }

    /**
     * Sleeps while word {@code i} holds {@code expected}, at most until {@code deadline}.
     *
     * @param i the index of a word
     * @param expected the value to sleep on
     * @param deadline on the clock of {@link System#nanoTime()}
     * @return WOKEN (possibly spurious), MISMATCH or TIMED_OUT
     * @throws InterruptedException if the thread is interrupted on entry or while it sleeps
     */
    WaitResult awaitUntil(int i, int expected, long deadline) throws InterruptedException {
        try {
            return futex.awaitUntil(pointers[i], Width.INT32, expected, scope, deadline);
        } finally {
            Reference.reachabilityFence(owner);
        }
    }

    /**
     * Sleeps while word {@code i} holds {@code expected}: until {@code deadline} if {@code timed},
     * and in any case no longer than {@code sliceNanos} (0: no slice) from now.
     *
     * @param i the index of a word
     * @param expected the value to sleep on
     * @param timed whether {@code deadline} applies
     * @param deadline on the clock of {@link System#nanoTime()}
     * @param sliceNanos the longest sleep, 0 for no such bound
     * @return WOKEN (possibly spurious), MISMATCH or TIMED_OUT (of the deadline or of the slice)
     * @throws InterruptedException if the thread is interrupted on entry or while it sleeps
     */
    WaitResult awaitSliced(int i, int expected, boolean timed, long deadline, long sliceNanos)
            throws InterruptedException {
        if (sliceNanos <= 0) {
            return timed ? awaitUntil(i, expected, deadline) : await(i, expected);
        }
        long until = System.nanoTime() + sliceNanos;
        if (timed && deadline - until < 0) {
            until = deadline;
        }
        return awaitUntil(i, expected, until);
    }

    /**
     * Wakes up to {@code count} waiters of word {@code i}.
     *
     * @param i the index of a word
     * @param count 1 or more, {@link WaitOnAddress#ALL} for all
     * @return how many were woken, or {@link WaitOnAddress#COUNT_UNKNOWN}
     */
    int wake(int i, int count) {
        return futex.wake(pointers[i], Width.INT32, scope, count);
    }

    /** Keeps the memory reachable up to this point of the caller. */
    void keepAlive() {
        Reference.reachabilityFence(owner);
    }

    /**
     * @param timeout a time-out
     * @param unit its unit
     * @return the time-out in nanoseconds (0 for zero or less), or -1 for "forever"
     *     (2<sup>62</sup> ns or more)
     * @throws NullPointerException if {@code unit} is null
     */
    static long nanos(long timeout, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        long n = unit.toNanos(timeout);
        return n >= FOREVER_NANOS ? -1 : Math.max(0, n);
    }

    /**
     * @param deadline on the clock of {@link System#nanoTime()}
     * @return whether {@code deadline} has passed (never early)
     */
    static boolean passed(long deadline) {
        return System.nanoTime() - deadline >= 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(scope).append(" words at ").append(pointers[0]).append(" [");
        for (int i = 0; i < pointers.length; i++) {
            sb.append(i == 0 ? "" : ", ").append("0x").append(Integer.toHexString(get(i)));
        }
        return sb.append("] via ").append(futex.name()).toString();
    }
}
