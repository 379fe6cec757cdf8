package dev.waitonaddress;

import com.sun.jna.Pointer;
import dev.waitonaddress.spi.Backends;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Blocks a thread until a word of native memory changes, and wakes it: a futex for the JVM.
 *
 * <p>Implementations (backends) are found by {@link java.util.ServiceLoader}; {@link #system()}
 * picks the best available one. Every method is thread-safe.
 *
 * <h2>Addresses</h2>
 * Every call takes a plain address as a JNA {@link Pointer}. It must be non-zero and aligned to
 * the width. {@code await} needs the address to stay valid for the duration of the call and keeps
 * the {@code Pointer} (and so a JNA {@code Memory} behind it) reachable until it returns.
 * {@code wake} never reads or writes the memory: it is valid to call it after the waiter has woken
 * and freed the word; a fault there means "nobody to wake", never an exception.
 *
 * <h2>Waiting</h2>
 * {@code await} sleeps only while the {@code width}-byte value at the address equals
 * {@code expected}; the compare and the going to sleep are one atomic step with respect to
 * {@code wake}. A wait returns {@link WaitResult#MISMATCH} at once when the value differs,
 * {@link WaitResult#TIMED_OUT} never before its deadline, and {@link WaitResult#WOKEN} otherwise,
 * which may be spurious: re-check the value. A time-out of zero or less polls: it compares and
 * returns without sleeping. Time-outs are measured on the clock of {@link System#nanoTime()};
 * one longer than 2<sup>62</sup> ns (146 years) waits forever.
 *
 * <h2>Interrupts</h2>
 * {@link Thread#interrupt()} ends a blocked wait promptly with {@link InterruptedException}. A wait
 * entered with the interrupt status set throws at once. As in {@code java.util.concurrent}, the
 * exception clears the interrupt status. A wake-up that the interrupted thread may have taken is
 * passed on to another waiter.
 *
 * <h2>Virtual threads</h2>
 * Waits work in virtual threads (wake-ups, time-outs, interrupts), but a wait the OS performs
 * (a native width) is a native call: the virtual thread stays on its carrier until the wait ends,
 * and the JDK does not add a carrier for it. As many long native waits as there are carriers stall
 * every other virtual thread, including the one that would wake them. Waits the library emulates
 * (see {@link Capabilities#emulatedWidths()}) park the virtual thread and free its carrier. Native
 * PRIVATE waits are not moved to the library's parking lot for virtual threads: a waker outside
 * the library (native code waking the same word) would then be missed. Keep long native waits on
 * platform threads.
 *
 * <h2>Refusals</h2>
 * Null arguments throw {@link NullPointerException}; an address of 0, a misaligned address, an
 * {@code expected} outside the signed and unsigned range of the width, or a count below its
 * minimum throw {@link IllegalArgumentException} naming the value; a width, scope or operation
 * the backend cannot do throws {@link UnsupportedOperationException} naming the backend and the
 * capability (see {@link #capabilities()}); an unexpected OS error throws
 * {@link WaitOnAddressException}.
 */
public interface WaitOnAddress {

    /** Wake count meaning "every waiter": {@code Integer.MAX_VALUE}. */
    int ALL = Integer.MAX_VALUE;

    /** The result of {@link #wake} where the OS does not say how many it woke. */
    int COUNT_UNKNOWN = -1;

    /** The result of {@link #requeue} when the word at {@code from} did not hold {@code expected}. */
    int REQUEUE_MISMATCH = -2;

    /** The result of a timed {@link #awaitAny(List, long, TimeUnit) awaitAny} that timed out. */
    int TIMED_OUT = -1;

    /**
     * The best available backend: the one forced by {@code -Ddev.waitonaddress.backend=NAME}, or
     * else the available one of highest {@link #priority()}. Chosen once and cached.
     *
     * @return never null: {@code portable} is always available
     * @throws IllegalStateException if the forced backend is unknown or unavailable; the message
     *     lists every installed backend and why each unavailable one is
     */
    static WaitOnAddress system() {
        return Backends.system();
    }

    /**
     * @return every backend found by {@link java.util.ServiceLoader}, available or not, highest
     *     priority first. A provider that failed to load appears as an unavailable backend whose
     *     {@link #unavailabilityCause()} holds the error.
     */
    static List<WaitOnAddress> installed() {
        return Backends.installed();
    }

    /**
     * @return the backend's name: {@code "linux-futex"}, {@code "windows"}, {@code "macos-os-sync"},
     *     {@code "macos-ulock"}, {@code "openbsd-futex"} or {@code "portable"}
     */
    String name();

    /** @return the rank used by {@link #system()}; higher wins */
    int priority();

    /** @return whether this backend can run in this process */
    boolean isAvailable();

    /** @return why this backend cannot run here; empty when it can */
    Optional<Throwable> unavailabilityCause();

    /** @return what this backend does natively, emulates and refuses */
    Capabilities capabilities();

    /**
     * Sleeps while the value at {@code address} equals {@code expected}, with no time-out.
     *
     * @return {@link WaitResult#WOKEN} (possibly spurious) or {@link WaitResult#MISMATCH}
     * @throws InterruptedException if the thread is interrupted before or while it sleeps
     */
    WaitResult await(Pointer address, Width width, long expected, Scope scope) throws InterruptedException;

    /**
     * Sleeps while the value at {@code address} equals {@code expected}, at most {@code timeout}.
     *
     * @param timeout the longest time to sleep, in {@code unit}; zero or less polls
     * @return WOKEN (possibly spurious), MISMATCH, or TIMED_OUT (never before the time-out)
     * @throws InterruptedException if the thread is interrupted before or while it sleeps
     */
    WaitResult await(Pointer address, Width width, long expected, Scope scope, long timeout, TimeUnit unit)
            throws InterruptedException;

    /**
     * Sleeps while the value at {@code address} equals {@code expected}, until the absolute
     * {@code deadlineNanoTime} on the clock of {@link System#nanoTime()}.
     *
     * @return WOKEN (possibly spurious), MISMATCH, or TIMED_OUT (never before the deadline)
     * @throws InterruptedException if the thread is interrupted before or while it sleeps
     */
    WaitResult awaitUntil(Pointer address, Width width, long expected, Scope scope, long deadlineNanoTime)
            throws InterruptedException;

    /**
     * Wakes up to {@code count} threads waiting on {@code address} with this width and scope.
     * Never blocks, never touches the memory at {@code address}.
     *
     * @param count at least 1; {@link #ALL} for every waiter
     * @return how many were woken, or {@link #COUNT_UNKNOWN} where the OS does not say
     *     ({@link Capabilities#wakeCountReported()})
     */
    int wake(Pointer address, Width width, Scope scope, int count);

    /** Wakes at most one waiter: {@code wake(address, width, scope, 1)}. */
    default int wakeOne(Pointer address, Width width, Scope scope) {
        return wake(address, width, scope, 1);
    }

    /** Wakes every waiter: {@code wake(address, width, scope, ALL)}. */
    default int wakeAll(Pointer address, Width width, Scope scope) {
        return wake(address, width, scope, ALL);
    }

    /**
     * Sleeps until one of {@code targets} is woken or holds a value other than its expected one.
     *
     * @param targets 1 to {@link Capabilities#maxAwaitAnyTargets()} words
     * @return the index of a target that was woken (possibly spuriously) or found changed
     * @throws IllegalArgumentException if the list is empty or longer than the backend's maximum
     * @throws InterruptedException if the thread is interrupted before or while it sleeps
     */
    int awaitAny(List<WaitTarget> targets) throws InterruptedException;

    /**
     * As {@link #awaitAny(List)}, for at most {@code timeout}; zero or less polls.
     *
     * @return the index of a target woken or found changed, or {@link #TIMED_OUT} (-1), never
     *     before the time-out
     */
    int awaitAny(List<WaitTarget> targets, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * If the 32-bit word at {@code from} holds {@code expected}, wakes up to {@code wakeCount}
     * waiters of {@code from} and moves up to {@code requeueCount} more to wait on {@code to},
     * in one atomic step (Linux {@code FUTEX_CMP_REQUEUE}). Where the backend has no compare
     * ({@link Capabilities#compareRequeue()} false) the backend documents what it does instead.
     *
     * @param wakeCount 0 or more
     * @param requeueCount 0 or more
     * @return woken plus moved, or {@link #REQUEUE_MISMATCH} if {@code from} did not hold
     *     {@code expected} (nothing was done then)
     */
    int requeue(Pointer from, Pointer to, Scope scope, int expected, int wakeCount, int requeueCount);

    /**
     * Applies {@code op} to the 32-bit word at {@code opAddress} and wakes waiters of both
     * addresses, in one atomic step (Linux {@code FUTEX_WAKE_OP}); see {@link WakeOp}.
     *
     * @param wakeCount 0 or more waiters of {@code wakeAddress} to wake
     * @param opWakeCount 0 or more waiters of {@code opAddress} to wake if the comparison holds
     * @return how many were woken in all
     */
    int wakeOp(Pointer wakeAddress, Pointer opAddress, Scope scope, int wakeCount, int opWakeCount, WakeOp op);
}
