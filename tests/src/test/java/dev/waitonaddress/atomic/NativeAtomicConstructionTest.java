package dev.waitonaddress.atomic;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.AtomicWait;
import dev.waitonaddress.NativeAtomicInteger;
import dev.waitonaddress.NativeAtomicLong;
import dev.waitonaddress.Scope;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear exception at construction (or at the call), never a crash. */
class NativeAtomicConstructionTest {
    private static ByteBuffer aligned(int size) {
        // alignedSlice also rounds the end down to a multiple of 64: allocate whole lines, then cut
        return ByteBuffer.allocateDirect(((size + 63) & ~63) + 64).alignedSlice(64).limit(size).slice();
    }

    @Test
    void heapBufferIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NativeAtomicInteger.wrap(ByteBuffer.allocate(64), 0, Scope.PRIVATE));
        assertTrue(e.getMessage().contains("heap buffer"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NativeAtomicLong.wrap(ByteBuffer.allocate(64), 0));
    }

    @Test
    void readOnlyBufferIsRefused() {
        ByteBuffer ro = aligned(64).asReadOnlyBuffer();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NativeAtomicInteger.wrap(ro, 0, Scope.PRIVATE));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NativeAtomicLong.wrap(ro, 0, Scope.SHARED));
    }

    @Test
    void misalignedWordIsRefused() {
        ByteBuffer b = aligned(64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NativeAtomicInteger.wrap(b, 2, Scope.PRIVATE));
        assertTrue(e.getMessage().contains("not aligned to 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NativeAtomicLong.wrap(b, 4, Scope.PRIVATE));
        assertTrue(e.getMessage().contains("not aligned to 8"), e.getMessage());
        // a slice that starts off the boundary: offset 0 is misaligned too
        ByteBuffer odd = b.duplicate().position(1).slice();
        assertThrows(IllegalArgumentException.class, () -> NativeAtomicInteger.wrap(odd, 0));
        assertEquals(0, NativeAtomicInteger.wrap(odd, 3).get());
    }

    @Test
    void offsetOutOfRangeIsRefused() {
        ByteBuffer b = aligned(64);
        assertThrows(IndexOutOfBoundsException.class, () -> NativeAtomicInteger.wrap(b, -4, Scope.PRIVATE));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeAtomicInteger.wrap(b, 64, Scope.PRIVATE));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeAtomicLong.wrap(b, 64 - 4, Scope.PRIVATE));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeAtomicLong.wrap(b, Integer.MAX_VALUE, Scope.PRIVATE));
        ByteBuffer limited = aligned(64).limit(8);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> NativeAtomicInteger.wrap(limited, 8));
        assertTrue(e.getMessage().contains("limit 8"), e.getMessage());
        assertEquals(0, NativeAtomicLong.wrap(limited, 0).get());
        assertEquals(0, NativeAtomicInteger.wrap(b, 60).get());
    }

    @Test
    void nullsAreRefused() {
        assertThrows(NullPointerException.class, () -> NativeAtomicInteger.wrap(null, 0, Scope.PRIVATE));
        assertThrows(NullPointerException.class, () -> NativeAtomicInteger.wrap(aligned(8), 0, null));
        assertThrows(NullPointerException.class, () -> NativeAtomicLong.wrap(null, 0, Scope.PRIVATE));
        assertThrows(NullPointerException.class, () -> NativeAtomicLong.wrap(aligned(8), 0, null));
    }

    @Test
    void negativeSpinsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> NativeAtomicInteger.allocate().withSpins(-1));
        assertThrows(IllegalArgumentException.class, () -> NativeAtomicLong.allocate().withSpins(-1));
        Memory m = new Memory(8);
        m.setLong(0, 0);
        assertThrows(IllegalArgumentException.class, () -> AtomicWait.await32(m, 1, Scope.PRIVATE, -1));
    }

    @Test
    void theViewIgnoresLaterChangesToTheCallersLimit() {
        ByteBuffer b = aligned(64);
        NativeAtomicInteger a = NativeAtomicInteger.wrap(b, 32);
        b.limit(0);
        a.set(7);
        assertEquals(7, a.get());
        assertEquals(7, a.pointer().getInt(0));
    }

    @Test
    void atomicWaitRefusesBadAddresses() {
        assertThrows(NullPointerException.class, () -> AtomicWait.wakeOne((Pointer) null));
        assertThrows(NullPointerException.class, () -> AtomicWait.wakeAll((Pointer) null));
        assertThrows(NullPointerException.class, () -> AtomicWait.await32((Pointer) null, 0));
        assertThrows(NullPointerException.class, () -> AtomicWait.await64((Pointer) null, 0L));
        assertThrows(IllegalArgumentException.class, () -> AtomicWait.wakeOne(new Pointer(0)));
        assertThrows(IllegalArgumentException.class, () -> AtomicWait.wakeOne(0L));
        assertThrows(IllegalArgumentException.class, () -> AtomicWait.await32(new Pointer(0), 0));
        Memory m = new Memory(16);
        m.clear();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AtomicWait.wakeOne(m.share(2)));
        assertTrue(e.getMessage().contains("not aligned to 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AtomicWait.await64(m.share(4), 0L));
        assertThrows(IllegalArgumentException.class, () -> AtomicWait.await64(m.share(4), 0L, 1, TimeUnit.SECONDS));
        assertThrows(NullPointerException.class, () -> AtomicWait.await32(m, 0, 1, null));
        assertThrows(NullPointerException.class, () -> AtomicWait.await32(m, 0, null));
        assertThrows(NullPointerException.class, () -> AtomicWait.wakeOne(m, null));
    }

    @Test
    void aWordSmallerThanTheNamedWidthIsAnIllegalArgument() {
        Memory four = new Memory(4);
        four.clear();
        long seen = four.getInt(0); // a 32-bit value held in a long: the width is the method's name, not old's type
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AtomicWait.await64(four, seen, 50, TimeUnit.MILLISECONDS));
        assertTrue(e.getMessage().contains("8 bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AtomicWait.await64(four, seen));
    }
}
