package dev.waitonaddress.atomic;

import static org.junit.jupiter.api.Assertions.*;

import dev.waitonaddress.NativeAtomicInteger;
import dev.waitonaddress.NativeAtomicLong;
import dev.waitonaddress.Scope;
import dev.waitonaddress.testing.Watchdog;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The AtomicInteger / AtomicLong method set, on native memory, in native byte order. Every public
 * method of the JDK class exists here with the same parameters and return type, so code written
 * against those compiles against these.
 */
class NativeAtomicMethodsTest {

    @Test
    void integerBehavesAsAtomicInteger() {
        NativeAtomicInteger n = NativeAtomicInteger.allocate(5);
        AtomicInteger j = new AtomicInteger(5);
        assertEquals(j.get(), n.get());
        assertEquals(j.getAndIncrement(), n.getAndIncrement());
        assertEquals(j.incrementAndGet(), n.incrementAndGet());
        assertEquals(j.getAndDecrement(), n.getAndDecrement());
        assertEquals(j.decrementAndGet(), n.decrementAndGet());
        assertEquals(j.getAndAdd(10), n.getAndAdd(10));
        assertEquals(j.addAndGet(-3), n.addAndGet(-3));
        assertEquals(j.getAndSet(42), n.getAndSet(42));
        assertEquals(j.compareAndSet(1, 2), n.compareAndSet(1, 2));
        assertEquals(j.compareAndSet(42, 43), n.compareAndSet(42, 43));
        assertEquals(j.compareAndExchange(43, 44), n.compareAndExchange(43, 44));
        assertEquals(j.compareAndExchangeAcquire(0, 1), n.compareAndExchangeAcquire(0, 1));
        assertEquals(j.compareAndExchangeRelease(44, 45), n.compareAndExchangeRelease(44, 45));
        assertEquals(j.getAndUpdate(x -> x * 2), n.getAndUpdate(x -> x * 2));
        assertEquals(j.updateAndGet(x -> x + 7), n.updateAndGet(x -> x + 7));
        assertEquals(j.getAndAccumulate(3, Math::max), n.getAndAccumulate(3, Math::max));
        assertEquals(j.accumulateAndGet(1000, Math::max), n.accumulateAndGet(1000, Math::max));
        while (!n.weakCompareAndSetVolatile(1000, 1001)) { /* may fail spuriously */ }
        while (!n.weakCompareAndSetAcquire(1001, 1002)) { /* ditto */ }
        while (!n.weakCompareAndSetRelease(1002, 1003)) { /* ditto */ }
        while (!n.weakCompareAndSetPlain(1003, 1004)) { /* ditto */ }
        assertEquals(1004, n.get());
        n.set(-1);
        assertEquals(-1, n.getPlain());
        n.setPlain(2);
        assertEquals(2, n.getOpaque());
        n.setOpaque(3);
        assertEquals(3, n.getAcquire());
        n.setRelease(4);
        assertEquals(4, n.get());
        n.lazySet(Integer.MIN_VALUE);
        assertEquals(Integer.MIN_VALUE, n.intValue());
        assertEquals(Integer.MIN_VALUE, n.longValue());
        assertEquals((float) Integer.MIN_VALUE, n.floatValue());
        assertEquals((double) Integer.MIN_VALUE, n.doubleValue());
        assertEquals(Integer.toString(Integer.MIN_VALUE), n.toString());
        assertEquals(Scope.PRIVATE, n.scope());
    }

    @Test
    void longBehavesAsAtomicLong() {
        NativeAtomicLong n = NativeAtomicLong.allocate(5);
        AtomicLong j = new AtomicLong(5);
        assertEquals(j.getAndIncrement(), n.getAndIncrement());
        assertEquals(j.incrementAndGet(), n.incrementAndGet());
        assertEquals(j.getAndDecrement(), n.getAndDecrement());
        assertEquals(j.decrementAndGet(), n.decrementAndGet());
        assertEquals(j.getAndAdd(1L << 40), n.getAndAdd(1L << 40));
        assertEquals(j.addAndGet(-3), n.addAndGet(-3));
        assertEquals(j.getAndSet(42), n.getAndSet(42));
        assertEquals(j.compareAndSet(1, 2), n.compareAndSet(1, 2));
        assertEquals(j.compareAndSet(42, 1L << 33), n.compareAndSet(42, 1L << 33));
        assertEquals(j.compareAndExchange(1L << 33, 44), n.compareAndExchange(1L << 33, 44));
        assertEquals(j.getAndUpdate(x -> x * 2), n.getAndUpdate(x -> x * 2));
        assertEquals(j.updateAndGet(x -> x + 7), n.updateAndGet(x -> x + 7));
        assertEquals(j.getAndAccumulate(3, Math::max), n.getAndAccumulate(3, Math::max));
        assertEquals(j.accumulateAndGet(Long.MAX_VALUE, Math::min), n.accumulateAndGet(Long.MAX_VALUE, Math::min));
        n.set(Long.MIN_VALUE);
        assertEquals(Long.MIN_VALUE, n.longValue());
        assertEquals(0, n.intValue());
        assertEquals(Long.toString(Long.MIN_VALUE), n.toString());
        n.setRelease(0x1_0000_0000L);
        assertEquals(0x1_0000_0000L, n.getAcquire());
    }

