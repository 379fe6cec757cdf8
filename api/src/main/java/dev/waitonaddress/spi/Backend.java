package dev.waitonaddress.spi;

/**
 * What an operating-system module provides: a translation table from the library's calls to the
 * OS's own, found by {@link java.util.ServiceLoader} and composed with the library's policy, which
 * turns it into a {@code dev.waitonaddress.WaitOnAddress}.
 *
 * <p>A backend does no policy. It does not check arguments, compute deadlines, retry, re-read
 * words, split time-outs, build {@code wake(n)} from single wakes, emulate widths or handle
 * interrupts: the policy does all of that, reading {@link #traits()}. A backend makes one OS call
 * per method and classifies the OS's answer, in one exhaustive switch per call over every result
 * code the OS documents.
 *
 * <p>The package depends on nothing of the library's public API, so arguments are primitive:
 * {@code bytes} is the word's width (1, 2, 4 or 8), {@code shared} is true for a wait across
 * processes. The raw calls receive checked arguments only: a non-zero address aligned to
 * {@code bytes}, a width in {@link Traits#nativeWidths()}, {@code shared} only where
 * {@link Traits#shared()}, counts in range. Every method may be called from many threads at once
 * and must be thread-safe. An OS answer that no rule expects is thrown as an
 * {@link OsCallException} (see {@link OsError#unexpected}).
 *
 * <p>The library's {@code WaitOnAddress} over a backend prints as its name and
 * {@link #binding()}, the one diagnostic a backend gives (what it is bound to, and why a feature
 * is missing here).
 *
 * <p>The service constructor must not throw: binding and probing happen there, and a failure is
 * reported by {@link #unavailabilityCause()} ({@link NativeBinding#probe} does this in one line).
 */
public interface Backend {
    /** {@link #wake} result: the OS does not say how many it woke. */
    int COUNT_UNKNOWN = -1;
    /** {@link #requeue} result: the word at {@code from} did not hold {@code expected}. */
    int REQUEUE_MISMATCH = -2;
    /** {@link #awaitAny} result: the OS says its time-out passed (the policy re-checks the deadline). */
    int ANY_TIMED_OUT = -1;
    /** {@link #awaitAny} result: cut short (a signal); the policy calls again. */
    int ANY_RETRY = -2;
    /** {@link #awaitAny} result: some word differed and the OS does not say which; the policy reads them. */
    int ANY_CHANGED = -3;

    /** {@return the backend's name, e.g. {@code "linux-futex"}; stable, used to force it} */
    String name();

    /** {@return the rank used to pick the system backend; higher wins (native backends 100, portable 0)} */
    int priority();

    /** {@return why the backend cannot run in this process, or null when it can; decided once} */
    Throwable unavailabilityCause();

    /** {@return what the OS does and how its calls behave, for the policy to adapt to} */
    Traits traits();

    /**
     * What the backend is bound to, e.g. {@code "libc"} or an override's path, and why a feature
     * is missing here.
     *
     * @return the description; empty if there is nothing to say
     */
    default String binding() {
        return "";
    }

    /**
     * One wait call: sleep while the {@code bytes}-wide value at {@code address} equals {@code expected}.
     *
     * @param address the word
     * @param bytes its width
     * @param expected the expected value, sign-extended from {@code bytes}
     * @param shared whether the wait is across processes
     * @param timed whether {@code timeout} applies; false waits without a time-out
     * @param timeout when timed: in the form of {@link Traits#timeouts()}, already bounded by
     *     {@link Traits#maxTimeout()}; a poll passes {@link Traits#pollTimeout()}
     * @return what the OS answered, classified
     * @throws UnsupportedOperationException by default: a backend with no native width (the
     *     policy calls this only for widths in {@link Traits#nativeWidths()})
     */
    default Outcome await(long address, int bytes, long expected, boolean shared, boolean timed, long timeout) {
        throw new UnsupportedOperationException(name() + " has no native width");
    }

    /**
     * A compare without sleeping, for OSes whose {@link Traits#pollByCall()} is true.
     *
     * @param address the word
     * @param bytes its width
     * @param expected the expected value, sign-extended from {@code bytes}
     * @param shared whether the word is compared as a cross-process word
     * @return {@link Outcome#MISMATCH} if the value differs, {@link Outcome#TIMED_OUT} if it equals
     *     {@code expected}, or {@link Outcome#FAULT}
     */
    default Outcome poll(long address, int bytes, long expected, boolean shared) {
        throw new UnsupportedOperationException(name() + " has no poll call");
    }

    /**
     * One wake call; never reads or writes the memory.
     *
     * @param address the word
     * @param bytes its width
     * @param shared whether the waiters wait across processes
     * @param count 1 to {@code Integer.MAX_VALUE} (every waiter); only 1 or {@code Integer.MAX_VALUE}
     *     where {@link Traits#singleWakes()}
     * @return how many were woken, {@link #COUNT_UNKNOWN}, or 0 when the OS said nobody waits
     * @throws UnsupportedOperationException by default: a backend with no native width
     */
    default int wake(long address, int bytes, boolean shared, int count) {
        throw new UnsupportedOperationException(name() + " has no native width");
    }

    /**
     * One wait on several words; called only where {@link Traits#maxAwaitAny()} is positive, with
     * every word of a native width.
     *
     * @param count how many words; the arrays may be longer
     * @param addresses the words
     * @param bytes their widths
     * @param expected their expected values, sign-extended
     * @param shared whether each is a cross-process word
     * @param timed whether {@code timeout} applies
     * @param timeout as for {@link #await}
     * @return the index woken, {@link #ANY_TIMED_OUT}, {@link #ANY_RETRY} or {@link #ANY_CHANGED}
     */
    default int awaitAny(int count, long[] addresses, int[] bytes, long[] expected, boolean[] shared,
            boolean timed, long timeout) {
        throw new UnsupportedOperationException(name() + " has no native awaitAny");
    }

    /**
     * One requeue call on 32-bit words; called only where {@link Traits#requeue()}. Where
     * {@link Traits#compareRequeue()} is false, {@code expected} is ignored (the policy compared
     * before the call).
     *
     * @param from the word whose waiters are woken or moved
     * @param to the word they are moved to
     * @param shared whether the words are cross-process words
     * @param expected the value {@code from} must hold
     * @param wakeCount how many to wake, 0 or more
     * @param requeueCount how many more to move, 0 or more
     * @return woken plus moved, or {@link #REQUEUE_MISMATCH}
     */
    default int requeue(long from, long to, boolean shared, int expected, int wakeCount, int requeueCount) {
        throw new UnsupportedOperationException(name() + " has no requeue");
    }

    /**
     * One wake-op call on 32-bit words (Linux {@code FUTEX_WAKE_OP}); called only where
     * {@link Traits#wakeOp()}.
     *
     * @param wakeAddress the word whose waiters are woken
     * @param opAddress the word the operation changes
     * @param shared whether the words are cross-process words
     * @param wakeCount how many waiters of {@code wakeAddress} to wake
     * @param opWakeCount how many waiters of {@code opAddress} to wake if the comparison holds
     * @param encodedOp the operation, encoded as Linux encodes it
     * @return how many were woken in all
     */
    default int wakeOp(long wakeAddress, long opAddress, boolean shared, int wakeCount, int opWakeCount,
            int encodedOp) {
        throw new UnsupportedOperationException(name() + " has no wakeOp");
    }
}
