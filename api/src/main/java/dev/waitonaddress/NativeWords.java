package dev.waitonaddress;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.Objects;

/** The construction checks of {@link NativeAtomicInteger} and {@link NativeAtomicLong}, in one place. */
final class NativeWords {
    private NativeWords() {
    }

    /**
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
            throw new IllegalArgumentException("offset " + offset + " gives address 0x" + Long.toHexString(address)
                    + ", not aligned to " + bytes + " bytes as " + what + " needs (the buffer starts at 0x"
                    + Long.toHexString(base) + ")");
        }
        return address;
    }
}
