package dev.waitonaddress.portable;

import com.sun.jna.Memory;

import dev.waitonaddress.spi.Backend;
import dev.waitonaddress.spi.NativeBinding;
import dev.waitonaddress.spi.Traits;

/**
 * The {@code portable} backend: pure Java, every width, PRIVATE scope only, available wherever JNA loads, of
 * the lowest priority. It declares no native width, so the library serves every wait in its
 * in-process parking lot: exact when every waker of an address in this process goes through this
 * library; a thread of native code changing the word is not seen until a library {@code wake}.
 * The library reads the words with JNA: each address must be readable for the duration of an
 * {@code await}, and JNA must load: where it cannot (no native library for this platform, native
 * access denied), the backend reports itself unavailable with JNA's error, rather than failing at
 * the first {@code await}.
 */
public final class PortableWaitOnAddress implements Backend {
    /** The priority: below every native backend. */
    public static final int PRIORITY = 0;

    private static final Traits TRAITS = Traits.builder().build();

    /** Null when JNA works here (a word can be allocated, written and read), else why not. */
    private static final Throwable UNAVAILABILITY = NativeBinding.probe(() -> {
        try (Memory word = new Memory(8)) {
            word.setLong(0, 1);
            if (word.getLong(0) != 1) {
                throw new IllegalStateException("JNA read back another value than it wrote");
            }
        }
    });

    /** Made by {@link java.util.ServiceLoader}. */
    public PortableWaitOnAddress() {
    }

    @Override
    public String name() {
        return "portable";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Throwable unavailabilityCause() {
        return UNAVAILABILITY;
    }

    @Override
    public Traits traits() {
        return TRAITS;
    }
}
