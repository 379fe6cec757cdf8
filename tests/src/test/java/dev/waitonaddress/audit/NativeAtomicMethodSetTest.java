package dev.waitonaddress.audit;

import static org.junit.jupiter.api.Assertions.*;

import dev.waitonaddress.NativeAtomicInteger;
import dev.waitonaddress.NativeAtomicLong;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * NativeAtomicInteger / NativeAtomicLong have the AtomicInteger / AtomicLong method set,
 * so code written against those compiles against these. Every public method of the JDK class
 * must exist here with the same parameters and return type.
 */
class NativeAtomicMethodSetTest {
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
