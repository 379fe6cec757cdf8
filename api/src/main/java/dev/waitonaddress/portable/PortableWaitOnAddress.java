package dev.waitonaddress.portable;

import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Capabilities.Support;
import dev.waitonaddress.Scope;
import dev.waitonaddress.Width;
import dev.waitonaddress.spi.AbstractWaitOnAddress;
import dev.waitonaddress.spi.Outcome;

/**
 * The {@code portable} backend: pure Java, every width, PRIVATE scope only, always available, of
 * the lowest priority. Waiters park in the library's in-process parking lot, so it is exact when
 * every waker of an address in this process goes through this library; a thread of native code
 * changing the word is not seen until a library {@code wake}. The library reads the words with
 * JNA: each address must be readable for the duration of an {@code await}.
 */
public final class PortableWaitOnAddress extends AbstractWaitOnAddress {
    /** The priority: below every native backend. */
    public static final int PRIORITY = 0;

    private static final Capabilities CAPABILITIES = Capabilities.builder()
            .emulateOtherWidths()
            .awaitAny(Support.EMULATED, 1024)
            .wakeCountReported(true)
            .build();

    /** Made by {@link java.util.ServiceLoader}. */
    public PortableWaitOnAddress() {
        super("portable", PRIORITY, null);
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    protected Outcome waitNative(long address, Width width, long expected, Scope scope, boolean timed,
            long deadlineNanoTime) {
        throw new AssertionError("portable has no native width");
    }

    @Override
    protected int wakeNative(long address, Width width, Scope scope, int count) {
        throw new AssertionError("portable has no native width");
    }
}
