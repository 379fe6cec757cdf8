package dev.waitonaddress.internal;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Deadlines on the clock of {@link System#nanoTime()}, written once for every engine of the
 * library. A deadline is one {@code long}: an absolute nanoTime, or {@link #NEVER}. Deadlines are
 * compared as plain signed numbers (no wrap-around) and every sum saturates, so
 * {@code Long.MIN_VALUE} is long past and {@link #NEVER} never comes.
 */
public final class Deadlines {
    /** Time-outs longer than this (2<sup>62</sup> ns, 146 years) wait forever. */
    public static final long FOREVER_NANOS = 1L << 62;

    /** The deadline of a wait without a time-out. */
    public static final long NEVER = Long.MAX_VALUE;

    private Deadlines() {
    }

    /**
     * Turns a time-out into a deadline.
     *
     * @param timeout a time-out; zero or less asks for a poll
     * @param unit its unit
     * @return the deadline {@code timeout} from now, or {@link #NEVER} for a time-out longer than
     *     {@link #FOREVER_NANOS}
     * @throws NullPointerException if {@code unit} is null
     */
    public static long of(long timeout, TimeUnit unit) {
        long nanos = Objects.requireNonNull(unit, "unit").toNanos(timeout); // saturates
        long now = System.nanoTime();
        return nanos > FOREVER_NANOS ? NEVER : saturatedAdd(now, Math.max(0, nanos));
    }

    /**
     * Tells how long there is until a deadline, in nanoseconds.
     *
     * @param deadline a deadline
     * @return nanoseconds left until it, 0 once it has passed, {@code Long.MAX_VALUE} for {@link #NEVER}
     */
    public static long remaining(long deadline) {
        if (deadline == NEVER) {
            return Long.MAX_VALUE;
        }
        long now = System.nanoTime();
        if (deadline <= now) {
            return 0;
        }
        long remaining = deadline - now;
        return remaining < 0 ? Long.MAX_VALUE : remaining; // the difference overflowed
    }

    /**
     * Tells whether a deadline has passed.
     *
     * @param deadline a deadline
     * @return whether it has passed; never for {@link #NEVER}
     */
    public static boolean passed(long deadline) {
        return remaining(deadline) == 0;
    }

    /**
     * Converts nanoseconds to a coarser unit, rounding up so that a time-out is never early.
     *
     * @param nanos a positive number of nanoseconds
     * @param unit the unit to express it in
     * @param max the largest value to return, at least 1
     * @return {@code nanos} in {@code unit}, rounded up (so a time-out is never early), at most {@code max}
     */
    public static long roundUp(long nanos, TimeUnit unit, long max) {
        long one = unit.toNanos(1);
        long whole = nanos / one + (nanos % one == 0 ? 0 : 1);
        return Math.min(whole, max);
    }

    /**
     * Adds two numbers, saturating instead of overflowing.
     *
     * @param a a number
     * @param b another
     * @return {@code a + b}, saturated at {@code Long.MIN_VALUE} and {@code Long.MAX_VALUE}
     */
    public static long saturatedAdd(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }
}
