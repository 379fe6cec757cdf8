package dev.waitonaddress;

import com.sun.jna.Pointer;
import dev.waitonaddress.spi.Arguments;
import java.util.Objects;

/**
 * One word of an {@link WaitOnAddress#awaitAny(java.util.List) awaitAny}: its address, width,
 * the value it is expected to hold, and its scope. Immutable; validated when made.
 */
public final class WaitTarget {
    private final Pointer address;
    private final Width width;
    private final long expected;
    private final Scope scope;

    /**
     * @param address the word's address, non-zero and aligned to {@code width}
     * @param width the word's width
     * @param expected the value to sleep on, signed or unsigned within {@code width}
     * @param scope PRIVATE or SHARED
     * @throws NullPointerException if any reference is null
     * @throws IllegalArgumentException if the address is 0 or misaligned, or {@code expected} is
     *     out of range for {@code width}
     */
    public WaitTarget(Pointer address, Width width, long expected, Scope scope) {
        Arguments.checkAddress(address, width);
        Arguments.checkExpected(width, expected);
        this.address = address;
        this.width = width;
        this.expected = expected;
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    /** Shorthand for a 32-bit target. */
    public static WaitTarget ofInt(Pointer address, int expected, Scope scope) {
        return new WaitTarget(address, Width.INT32, expected, scope);
    }

    public Pointer address() {
        return address;
    }

    public Width width() {
        return width;
    }

    public long expected() {
        return expected;
    }

    public Scope scope() {
        return scope;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof WaitTarget)) {
            return false;
        }
        WaitTarget t = (WaitTarget) o;
        return address.equals(t.address) && width == t.width && expected == t.expected && scope == t.scope;
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, width, expected, scope);
    }

    @Override
    public String toString() {
        return "WaitTarget[" + address + ", " + width + ", expected=" + expected + ", " + scope + "]";
    }
}
