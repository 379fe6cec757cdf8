package dev.waitonaddress.atomic;

import static org.junit.jupiter.api.Assertions.*;

import dev.waitonaddress.AtomicWait;
import dev.waitonaddress.NativeAtomicInteger;
import dev.waitonaddress.Scope;
import dev.waitonaddress.Width;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The counted SHARED layout of {@code wrapShared}: its size and alignment checks, and the count word. */
class WrapSharedLayoutTest {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private static ByteBuffer aligned(int bytes) {
        return ByteBuffer.allocateDirect(256).alignedSlice(64).limit(bytes); // alignedSlice rounds the end down to 64
    }

    @Test
    void refusesATooSmallOrMisalignedRegion() {
        Assumptions.assumeTrue(AtomicWait.backend().capabilities().supports(Width.INT32, Scope.SHARED));
        assertThrows(IllegalArgumentException.class, () -> NativeAtomicInteger.wrapShared(aligned(4), 0));
        assertThrows(IllegalArgumentException.class, () -> NativeAtomicInteger.wrapShared(aligned(16), 12));
        assertThrows(IllegalArgumentException.class, () -> NativeAtomicInteger.wrapShared(aligned(16), 4),
                "the region must be aligned to 8");
        assertThrows(IllegalArgumentException.class, () -> NativeAtomicInteger.wrapShared(ByteBuffer.allocate(8), 0));
        assertEquals(Scope.SHARED, NativeAtomicInteger.wrapShared(aligned(16), 8).scope());
        // the plain SHARED view keeps the 4-byte layout
        assertEquals(Scope.SHARED, NativeAtomicInteger.wrap(aligned(4), 0, Scope.SHARED).scope());
    }

    @Test
    void aWaiterRaisesTheCountWordWhileItSleepsAndLowersItAfter() throws Exception {
        Assumptions.assumeTrue(AtomicWait.backend().capabilities().supports(Width.INT32, Scope.SHARED));
        ByteBuffer b = aligned(8);
        NativeAtomicInteger word = NativeAtomicInteger.wrapShared(b, 0).withSpins(0);
        Thread t = new Thread(() -> {
            try {
                word.await(0);
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((int) INT.getVolatile(b, 4) != 1) {
            assertTrue(System.nanoTime() < deadline, "the waiter did not raise the count at offset 4");
            Thread.sleep(1);
        }
        word.set(1);
        word.wakeOne();
        t.join(30_000);
        assertFalse(t.isAlive());
        assertEquals(0, (int) INT.getVolatile(b, 4), "the count after the wait");
        assertFalse(word.await(1, 0, TimeUnit.SECONDS), "a poll of an unchanged value");
        assertEquals(0, (int) INT.getVolatile(b, 4));
    }
}
