package dev.waitonaddress.spi;

import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitTarget;
import dev.waitonaddress.WakeOp;
import dev.waitonaddress.Width;
import java.util.List;

/**
 * What an operating system module provides: a translation table from the library's calls to the
 * OS's own, found by {@link java.util.ServiceLoader} and composed with the library's policy, which
 * turns it into a {@link dev.waitonaddress.WaitOnAddress}.
 *
 * <p>A backend does no policy. It does not check arguments, compute deadlines, retry, re-read
 * words, split time-outs, build {@code wake(n)} from single wakes or handle interrupts: the policy
 * does all of that, reading {@link #capabilities()} and {@link #traits()}. A backend makes one OS
 * call per method and classifies the OS's answer, in one exhaustive switch per call over every
 * result code the OS documents.
 *
 * <p>The raw calls receive checked arguments only: a non-zero address aligned to {@code width},
 * a width in {@link Capabilities#nativeWidths()}, a scope the backend supports for it, counts in
 * range. Every method is called from any thread at once and must be thread-safe. An OS answer
 * that no rule expects is thrown as a {@link dev.waitonaddress.WaitOnAddressException}.
 *
 * <p>The service constructor (or {@code provider()} method) must not throw: probing and binding
 * happen there, and a failure is reported by {@link #unavailabilityCause()}
 * ({@link NativeBinding#probe} does this in one line).
 */
public interface Backend {
    /** {@link #wake} result: the OS does not say how many it woke. */
    int COUNT_UNKNOWN = -1;
    /** {@link #requeue} result: the word at {@code from} did not hold {@code expected}. */
    int REQUEUE_MISMATCH = -2;
    /** {@link #awaitAny} result: the time-out passed (the policy re-checks the deadline). */
    int ANY_TIMED_OUT = -1;
    /** {@link #awaitAny} result: cut short (a signal); the policy calls again. */
    int ANY_RETRY = -2;
    /** {@link #awaitAny} result: some word differed, the OS does not say which; the policy reads them. */
    int ANY_CHANGED = -3;

    /** @return the backend's name, e.g. {@code "linux-futex"}; stable, used to force it */
    String name();

    /** @return the rank used to pick the system backend; higher wins (native backends 100, portable 0) */
    int priority();

    /** @return why the backend cannot run in this process, or null when it can; decided once */
    Throwable unavailabilityCause();

    /** @return what the OS does natively; the policy emulates or refuses the rest */
    Capabilities capabilities();

    /** @return how the OS's calls behave, for the policy to adapt to */
    Traits traits();

    /** @return what the backend is bound to, e.g. {@code "libc"} or an override's path; empty if nothing to say */
    default String binding() {
        return "";
    }

    /**
     * One wait call: sleep while the value at {@code address} equals {@code expected}.
     *
     * @param expected the expected value, sign-extended from {@code width}
     * @param timed whether {@code timeout} applies; false waits without a time-out
     * @param timeout when timed: in the form of {@link Traits#timeouts()}, already bounded by
     *     {@link Traits#maxTimeout()}; a poll passes {@link Traits#pollTimeout()}
     * @return what the OS answered, classified
     */
    Outcome await(long address, Width width, long expected, Scope scope, boolean timed, long timeout);

    /**
     * A compare without sleeping, for OSes whose {@link Traits#pollByCall()} is true.
     *
     * @return {@link Outcome#MISMATCH} if the value differs, {@link Outcome#TIMED_OUT} if it equals
     *     {@code expected}, or {@link Outcome#FAULT}
     */
    default Outcome poll(long address, Width width, long expected, Scope scope) {
        throw new UnsupportedOperationException(name() + " has no poll call");
    }

    /**
     * One wake call; never reads or writes the memory.
     *
     * @param count 1 to {@link dev.waitonaddress.WaitOnAddress#ALL}; only 1 or {@code ALL} where
     *     {@link Traits#singleWakes()}
     * @return how many were woken, {@link #COUNT_UNKNOWN}, or 0 when the OS said nobody waits
     */
    int wake(long address, Width width, Scope scope, int count);

    /**
     * One wait on several words; called only where {@link Capabilities#awaitAny()} is NATIVE, with
     * every target of a native width.
     *
     * @param timeout as for {@link #await}
     * @return the index woken, {@link #ANY_TIMED_OUT}, {@link #ANY_RETRY} or {@link #ANY_CHANGED}
     */
    default int awaitAny(List<WaitTarget> targets, boolean timed, long timeout) {
        throw new UnsupportedOperationException(name() + " has no native awaitAny");
    }

    /**
     * One requeue call; called only where {@link Capabilities#requeue()}. Where
     * {@link Capabilities#compareRequeue()} is false, {@code expected} is ignored (the policy
     * compared before).
     *
     * @return woken plus moved, or {@link #REQUEUE_MISMATCH}
     */
    default int requeue(long from, long to, Scope scope, int expected, int wakeCount, int requeueCount) {
        throw new UnsupportedOperationException(name() + " has no requeue");
    }

    /**
     * One wake-op call; called only where {@link Capabilities#wakeOp()}.
     *
     * @return how many were woken in all
     */
    default int wakeOp(long wakeAddress, long opAddress, Scope scope, int wakeCount, int opWakeCount, WakeOp op) {
        throw new UnsupportedOperationException(name() + " has no wakeOp");
    }
}
