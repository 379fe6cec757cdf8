package dev.waitonaddress;

import com.sun.jna.Pointer;
import dev.waitonaddress.internal.Checks;
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
     * Describes a word to wait on: sleep while the {@code width}-wide value at {@code address}
     * equals {@code expected}.
     *
     * @param address the word's address, non-zero and aligned to {@code width}
     * @param width the word's width
     * @param expected the value to sleep on, signed or unsigned within {@code width}
     * @param scope PRIVATE or SHARED
     * @throws NullPointerException if any reference is null
     * @throws IllegalArgumentException if the address is 0 or misaligned, a JNA {@code Memory}
     *     smaller than the word, or {@code expected} is out of range for {@code width}
     */
    public WaitTarget(Pointer address, Width width, long expected, Scope scope) {
        Checks.address(address, Objects.requireNonNull(width, "width").bytes());
        Checks.expected(width.bytes(), expected);
        this.address = address;
        this.width = width;
        this.expected = expected;
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    /**
     * Shorthand for a 32-bit target.
     *
     * @param address the word's address, non-zero and aligned to 4
     * @param expected the value to sleep on
     * @param scope PRIVATE or SHARED
     * @return the target
     * @throws NullPointerException if any reference is null
     * @throws IllegalArgumentException if the address is 0 or misaligned
     */
    public static WaitTarget ofInt(Pointer address, int expected, Scope scope) {
        return new WaitTarget(address, Width.INT32, expected, scope);
    }

    /** {@return the word's address} */
    public Pointer address() {
        return address;
    }

    /** {@return the word's width} */
    public Width width() {
        return width;
    }

    /** {@return the value to sleep on, as given} */
    public long expected() {
        return expected;
    }

    /** {@return the word's scope} */
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
