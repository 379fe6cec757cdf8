package dev.waitonaddress.openbsd;

import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Scope;
import dev.waitonaddress.Width;
import dev.waitonaddress.spi.AbstractWaitOnAddress;
import dev.waitonaddress.spi.Outcome;

/** The {@code openbsd-futex} backend. Its binding is not written yet: it reports itself unavailable. */
public final class OpenBsdFutexWaitOnAddress extends AbstractWaitOnAddress {
    private static final Capabilities NOTHING = Capabilities.builder().build();

    /** Made by {@link java.util.ServiceLoader}. */
    public OpenBsdFutexWaitOnAddress() {
        super("openbsd-futex", 100, new UnsupportedOperationException("the openbsd-futex binding (OpenBSD) is not implemented yet"));
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
