package dev.waitonaddress.spi;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * How an OS's wait and wake calls behave: the data the policy reads to adapt to them, so that no
 * backend carries code for it. Immutable; made with {@link #builder()}.
 *
 * <ul>
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

    private final Timeouts timeouts;
    private final TimeUnit timeoutUnit;
    private final long maxTimeout;
    private final long pollTimeout;
    private final boolean pollByCall;
    private final boolean ambiguousSuccess;
    private final boolean singleWakes;
    private final int maxSingleWakes;
    private final int faultRetries;
    private final int faultCode;
    private final String faultName;

    private Traits(Builder b) {
        this.timeouts = b.timeouts;
        this.timeoutUnit = b.timeoutUnit;
        this.maxTimeout = b.maxTimeout;
        this.pollTimeout = b.pollTimeout;
        this.pollByCall = b.pollByCall;
        this.ambiguousSuccess = b.ambiguousSuccess;
        this.singleWakes = b.singleWakes;
        this.maxSingleWakes = b.maxSingleWakes;
        this.faultRetries = b.faultRetries;
        this.faultCode = b.faultCode;
        this.faultName = b.faultName;
    }

    /** @return a builder: relative nanosecond time-outs up to {@code Long.MAX_VALUE}, poll by 0, nothing else */
    public static Builder builder() {
        return new Builder();
    }

    /** @return how a wait call takes its time-out */
    public Timeouts timeouts() {
        return timeouts;
    }

    /** @return the unit of a relative time-out */
    public TimeUnit timeoutUnit() {
        return timeoutUnit;
    }

    /** @return the longest relative time-out one call takes, in {@link #timeoutUnit()} */
    public long maxTimeout() {
        return maxTimeout;
    }

    /** @return the time-out passed for a poll, in {@link #timeoutUnit()} (unused when {@link #pollByCall()}) */
    public long pollTimeout() {
        return pollTimeout;
    }

    /** @return whether a poll is {@link Backend#poll}, a compare call of its own */
    public boolean pollByCall() {
        return pollByCall;
    }

    /** @return whether a successful wait may also mean "the value differed" */
    public boolean ambiguousSuccess() {
        return ambiguousSuccess;
    }

    /** @return whether the OS wakes only one or all, so {@code wake(n)} is built from single wakes */
    public boolean singleWakes() {
        return singleWakes;
    }

    /** @return above this n, {@code wake(n)} from single wakes wakes all instead */
    public int maxSingleWakes() {
        return maxSingleWakes;
    }

    /** @return how often a wait answering {@link Outcome#FAULT} is tried again before it is an error */
    public int faultRetries() {
        return faultRetries;
    }

    /** @return the OS code reported when a wait keeps answering {@link Outcome#FAULT} */
    public int faultCode() {
        return faultCode;
    }

    /** @return the symbolic name of {@link #faultCode()} */
    public String faultName() {
        return faultName;
    }

    @Override
    public String toString() {
        return "Traits[" + (timeouts == Timeouts.RELATIVE ? "relative " + timeoutUnit + " up to " + maxTimeout
                : "absolute nanoTime deadlines")
                + (pollByCall ? ", poll by call" : ", poll with time-out " + pollTimeout)
                + (ambiguousSuccess ? ", ambiguous success" : "")
                + (singleWakes ? ", single wakes up to " + maxSingleWakes : "")
                + ", " + faultRetries + " fault retries (" + faultName + ")]";
    }

    /** Builds {@link Traits}. */
    public static final class Builder {
        private Timeouts timeouts = Timeouts.RELATIVE;
        private TimeUnit timeoutUnit = TimeUnit.NANOSECONDS;
        private long maxTimeout = Long.MAX_VALUE;
        private long pollTimeout;
        private boolean pollByCall;
        private boolean ambiguousSuccess;
        private boolean singleWakes;
        private int maxSingleWakes = Integer.MAX_VALUE;
        private int faultRetries;
        private int faultCode = 14;
        private String faultName = "EFAULT";

        private Builder() {
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

        /** @return this, with absolute deadlines on the {@link System#nanoTime()} clock */
        public Builder absoluteNanoTimeDeadlines() {
            this.timeouts = Timeouts.ABSOLUTE_NANO_TIME;
            this.timeoutUnit = TimeUnit.NANOSECONDS;
            this.maxTimeout = Long.MAX_VALUE;
            return this;
        }

        /**
         * @param timeout the time-out a poll passes, in the time-out unit (0, or 1 where 0 means
         *     "forever" or "invalid" to the OS)
         * @return this
         */
        public Builder pollTimeout(long timeout) {
            this.pollTimeout = timeout;
            this.pollByCall = false;
            return this;
        }

        /** @return this, with polls going to {@link Backend#poll} */
        public Builder pollByCall() {
            this.pollByCall = true;
            return this;
        }

        /** @return this, for an OS whose successful wait may mean "the value differed" */
        public Builder ambiguousSuccess() {
            this.ambiguousSuccess = true;
            return this;
        }

        /**
         * @param max above this n, {@code wake(n)} wakes all instead of n single wakes
         * @return this, for an OS that wakes one or all
         */
        public Builder singleWakes(int max) {
            this.singleWakes = true;
            this.maxSingleWakes = max;
            return this;
        }

        /**
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

        /** @return the traits */
        public Traits build() {
            return new Traits(this);
        }
    }
}
