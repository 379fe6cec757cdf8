package dev.waitonaddress;

/** How an {@code await} ended. */
public enum WaitResult {
    /**
     * The thread slept and was woken. The wake-up may be spurious: the value may still equal
     * {@code expected}. Callers re-check the value and wait again if needed.
     */
    WOKEN,
    /** The value differed from {@code expected}, so the thread did not sleep. */
    MISMATCH,
    /** The deadline passed. Never returned before the deadline. */
    TIMED_OUT
}
