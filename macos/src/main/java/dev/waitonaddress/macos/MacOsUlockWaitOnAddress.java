package dev.waitonaddress.macos;

import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Scope;
import dev.waitonaddress.Width;
import dev.waitonaddress.spi.AbstractWaitOnAddress;
import dev.waitonaddress.spi.Outcome;

/** The {@code macos-ulock} backend. Its binding is not written yet: it reports itself unavailable. */
public final class MacOsUlockWaitOnAddress extends AbstractWaitOnAddress {
    private static final Capabilities NOTHING = Capabilities.builder().build();

    /** Made by {@link java.util.ServiceLoader}. */
    public MacOsUlockWaitOnAddress() {
        super("macos-ulock", 50, new UnsupportedOperationException("the macos-ulock binding (macOS 10.15+) is not implemented yet"));
    }

    @Override
    public Capabilities capabilities() {
        return NOTHING;
    }

    @Override
    protected Outcome waitNative(long address, Width width, long expected, Scope scope, boolean timed,
            long deadlineNanoTime) {
        throw new AssertionError("unavailable");
    }

    @Override
    protected int wakeNative(long address, Width width, Scope scope, int count) {
        throw new AssertionError("unavailable");
    }
}
