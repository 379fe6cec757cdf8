package dev.waitonaddress.portable;

import dev.waitonaddress.spi.Backend;
import dev.waitonaddress.spi.Traits;

/**
 * The {@code portable} backend: pure Java, every width, PRIVATE scope only, always available, of
 * the lowest priority. It declares no native width, so the library serves every wait in its
 * in-process parking lot: exact when every waker of an address in this process goes through this
 * library; a thread of native code changing the word is not seen until a library {@code wake}.
 * The library reads the words with JNA: each address must be readable for the duration of an
 * {@code await}.
 */
public final class PortableWaitOnAddress implements Backend {
    /** The priority: below every native backend. */
    public static final int PRIORITY = 0;

    private static final Traits TRAITS = Traits.builder().build();

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
        return null;
    }

    @Override
    public Traits traits() {
        return TRAITS;
    }
}