    @Test
    void valuesAreInNativeByteOrderAtTheirOffset() {
        ByteBuffer b = ByteBuffer.allocateDirect(128).alignedSlice(64).order(ByteOrder.nativeOrder());
        NativeAtomicInteger i = NativeAtomicInteger.wrap(b, 4);
        NativeAtomicLong l = NativeAtomicLong.wrap(b, 8);
        i.set(0x01020304);
        l.set(0x0102030405060708L);
        assertEquals(0x01020304, b.getInt(4));
        assertEquals(0x0102030405060708L, b.getLong(8));
        assertEquals(0, b.getInt(0));
        assertEquals(0x01020304, i.pointer().getInt(0));
        assertEquals(0x0102030405060708L, l.pointer().getLong(0));
        assertEquals(i.pointer(), l.pointer().share(-4));
    }

    @Test
    void concurrentIncrementsAreAtomic() throws Exception {
        NativeAtomicInteger i = NativeAtomicInteger.allocate();
        NativeAtomicLong l = NativeAtomicLong.allocate();
        int perThread = 200_000;
        Watchdog.run(Duration.ofSeconds(60), "concurrent increments", () -> {
            Thread[] ts = new Thread[2];
            for (int t = 0; t < ts.length; t++) {
                ts[t] = new Thread(() -> {
                    for (int k = 0; k < perThread; k++) {
                        i.incrementAndGet();
                        l.getAndAdd(1L << 32);
                    }
                });
                ts[t].start();
            }
            for (Thread t : ts) {
                t.join();
            }
            return null;
        });
        assertEquals(2 * perThread, i.get());
        assertEquals((2L * perThread) << 32, l.get());
    }

    // ------------------------------------------------------------------ the JDK's method set

    /** @return the public instance methods of {@code jdk} that {@code ours} lacks or returns another type from */
    private static List<String> missing(Class<?> jdk, Class<?> ours) {
        List<String> missing = new ArrayList<>();
        for (Method m : jdk.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            try {
                Method o = ours.getMethod(m.getName(), m.getParameterTypes());
                if (!o.getReturnType().equals(m.getReturnType())) {
                    missing.add(m + " returns " + o.getReturnType() + " here");
                }
            } catch (NoSuchMethodException e) {
                missing.add(m.toString());
            }
        }
        return missing;
    }

    @Test
    void nativeAtomicIntegerHasTheAtomicIntegerMethods() {
        assertEquals(List.of(), missing(AtomicInteger.class, NativeAtomicInteger.class));
    }

    @Test
    void nativeAtomicLongHasTheAtomicLongMethods() {
        assertEquals(List.of(), missing(AtomicLong.class, NativeAtomicLong.class));
    }

    @Test
    @SuppressWarnings("deprecation")
    void weakCompareAndSetBehavesAsInTheJdk() {
        NativeAtomicInteger i = NativeAtomicInteger.allocate(5);
        boolean done = false;
        for (int attempt = 0; attempt < 1000 && !done; attempt++) { // may fail spuriously
            done = i.weakCompareAndSet(5, 6);
        }
        assertTrue(done);
        assertEquals(6, i.get());
        assertFalse(i.weakCompareAndSet(5, 7));
        NativeAtomicLong l = NativeAtomicLong.allocate(1L << 40);
        done = false;
        for (int attempt = 0; attempt < 1000 && !done; attempt++) {
            done = l.weakCompareAndSet(1L << 40, 3);
        }
        assertTrue(done);
        assertEquals(3, l.get());
    }
}
