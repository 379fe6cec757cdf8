package dev.waitonaddress.spi;

/** What one native wait call reported, as a backend translates it for the policy. */
public enum Outcome {
    /** The thread slept and was woken (perhaps spuriously). */
    WOKEN,
    /** The value differed from the expected one. */
    MISMATCH,
    /** The OS reported its time-out expired; the policy re-checks the deadline. */
    TIMED_OUT,
    /** The call was cut short (EINTR and the like): the policy calls again with the same deadline. */
    RETRY
}
