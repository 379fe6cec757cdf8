package dev.waitonaddress.spi;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What an OS does and how its wait and wake calls behave: the data the policy reads to adapt to
 * them, so that no backend carries code for it. Immutable; made with {@link #builder()}.
 *
 * <ul>
 * <li><b>What the OS does</b>: the widths it compares and sleeps on ({@link #nativeWidths()});
 *     whether it waits across processes ({@link #shared()}); a native wait on several words
 *     ({@link #maxAwaitAny()}), requeue with or without a compare, wake-op; whether a wake reports
 *     how many it woke. The policy emulates every other width in-process (PRIVATE only) and
 *     {@code awaitAny} where it is not native, and refuses the rest.
 * <li><b>Time-outs</b>: relative in a unit ({@link #timeouts()} is {@link Timeouts#RELATIVE}), the
 *     policy rounding up so a time-out is never early and splitting any longer than
 *     {@link #maxTimeout()} into several calls; or an absolute deadline on the clock of
 *     {@link System#nanoTime()} ({@link Timeouts#ABSOLUTE_NANO_TIME}).
 * <li><b>Polls</b> (a time-out of zero): by passing {@link #pollTimeout()} to the wait call
 *     (some OSes read 0 as "forever" or "invalid", so it may be the smallest time-out), or by a
 *     compare call of its own ({@link #pollByCall()}, {@link Backend#poll}).
 * <li><b>Ambiguous success</b>: the wait call returns the same success for "woken" and "the value
 *     differed"; the policy re-reads the word to tell them apart, and never reports a poll whose
 *     value still equals the expected one as woken.
 * <li><b>Single wakes</b>: the OS wakes one or all, never n, and does not count; the policy builds
 *     {@code wake(n)} from single wakes, stopping at a wake that reports nobody, and wakes all for
 *     n above {@link #maxSingleWakes()}.
 * <li><b>Faults</b>: how often a wait whose word the OS could not read is tried again, and the
 *     code reported when it keeps failing.
 * </ul>
 */
public final class Traits {
    /** How a wait call takes its time-out. */
    public enum Timeouts {
        /** Time left, in {@link Traits#timeoutUnit()}, at most {@link Traits#maxTimeout()}. */
        RELATIVE,
        /** The deadline itself, in nanoseconds on the clock of {@link System#nanoTime()}, never negative. */
        ABSOLUTE_NANO_TIME
    }

    private final int nativeWidths;
    private final boolean shared;
    private final int maxAwaitAny;
    private final boolean requeue;
    private final boolean compareRequeue;
    private final boolean wakeOp;
    private final boolean wakeCountReported;
    private final Timeouts timeouts;
    private final TimeUnit timeoutUnit;
    private final long maxTimeout;
    private final long pollTimeout;
    private final boolean pollByCall;
    private final boolean ambiguousSuccess;
    private final boolean singleWakes;
    private final boolean timeoutMayTakeWake;
    private final int maxSingleWakes;
    private final int faultRetries;
    private final int faultCode;
    private final String faultName;

    private Traits(Builder b) {
        this.nativeWidths = b.nativeWidths;
        this.shared = b.shared;
        this.maxAwaitAny = b.maxAwaitAny;
        this.requeue = b.requeue || b.compareRequeue;
        this.compareRequeue = b.compareRequeue;
        this.wakeOp = b.wakeOp;
        this.wakeCountReported = b.wakeCountReported;
        this.timeouts = b.timeouts;
        this.timeoutUnit = b.timeoutUnit;
        this.maxTimeout = b.maxTimeout;
        this.pollTimeout = b.pollTimeout;
        this.pollByCall = b.pollByCall;
        this.ambiguousSuccess = b.ambiguousSuccess;
        this.singleWakes = b.singleWakes;
        this.timeoutMayTakeWake = b.timeoutMayTakeWake;
        this.maxSingleWakes = b.maxSingleWakes;
        this.faultRetries = b.faultRetries;
        this.faultCode = b.faultCode;
        this.faultName = b.faultName;
    }

    /**
     * Starts the traits of an OS that does nothing natively: no native width, no SHARED scope, no
     * awaitAny, requeue or wake-op; relative nanosecond time-outs up to {@code Long.MAX_VALUE},
     * polls by a time-out of 0, no fault retries.
     *
     * @return a new builder with those settings
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Tells whether the OS compares and sleeps on words of {@code bytes} bytes itself.
     *
     * @param bytes a width: 1, 2, 4 or 8
     * @return whether the OS compares and sleeps on words of that width
     */
    public boolean isNative(int bytes) {
        return (nativeWidths & bytes) != 0 && Integer.bitCount(bytes) == 1 && bytes <= 8;
    }

    /** {@return the native widths as a bit set of byte counts (bit 1, 2, 4, 8)} */
    public int nativeWidths() {
        return nativeWidths;
    }

    /** {@return whether the native widths wait across processes (SHARED scope)} */
    public boolean shared() {
        return shared;
    }

    /** {@return how many words one native awaitAny call takes; 0 where the OS has none} */
    public int maxAwaitAny() {
        return maxAwaitAny;
    }

    /** {@return whether the OS moves waiters from one 32-bit word to another} */
    public boolean requeue() {
        return requeue;
    }

    /** {@return whether its requeue compares the source word atomically with the move} */
    public boolean compareRequeue() {
        return compareRequeue;
    }

    /** {@return whether the OS has Linux's {@code FUTEX_WAKE_OP}} */
    public boolean wakeOp() {
        return wakeOp;
    }

    /** {@return whether a native wake reports how many it woke} */
    public boolean wakeCountReported() {
        return wakeCountReported;
    }

    /** {@return how a wait call takes its time-out} */
    public Timeouts timeouts() {
        return timeouts;
    }

    /** {@return the unit of a relative time-out} */
    public TimeUnit timeoutUnit() {
        return timeoutUnit;
    }

    /** {@return the longest relative time-out one call takes, in {@link #timeoutUnit()}} */
    public long maxTimeout() {
        return maxTimeout;
    }

    /** {@return the time-out passed for a poll, in {@link #timeoutUnit()} (unused when {@link #pollByCall()})} */
    public long pollTimeout() {
        return pollTimeout;
    }

    /** {@return whether a poll is {@link Backend#poll}, a compare call of its own} */
    public boolean pollByCall() {
        return pollByCall;
    }

    /** {@return whether a successful wait may also mean "the value differed"} */
    public boolean ambiguousSuccess() {
        return ambiguousSuccess;
    }

    /** {@return whether the OS wakes only one or all, so {@code wake(n)} is built from single wakes} */
    public boolean singleWakes() {
        return singleWakes;
    }

    /**
     * Whether a single wake can pick a waiter whose time-out is expiring, which then reports a
     * time-out while the wake is used up (Windows). The policy then passes one wake on after every
     * time-out, at the price of at most one spurious wake-up.
     *
     * @return whether a waiter that is timing out can use up a single wake
     */
    public boolean timeoutMayTakeWake() {
        return timeoutMayTakeWake;
    }

    /** {@return the largest n that {@code wake(n)} builds from single wakes; above it, it wakes all} */
    public int maxSingleWakes() {
        return maxSingleWakes;
    }

    /** {@return how often a wait answering {@link Outcome#FAULT} is tried again before it is an error} */
    public int faultRetries() {
        return faultRetries;
    }

    /** {@return the OS code reported when a wait keeps answering {@link Outcome#FAULT}} */
    public int faultCode() {
        return faultCode;
    }

    /** {@return the symbolic name of {@link #faultCode()}} */
    public String faultName() {
        return faultName;
    }

    @Override
    public String toString() {
        return "Traits[native widths " + nativeWidths + (shared ? ", shared" : "")
                + (maxAwaitAny > 0 ? ", awaitAny of " + maxAwaitAny : "")
                + (compareRequeue ? ", compare-requeue" : requeue ? ", requeue" : "") + (wakeOp ? ", wakeOp" : "")
                + (wakeCountReported ? ", wake counts" : "") + ", " + (timeouts == Timeouts.RELATIVE ? "relative " + timeoutUnit + " up to " + maxTimeout
                : "absolute nanoTime deadlines")
                + (pollByCall ? ", poll by call" : ", poll with time-out " + pollTimeout)
                + (ambiguousSuccess ? ", ambiguous success" : "")
                + (singleWakes ? ", single wakes up to " + maxSingleWakes : "")
                + (timeoutMayTakeWake ? ", a time-out may take a wake" : "")
                + ", " + faultRetries + " fault retries (" + faultName + ")]";
    }

    /** Builds {@link Traits}. */
    public static final class Builder {
        private int nativeWidths;
        private boolean shared;
        private int maxAwaitAny;
        private boolean requeue;
        private boolean compareRequeue;
        private boolean wakeOp;
        private boolean wakeCountReported;
        private Timeouts timeouts = Timeouts.RELATIVE;
        private TimeUnit timeoutUnit = TimeUnit.NANOSECONDS;
        private long maxTimeout = Long.MAX_VALUE;
        private long pollTimeout;
        private boolean pollByCall;
        private boolean ambiguousSuccess;
        private boolean singleWakes;
        private boolean timeoutMayTakeWake;
        private int maxSingleWakes = Integer.MAX_VALUE;
        private int faultRetries;
        private int faultCode = 14;
        private String faultName = "EFAULT";

        private Builder() {
        }

        /**
         * Sets the widths the OS compares and sleeps on itself, replacing any set before.
         *
         * @param bytes the widths the OS compares and sleeps on: each 1, 2, 4 or 8
         * @return this
         */
        public Builder nativeWidths(int... bytes) {
            int set = 0;
            for (int b : bytes) {
                if (b != 1 && b != 2 && b != 4 && b != 8) {
                    throw new IllegalArgumentException("width " + b + " is not 1, 2, 4 or 8 bytes");
                }
                set |= b;
            }
            this.nativeWidths = set;
            return this;
        }

        /**
         * Sets whether the native widths also wait across processes (SHARED scope).
         *
         * @param shared whether the native widths wait across processes
         * @return this
         */
        public Builder shared(boolean shared) {
            this.shared = shared;
            return this;
        }

        /**
         * Sets how many words one native awaitAny call takes; 0, the default, for an OS without
         * one.
         *
         * @param max how many words one native awaitAny call takes (0: none)
         * @return this
         */
        public Builder awaitAny(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("awaitAny maximum " + max + " < 0");
            }
            this.maxAwaitAny = max;
            return this;
        }

        /**
         * Marks the OS as one that moves waiters from one 32-bit word to another (requeue).
         *
         * @param compares whether the requeue compares the source word atomically (else the
         *     policy compares before the call, and documents that it is not atomic)
         * @return this
         */
        public Builder requeue(boolean compares) {
            this.requeue = true;
            this.compareRequeue = compares;
            return this;
        }

        /**
         * Marks the OS as one with Linux's {@code FUTEX_WAKE_OP}.
         *
         * @return this
         */
        public Builder wakeOp() {
            this.wakeOp = true;
            return this;
        }

        /**
         * Marks the OS as one whose native wake reports how many waiters it woke.
         *
         * @return this
         */
        public Builder wakeCountReported() {
            this.wakeCountReported = true;
            return this;
        }

        /**
         * Relative time-outs.
         *
         * @param unit the unit the OS takes
         * @param max the longest finite time-out one call takes, in {@code unit}, at least 1
         * @return this
         */
        public Builder relativeTimeouts(TimeUnit unit, long max) {
            if (max < 1) {
                throw new IllegalArgumentException("max time-out " + max + " < 1");
            }
            this.timeouts = Timeouts.RELATIVE;
            this.timeoutUnit = Objects.requireNonNull(unit, "unit");
            this.maxTimeout = max;
            return this;
        }

        /**
         * Makes a wait call take an absolute deadline on the {@link System#nanoTime()} clock
         * instead of a relative time-out.
         *
         * @return this
         */
        public Builder absoluteNanoTimeDeadlines() {
            this.timeouts = Timeouts.ABSOLUTE_NANO_TIME;
            this.timeoutUnit = TimeUnit.NANOSECONDS;
            this.maxTimeout = Long.MAX_VALUE;
            return this;
        }

        /**
         * Makes a poll a wait call with this time-out, instead of a call to {@link Backend#poll}.
         *
         * @param timeout the time-out a poll passes, in the time-out unit (0, or 1 where 0 means
         *     "forever" or "invalid" to the OS)
         * @return this
         */
        public Builder pollTimeout(long timeout) {
            this.pollTimeout = timeout;
            this.pollByCall = false;
            return this;
        }

        /**
         * Makes a poll a call to {@link Backend#poll}, a compare of its own, instead of a wait with
         * a time-out.
         *
         * @return this
         */
        public Builder pollByCall() {
            this.pollByCall = true;
            return this;
        }

        /**
         * Marks the OS as one whose successful wait may also mean "the value differed".
         *
         * @return this
         */
        public Builder ambiguousSuccess() {
            this.ambiguousSuccess = true;
            return this;
        }

        /**
         * Marks the OS as one that wakes one waiter or all of them, so that the policy builds
         * {@code wake(n)} from single wakes.
         *
         * @param max above this n, {@code wake(n)} wakes all instead of n single wakes
         * @return this
         */
        public Builder singleWakes(int max) {
            this.singleWakes = true;
            this.maxSingleWakes = max;
            return this;
        }

        /**
         * Marks the OS as one whose single wake can be used up by a waiter that is timing out (see
         * {@link Traits#timeoutMayTakeWake()}).
         *
         * @return this
         */
        public Builder timeoutMayTakeWake() {
            this.timeoutMayTakeWake = true;
            return this;
        }

        /**
         * Sets what happens to a wait that answers {@link Outcome#FAULT}: it is called again
         * {@code retries} times, then reported as an error with this code.
         *
         * @param retries how often a faulting wait is called again
         * @param code the OS code reported when it keeps faulting
         * @param name its symbolic name
         * @return this
         */
        public Builder faults(int retries, int code, String name) {
            this.faultRetries = retries;
            this.faultCode = code;
            this.faultName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Builds the traits from this builder's settings; the builder can go on being used.
         *
         * @return the traits, immutable
         */
        public Traits build() {
            return new Traits(this);
        }
    }
}
