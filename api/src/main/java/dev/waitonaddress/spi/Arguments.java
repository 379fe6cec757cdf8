package dev.waitonaddress.spi;

import com.sun.jna.Pointer;
import dev.waitonaddress.Width;
import java.util.Objects;

/**
 * The argument checks of the public API, in one place, with the messages users see. Every
 * method throws {@link NullPointerException} for a null reference and
 * {@link IllegalArgumentException} naming the bad value.
 */
public final class Arguments {
    private Arguments() {
    }

    /**
     * @return the address as a number, checked to be non-zero and aligned to {@code width}
     */
    public static long checkAddress(Pointer address, Width width) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(width, "width");
        long a = Pointer.nativeValue(address);
        if (a == 0) {
            throw new IllegalArgumentException("address is 0 (NULL)");
        }
        if ((a & (width.bytes() - 1)) != 0) {
            throw new IllegalArgumentException("address 0x" + Long.toHexString(a) + " is not aligned to "
                    + width.bytes() + " bytes, as " + width + " needs");
        }
        return a;
    }

    /** Checks that {@code expected} is a signed or unsigned value of {@code width}. */
    public static void checkExpected(Width width, long expected) {
        if (!width.accepts(expected)) {
            throw new IllegalArgumentException("expected " + expected + " is neither a signed nor an unsigned "
                    + width + " value (" + width.minValue() + ".." + width.maxValue() + ")");
        }
    }

    /** Checks that {@code count} is at least {@code min}. */
    public static void checkCount(String name, int count, int min) {
        if (count < min) {
            throw new IllegalArgumentException(name + " " + count + " is below " + min);
        }
    }

    /**
     * @return the time-out in nanoseconds, saturated at {@code Long.MAX_VALUE}
     */
    public static long toNanos(long timeout, java.util.concurrent.TimeUnit unit) {
        return Objects.requireNonNull(unit, "unit").toNanos(timeout);
    }
}
