package dev.waitonaddress;

import com.sun.jna.Pointer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Blocks a thread until a word of native memory changes, and wakes it: a futex for the JVM.
 *
 * <p>Backends (a {@link dev.waitonaddress.spi.Backend} per OS) are found by
 * {@link java.util.ServiceLoader}; the library wraps each in its one implementation of this
 * interface, which does the policy (argument checks, deadlines, retries, interrupts, emulation)
 * the same way for every OS. {@link #system()} picks the best available one. Every method is
 * thread-safe.
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
 * returns without sleeping, and never returns WOKEN. Time-outs are measured on the clock of
 * {@link System#nanoTime()}; one longer than 2<sup>62</sup> ns (146 years) waits forever, and so
 * does a deadline of {@code Long.MAX_VALUE}. On a backend whose OS can give a single wake to a
 * waiter whose time-out is expiring and then report the time-out (Windows), a wait that times out,
 * a poll included, hands one wake-up on to another waiter of the word: at most one spurious
 * wake-up, never a lost one.
 *
 * <h2>Interrupts</h2>
 * {@link Thread#interrupt()} ends a blocked wait promptly with {@link InterruptedException}. A wait
 * entered with the interrupt status set throws at once. As in {@code java.util.concurrent}, the
 * exception clears the interrupt status. A wake-up that the interrupted thread may have taken is
 * passed on to another waiter. For a wait the OS performs, the interrupting thread wakes the
 * word the thread sleeps on until the thread has left its wait, and {@code Thread.interrupt()}
 * returns only then. A thread that {@link #requeue} moved onto another word is reached there too
 * when the requeue was made through this library in this process (every word it was moved to is
 * woken as well: a spurious wake-up for that word's other waiters). A requeue made by another
 * process, or by native code with its own system calls, is out of the library's sight: the
 * interrupt then takes effect only at the next wake of the word the thread was moved to, and
 * {@code Thread.interrupt()} returns only then.
 *
 * <h2>Virtual threads</h2>
 * Waits work in virtual threads (wake-ups, time-outs, interrupts) and do not hold the virtual
 * thread's carrier. Waits the library emulates (see {@link Capabilities#emulatedWidths()}) park
 * the virtual thread. A wait the OS performs (a native width) is, on a virtual thread, handed to a
 * platform helper thread, which makes the same OS call while the virtual thread parks; it stays a
 * real OS waiter on the word, so a wake from anywhere (this library, native code, another process)
 * reaches it, its time-out is the same deadline, an interrupt ends it at once, and wake counts stay
 * true. The helpers are daemon threads of a pool that grows on demand to at most the value of the
 * system property {@code dev.waitonaddress.virtualThreadHelpers} (read once; default 16,384; 0 turns
 * the hand-off off), one helper per blocked virtual thread; idle helpers end after a while. When
 * every helper is busy, the wait runs on the carrier as on a platform thread: then as many native
 * waits as there are carriers stall every other virtual thread, including the one that would wake
 * them, so set the property above the number of virtual threads that may wait at once. Platform
 * threads make the OS call directly.
 *
 * <h2>Refusals</h2>
 * Null arguments throw {@link NullPointerException}; an address of 0, a misaligned address, an
 * {@code expected} outside the signed and unsigned range of the width, or a count below its
 * minimum, or a JNA {@code Memory} smaller than the word, throw {@link IllegalArgumentException}
 * naming the value; a width, scope or operation
 * the backend cannot do throws {@link UnsupportedOperationException} naming the backend and the
 * capability (see {@link #capabilities()}); an unexpected OS error throws
 * {@link WaitOnAddressException}.
 */
public interface WaitOnAddress {

    /** Wake count meaning "every waiter": {@code Integer.MAX_VALUE}. */
    int ALL = Integer.MAX_VALUE;

    /**
     * The result of {@link #wake} where the OS does not say how many it woke
     * ({@link Capabilities#wakeCountReported(Width)}).
     */
    int COUNT_UNKNOWN = -1;

    /** The result of {@link #requeue} when the word at {@code from} did not hold {@code expected}. */
    int REQUEUE_MISMATCH = -2;

    /** The result of a timed {@link #awaitAny(List, long, TimeUnit) awaitAny} that timed out. */
    int AWAIT_ANY_TIMED_OUT = -3;

    /** The system property that forces {@link #system()} to a backend by its {@link #name()}. */
    String BACKEND_PROPERTY = "dev.waitonaddress.backend";

    /**
     * The best available backend: the one forced by {@code -Ddev.waitonaddress.backend=NAME}, or
     * else the available one of highest {@link #priority()}. Chosen once and cached.
     *
     * @return never null: {@code portable} is available wherever JNA loads
     * @throws IllegalStateException if the forced backend is unknown or unavailable, or none is
     *     available (JNA cannot load); the message lists every installed backend and why each
     *     unavailable one is
     */
    static WaitOnAddress system() {
        return Discovery.system();
    }

    /**
     * Lists every backend found by {@link java.util.ServiceLoader}, available or not. A provider
     * that failed to load appears as an unavailable backend whose {@link #unavailabilityCause()}
     * holds the error.
     *
     * @return the backends, highest priority first
     */
    static List<WaitOnAddress> installed() {
        return Discovery.installed();
    }

    /**
     * The backend's name: {@code "linux-futex"}, {@code "windows"}, {@code "macos-os-sync"},
     * {@code "macos-ulock"}, {@code "openbsd-futex"}, {@code "freebsd-umtx"} or {@code "portable"};
     * for a provider that could not be loaded, its class name.
     *
     * @return the backend's name
     */
    String name();

    /** {@return the rank used by {@link #system()}; higher wins} */
    int priority();

    /** {@return whether this backend can run in this process} */
    boolean isAvailable();

    /** {@return why this backend cannot run here; empty when it can} */
    Optional<Throwable> unavailabilityCause();

    /** {@return what this backend does natively, emulates and refuses} */
    Capabilities capabilities();

    /**
     * Sleeps while the value at {@code address} equals {@code expected}, with no time-out.
     *
     * @param address the word: non-zero, aligned to {@code width}, readable for the whole call
     * @param width the word's width
     * @param expected the value to sleep on, in the signed or unsigned range of {@code width}
     * @param scope PRIVATE, or SHARED for a word that other processes wait on or wake
     * @return {@link WaitResult#WOKEN} (possibly spurious) or {@link WaitResult#MISMATCH}
     * @throws InterruptedException if the thread is interrupted before or while it sleeps
     * @throws NullPointerException if a reference is null
     * @throws IllegalArgumentException for a bad address or {@code expected}
     * @throws UnsupportedOperationException for a width or scope the backend refuses
     * @throws IllegalStateException if the backend is not available here
     * @throws WaitOnAddressException for an OS error the library does not expect
     */
    WaitResult await(Pointer address, Width width, long expected, Scope scope) throws InterruptedException;

    /**
     * Sleeps while the value at {@code address} equals {@code expected}, at most {@code timeout}.
     *
     * @param address the word: non-zero, aligned to {@code width}, readable for the whole call
     * @param width the word's width
     * @param expected the value to sleep on, in the signed or unsigned range of {@code width}
     * @param scope PRIVATE, or SHARED for a word that other processes wait on or wake
     * @param timeout the longest time to sleep, in {@code unit}; zero or less polls
     * @param unit the unit of {@code timeout}
     * @return WOKEN (possibly spurious; never for a poll), MISMATCH, or TIMED_OUT (never before
     *     the time-out)
     * @throws InterruptedException if the thread is interrupted before or while it sleeps
     * @throws NullPointerException if a reference is null
     * @throws IllegalArgumentException for a bad address or {@code expected}
     * @throws UnsupportedOperationException for a width or scope the backend refuses
     * @throws IllegalStateException if the backend is not available here
     * @throws WaitOnAddressException for an OS error the library does not expect
     */
    WaitResult await(Pointer address, Width width, long expected, Scope scope, long timeout, TimeUnit unit)
            throws InterruptedException;

    /**
     * Sleeps while the value at {@code address} equals {@code expected}, until the absolute
     * {@code deadlineNanoTime} on the clock of {@link System#nanoTime()}.
     *
     * @param address the word: non-zero, aligned to {@code width}, readable for the whole call
     * @param width the word's width
     * @param expected the value to sleep on, in the signed or unsigned range of {@code width}
     * @param scope PRIVATE, or SHARED for a word that other processes wait on or wake
     * @param deadlineNanoTime when to give up; a deadline that has passed polls, and
     *     {@code Long.MAX_VALUE} never comes
     * @return WOKEN (possibly spurious; never for a poll), MISMATCH, or TIMED_OUT (never before
     *     the deadline)
     * @throws InterruptedException if the thread is interrupted before or while it sleeps
     * @throws NullPointerException if a reference is null
     * @throws IllegalArgumentException for a bad address or {@code expected}
     * @throws UnsupportedOperationException for a width or scope the backend refuses
     * @throws IllegalStateException if the backend is not available here
     * @throws WaitOnAddressException for an OS error the library does not expect
     */
    WaitResult awaitUntil(Pointer address, Width width, long expected, Scope scope, long deadlineNanoTime)
            throws InterruptedException;

    /**
     * Wakes up to {@code count} threads waiting on {@code address} with this width and scope
     * (a waiter of another width on the same address is not woken). Never blocks, never touches
     * the memory at {@code address}.
     *
     * @param address the word: non-zero, aligned to {@code width}
     * @param width the waiters' width
     * @param scope the waiters' scope
     * @param count at least 1; {@link #ALL} for every waiter
     * @return how many were woken, or {@link #COUNT_UNKNOWN} where the OS does not say
     *     ({@link Capabilities#wakeCountReported(Width)})
     * @throws NullPointerException if a reference is null
     * @throws IllegalArgumentException for a bad address or a count below 1
     * @throws UnsupportedOperationException for a width or scope the backend refuses
     * @throws IllegalStateException if the backend is not available here
     * @throws WaitOnAddressException for an OS error the library does not expect
     */
    int wake(Pointer address, Width width, Scope scope, int count);

    /**
     * Wakes at most one waiter: {@code wake(address, width, scope, 1)}.
     *
     * @param address the word
     * @param width the waiters' width
     * @param scope the waiters' scope
     * @return as {@link #wake}
     */
    default int wakeOne(Pointer address, Width width, Scope scope) {
        return wake(address, width, scope, 1);
    }

    /**
     * Wakes every waiter: {@code wake(address, width, scope, ALL)}.
     *
     * @param address the word
     * @param width the waiters' width
     * @param scope the waiters' scope
     * @return as {@link #wake}
     */
    default int wakeAll(Pointer address, Width width, Scope scope) {
        return wake(address, width, scope, ALL);
    }

    /**
     * Sleeps until one of {@code targets} is woken or holds a value other than its expected one.
     * SHARED targets are accepted only where {@code awaitAny} is native and every target has a
     * native width.
     *
     * @param targets 1 to {@link Capabilities#maxAwaitAnyTargets()} words, each readable for the whole call
     * @return the index of a target that was woken (possibly spuriously) or found changed
     * @throws IllegalArgumentException if the list is empty or longer than the backend's maximum
     * @throws InterruptedException if the thread is interrupted before or while it sleeps
     * @throws NullPointerException if the list or a target is null
     * @throws UnsupportedOperationException for a target the backend refuses
     * @throws IllegalStateException if the backend is not available here
     * @throws WaitOnAddressException for an OS error the library does not expect
     */
    int awaitAny(List<WaitTarget> targets) throws InterruptedException;

    /**
     * As {@link #awaitAny(List)}, for at most {@code timeout}; zero or less polls.
     *
     * @param targets 1 to {@link Capabilities#maxAwaitAnyTargets()} words, each readable for the whole call
     * @param timeout the longest time to sleep, in {@code unit}; zero or less polls
     * @param unit the unit of {@code timeout}
     * @return the index of a target woken or found changed, or {@link #AWAIT_ANY_TIMED_OUT},
     *     never before the time-out
     * @throws IllegalArgumentException if the list is empty or longer than the backend's maximum
     * @throws InterruptedException if the thread is interrupted before or while it sleeps
     * @throws NullPointerException if the list, a target or the unit is null
     * @throws UnsupportedOperationException for a target the backend refuses
     * @throws IllegalStateException if the backend is not available here
     * @throws WaitOnAddressException for an OS error the library does not expect
     */
    int awaitAny(List<WaitTarget> targets, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * If the 32-bit word at {@code from} holds {@code expected}, wakes up to {@code wakeCount}
     * waiters of {@code from} and moves up to {@code requeueCount} more to wait on {@code to}.
     * Where {@link Capabilities#compareRequeue()} is true (Linux {@code FUTEX_CMP_REQUEUE}) the
     * compare and the move are one atomic step. Where it is false, the library reads
     * {@code from} just before the OS's requeue: the word may change in between, so the compare
     * protects only where the caller's own protocol (a lock guarding {@code from}) keeps it from
     * changing, and {@code from} must then be readable. An interrupt of a waiter this call moves
     * reaches it on {@code to} (see "Interrupts" above).
     *
     * @param from the word whose waiters are woken or moved: non-zero, aligned to 4
     * @param to the word they are moved to: non-zero, aligned to 4
     * @param scope the scope of both words
     * @param expected the value {@code from} must hold
     * @param wakeCount 0 or more
     * @param requeueCount 0 or more
     * @return woken plus moved (or {@link #COUNT_UNKNOWN}), or {@link #REQUEUE_MISMATCH} if
     *     {@code from} did not hold {@code expected} (nothing was done then)
     * @throws NullPointerException if a reference is null
     * @throws IllegalArgumentException for a bad address or a negative count
     * @throws UnsupportedOperationException where the backend has no requeue, or INT32 is emulated
     * @throws IllegalStateException if the backend is not available here
     * @throws WaitOnAddressException for an OS error the library does not expect
     */
    int requeue(Pointer from, Pointer to, Scope scope, int expected, int wakeCount, int requeueCount);

    /**
     * Applies {@code op} to the 32-bit word at {@code opAddress} and wakes waiters of both
     * addresses, in one atomic step (Linux {@code FUTEX_WAKE_OP}); see {@link WakeOp}.
     *
     * @param wakeAddress the word whose waiters are woken: non-zero, aligned to 4
     * @param opAddress the word the operation changes: non-zero, aligned to 4, writable
     * @param scope the scope of both words
     * @param wakeCount 0 or more waiters of {@code wakeAddress} to wake
     * @param opWakeCount 0 or more waiters of {@code opAddress} to wake if the comparison holds
     * @param op the operation and comparison
     * @return how many were woken in all
     * @throws NullPointerException if a reference is null
     * @throws IllegalArgumentException for a bad address or a negative count
     * @throws UnsupportedOperationException where the backend has no wakeOp, or INT32 is emulated
     * @throws IllegalStateException if the backend is not available here
     * @throws WaitOnAddressException for an OS error the library does not expect
     */
    int wakeOp(Pointer wakeAddress, Pointer opAddress, Scope scope, int wakeCount, int opWakeCount, WakeOp op);
}
