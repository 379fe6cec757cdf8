package dev.waitonaddress.spi;

import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Scope;
import dev.waitonaddress.Width;

/** Stands in for a provider whose class could not be loaded, so that the failure is reported, not lost. */
final class UnloadableBackend extends AbstractWaitOnAddress {
    private static final Capabilities NOTHING = Capabilities.builder().build();

    UnloadableBackend(String className, Throwable cause) {
        super(className, Integer.MIN_VALUE, cause);
    }

    @Override
    public Capabilities capabilities() {
        return NOTHING;
    }

    @Override
    protected Outcome waitNative(long address, Width width, long expected, Scope scope, boolean timed,
            long deadlineNanoTime) {
        throw new AssertionError("unreachable: the backend is unavailable");
    }

    @Override
    protected int wakeNative(long address, Width width, Scope scope, int count) {
        throw new AssertionError("unreachable: the backend is unavailable");
    }
}
