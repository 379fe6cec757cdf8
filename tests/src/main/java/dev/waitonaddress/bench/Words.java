package dev.waitonaddress.bench;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * 32-bit words of native memory for the benchmarks, read and written with volatile (sequentially
 * consistent) access through a {@link VarHandle}, as C's {@code __atomic_*_n(…, __ATOMIC_SEQ_CST)}
 * does in the baselines. (A JNA {@code Pointer.getInt} is a JNI call; it would weigh on every
 * round trip and is not what a user of the library writes.)
 */
final class Words {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer buffer;
    private final Pointer base;
    private final Pointer[] pointers;

    /** {@code count} consecutive zeroed words in a fresh direct buffer, aligned to a cache line. */
    Words(int count) {
        this(ByteBuffer.allocateDirect(count * 4 + 128).alignedSlice(64), count);
    }

    /** {@code count} consecutive words at the start of {@code buffer} (a direct or mapped buffer). */
    Words(ByteBuffer buffer, int count) {
        this.buffer = buffer;
        this.base = Native.getDirectBufferPointer(buffer);
        if (Pointer.nativeValue(base) % 4 != 0) {
            throw new IllegalArgumentException("buffer not aligned to 4 bytes");
        }
        this.pointers = new Pointer[count];
        for (int i = 0; i < count; i++) {
            pointers[i] = base.share(4L * i);
        }
    }

    Pointer pointer(int index) {
        return pointers[index];
    }

    int get(int index) {
        return (int) INT.getVolatile(buffer, index * 4);
    }

    void set(int index, int value) {
        INT.setVolatile(buffer, index * 4, value);
    }

    int getAndAdd(int index, int delta) {
        return (int) INT.getAndAdd(buffer, index * 4, delta);
    }

    boolean compareAndSet(int index, int expected, int value) {
        return INT.compareAndSet(buffer, index * 4, expected, value);
    }

    int getAndSet(int index, int value) {
        return (int) INT.getAndSet(buffer, index * 4, value);
    }

    /** Keeps the memory reachable (the pointers do not). */
    ByteBuffer buffer() {
        return buffer;
    }
}
