package dev.waitonaddress.spi;

/** What one wait call answered, as a backend classifies it for the policy. */
public enum Outcome {
    /**
     * The call returned as woken. Where {@link Traits#ambiguousSuccess()} it may also mean the
     * value differed; the policy re-reads the word.
     */
    WOKEN,
    /** The value differed from the expected one; nothing slept. */
    MISMATCH,
    /** The OS says its time-out expired; the policy re-checks the deadline and may call again. */
    TIMED_OUT,
    /** The call was cut short (a signal, a transient shortage): the policy calls again, same deadline. */
    RETRY,
    /**
     * The OS could not read the word. The policy calls again up to {@link Traits#faultRetries()}
     * times, then throws a {@code WaitOnAddressException} with
     * {@link Traits#faultCode()}.
     */
    FAULT
}
