package dev.waitonaddress.spi;

import com.sun.jna.Pointer;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Capabilities.Support;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitOnAddressException;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.WaitTarget;
import dev.waitonaddress.WakeOp;
import dev.waitonaddress.Width;
import java.lang.ref.Reference;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The policy every backend shares, written once: argument checks, time-outs and deadlines,
 * retries, interrupts, reachability of the caller's memory, emulation of widths and
 * {@code awaitAny} the OS lacks, and the wording of refusals. A backend extends it and only
 * translates the primitives below to its OS.
 *
 * <p>The primitives receive checked arguments: a non-zero address aligned to its width, a width
 * the backend declared native, a scope it supports, counts in range. Deadlines are absolute on
 * the clock of {@link System#nanoTime()}; a backend that takes relative time-outs uses
 * {@link #remainingNanos(long)}. A primitive may report a time-out early (coarse OS clocks): the
 * policy calls it again until the deadline has really passed.
 */
public abstract class AbstractWaitOnAddress implements WaitOnAddress {
    /** Time-outs longer than this (2^62 ns, 146 years) wait forever. */
    public static final long FOREVER_NANOS = 1L << 62;

    /** {@link #awaitAnyNative} result: the OS cut the wait short; call again. */
    protected static final int AWAIT_ANY_RETRY = -2;

    private final String name;
    private final int priority;
    private final Throwable unavailabilityCause;

    /**
     * @param name the backend's name
     * @param priority rank for {@link WaitOnAddress#system()}
     * @param unavailabilityCause why it cannot run here, or null when it can
     */
    protected AbstractWaitOnAddress(String name, int priority, Throwable unavailabilityCause) {
        this.name = Objects.requireNonNull(name, "name");
        this.priority = priority;
        this.unavailabilityCause = unavailabilityCause;
    }

    // ---------------------------------------------------------------- the primitives a backend writes

    /**
     * One native wait: sleep while the value at {@code address} equals {@code expected}.
     *
     * @param timed whether {@code deadlineNanoTime} applies
     * @param deadlineNanoTime absolute deadline on the {@link System#nanoTime()} clock; may be in
     *     the past, which asks for a poll that still goes through the OS
     */
    protected abstract Outcome waitNative(long address, Width width, long expected, Scope scope,
            boolean timed, long deadlineNanoTime);

    /**
     * Wakes up to {@code count} native waiters; never touches the memory.
     *
     * @return the number woken, or {@link WaitOnAddress#COUNT_UNKNOWN}
     */
    protected abstract int wakeNative(long address, Width width, Scope scope, int count);

    /**
     * One native wait on several words, every width native. Called only when
     * {@link Capabilities#awaitAny()} is {@link Support#NATIVE}.
     *
     * @return the index woken or found changed, {@link WaitOnAddress#TIMED_OUT}, or
     *     {@link #AWAIT_ANY_RETRY}
     */
    protected int awaitAnyNative(List<WaitTarget> targets, boolean timed, long deadlineNanoTime) {
        throw unsupported("native awaitAny");
    }

    /** Native requeue; called only when {@link Capabilities#requeue()} is true. */
    protected int requeueNative(long from, long to, Scope scope, int expected, int wakeCount, int requeueCount) {
        throw unsupported("requeue");
    }

    /** Native wake-op; called only when {@link Capabilities#wakeOp()} is true. */
    protected int wakeOpNative(long wakeAddress, long opAddress, Scope scope, int wakeCount, int opWakeCount,
            WakeOp op) {
        throw unsupported("wakeOp");
    }

    // ---------------------------------------------------------------- helpers for backends

    /**
     * @return nanoseconds left until {@code deadlineNanoTime}, 0 once it has passed. Deadlines are
     *     compared as plain signed numbers (no wrap-around), so {@code Long.MIN_VALUE} is long past
     *     and {@code Long.MAX_VALUE} far ahead.
     */
    protected static long remainingNanos(long deadlineNanoTime) {
        long now = System.nanoTime();
        if (deadlineNanoTime <= now) {
            return 0;
        }
        long remaining = deadlineNanoTime - now;
        return remaining < 0 ? Long.MAX_VALUE : remaining; // saturate where the difference overflows
    }

    /** @return the refusal of an operation or capability, naming this backend */
    protected final UnsupportedOperationException unsupported(String capability) {
        return new UnsupportedOperationException(
                name + " does not support " + capability + " (its capabilities: " + capabilities() + ")");
    }

    /**
     * @return the error for an OS result that no rule of the backend expects
     * @param operation the call, e.g. {@code "FUTEX_WAIT"}
     * @param code the OS error code
     * @param codeName its symbolic name
     */
    protected final WaitOnAddressException error(String operation, int code, String codeName) {
        return new WaitOnAddressException(name, operation, code, codeName);
    }

    // ---------------------------------------------------------------- identity

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int priority() {
        return priority;
    }

    @Override
    public final boolean isAvailable() {
        return unavailabilityCause == null;
    }

    @Override
    public final Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(unavailabilityCause);
    }

    @Override
    public String toString() {
        return name + (isAvailable() ? "" : " (unavailable: " + unavailabilityCause + ")");
    }

    // ---------------------------------------------------------------- waiting

    @Override
    public final WaitResult await(Pointer address, Width width, long expected, Scope scope)
            throws InterruptedException {
        return await(address, width, expected, scope, false, 0);
    }

    @Override
    public final WaitResult await(Pointer address, Width width, long expected, Scope scope, long timeout,
            TimeUnit unit) throws InterruptedException {
        long nanos = Arguments.toNanos(timeout, unit);
        long now = System.nanoTime();
        if (nanos > FOREVER_NANOS) {
            return await(address, width, expected, scope, false, 0);
        }
        return await(address, width, expected, scope, true, now + Math.max(0, nanos));
    }

    @Override
    public final WaitResult awaitUntil(Pointer address, Width width, long expected, Scope scope,
            long deadlineNanoTime) throws InterruptedException {
        return await(address, width, expected, scope, true, deadlineNanoTime);
    }

    private WaitResult await(Pointer address, Width width, long expected, Scope scope, boolean timed,
            long deadline) throws InterruptedException {
        long a = Arguments.checkAddress(address, width);
        Arguments.checkExpected(width, expected);
        Objects.requireNonNull(scope, "scope");
        checkAvailable();
        Support support = route(width, scope);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try {
            if (support == Support.EMULATED) {
                return ParkingLot.INSTANCE.await(address, width, expected, timed, deadline);
            }
            return awaitNative(a, width, expected, scope, timed, deadline);
        } finally {
            Reference.reachabilityFence(address);
        }
    }

    private WaitResult awaitNative(long a, Width width, long expected, Scope scope, boolean timed, long deadline)
            throws InterruptedException {
        boolean poll = timed && remainingNanos(deadline) == 0;
        WaitInterruptor interruptor = poll ? null : WaitInterruptor.current();
        for (;;) {
            Outcome o;
            if (poll) {
                o = waitNative(a, width, expected, scope, true, deadline);
            } else {
                boolean interrupted;
                o = Outcome.RETRY;
                try {
                    if (interruptor.arm(this, a, width, scope)) {
                        o = waitNative(a, width, expected, scope, timed, deadline);
                    }
                } finally {
                    interrupted = interruptor.disarm();
                }
                if (interrupted) {
                    // MISMATCH too: where the OS does not tell a wake from a mismatch (Windows), a
                    // MISMATCH may have taken a wake-up; handing one on costs at most a spurious wake
                    if (o == Outcome.WOKEN || o == Outcome.MISMATCH) {
                        passOnWake(a, width, scope);
                    }
                    throw new InterruptedException();
                }
                if (!interruptor.isOpen()) {
                    interruptor = WaitInterruptor.current();
                }
            }
            switch (o) {
                case WOKEN:
                    return WaitResult.WOKEN;
                case MISMATCH:
                    return WaitResult.MISMATCH;
                case TIMED_OUT:
                    if (timed && remainingNanos(deadline) == 0) {
                        return WaitResult.TIMED_OUT;
                    }
                    break; // early, or a time-out we did not ask for: sleep again
                case RETRY:
                    break;
                default:
                    throw new AssertionError(o);
            }
        }
    }

    /** A woken waiter that leaves by interrupt hands its wake-up to another waiter. */
    private void passOnWake(long a, Width width, Scope scope) {
        try {
            wakeNative(a, width, scope, 1);
        } catch (RuntimeException ignored) {
            // wake never fails for a valid address; nothing to hand on otherwise
        }
    }

    /** Called by {@link WaitInterruptor} in an interrupting thread: wakes the sleeper's words. */
    final void wakeForInterrupt(long a, Width width, Scope scope, List<WaitTarget> targets) {
        try {
            if (targets == null) {
                wakeNative(a, width, scope, ALL);
            } else {
                for (WaitTarget t : targets) {
                    wakeNative(Pointer.nativeValue(t.address()), t.width(), t.scope(), ALL);
                }
            }
        } catch (RuntimeException ignored) {
            // the sleeper leaves anyway once any wake reaches it; nothing to report to the interrupter
        }
    }

    // ---------------------------------------------------------------- waking

    @Override
    public final int wake(Pointer address, Width width, Scope scope, int count) {
        long a = Arguments.checkAddress(address, width);
        Objects.requireNonNull(scope, "scope");
        Arguments.checkCount("count", count, 1);
        checkAvailable();
        Support support = route(width, scope);
        int emulated = ParkingLot.INSTANCE.wake(a, count);
        if (support == Support.EMULATED || emulated >= count) {
            return emulated;
        }
        int woken = wakeNative(a, width, scope, count == ALL ? ALL : count - emulated); // ALL stays ALL
        return woken == COUNT_UNKNOWN ? COUNT_UNKNOWN : woken + emulated;
    }

    // ---------------------------------------------------------------- awaitAny

    @Override
    public final int awaitAny(List<WaitTarget> targets) throws InterruptedException {
        return awaitAny(targets, false, 0);
    }

    @Override
    public final int awaitAny(List<WaitTarget> targets, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Arguments.toNanos(timeout, unit);
        long now = System.nanoTime();
        if (nanos > FOREVER_NANOS) {
            return awaitAny(targets, false, 0);
        }
        return awaitAny(targets, true, now + Math.max(0, nanos));
    }

    private int awaitAny(List<WaitTarget> targets, boolean timed, long deadline) throws InterruptedException {
        Objects.requireNonNull(targets, "targets");
        checkAvailable();
        Capabilities caps = capabilities();
        if (caps.awaitAny() == Support.NONE) {
            throw unsupported("awaitAny");
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("targets is empty");
        }
        if (targets.size() > caps.maxAwaitAnyTargets()) {
            throw new IllegalArgumentException("targets has " + targets.size() + " words; " + name
                    + " takes at most " + caps.maxAwaitAnyTargets());
        }
        int i = 0;
        for (WaitTarget t : targets) {
            if (t == null) {
                throw new NullPointerException("targets[" + i + "] is null");
            }
            i++;
        }
        List<WaitTarget> copy = List.copyOf(targets);
        boolean allNative = caps.awaitAny() == Support.NATIVE;
        boolean anyShared = false;
        for (WaitTarget t : copy) {
            allNative &= route(t.width(), t.scope()) == Support.NATIVE;
            anyShared |= t.scope() == Scope.SHARED;
        }
        if (!allNative && anyShared) {
            throw unsupported("awaitAny with SHARED words unless every word has a native width and awaitAny is native");
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try {
            if (!allNative) {
                return ParkingLot.INSTANCE.awaitAny(copy, timed, deadline);
            }
            return awaitAnyNative0(copy, timed, deadline);
        } finally {
            Reference.reachabilityFence(copy);
        }
    }

    private int awaitAnyNative0(List<WaitTarget> targets, boolean timed, long deadline)
            throws InterruptedException {
        boolean poll = timed && remainingNanos(deadline) == 0;
        WaitInterruptor interruptor = poll ? null : WaitInterruptor.current();
        for (;;) {
            int r;
            if (poll) {
                r = awaitAnyNative(targets, true, deadline);
            } else {
                boolean interrupted;
                r = AWAIT_ANY_RETRY;
                try {
                    if (interruptor.arm(this, targets)) {
                        r = awaitAnyNative(targets, timed, deadline);
                    }
                } finally {
                    interrupted = interruptor.disarm();
                }
                if (interrupted) {
                    if (r >= 0) {
                        WaitTarget t = targets.get(r);
                        passOnWake(Pointer.nativeValue(t.address()), t.width(), t.scope());
                    }
                    throw new InterruptedException();
                }
                if (!interruptor.isOpen()) {
                    interruptor = WaitInterruptor.current();
                }
            }
            if (r >= 0) {
                return r;
            }
            if (r == TIMED_OUT && timed && remainingNanos(deadline) == 0) {
                return TIMED_OUT;
            }
        }
    }

    // ---------------------------------------------------------------- requeue and wakeOp

    @Override
    public final int requeue(Pointer from, Pointer to, Scope scope, int expected, int wakeCount, int requeueCount) {
        long f = Arguments.checkAddress(from, Width.INT32);
        long t = Arguments.checkAddress(to, Width.INT32);
        Objects.requireNonNull(scope, "scope");
        Arguments.checkCount("wakeCount", wakeCount, 0);
        Arguments.checkCount("requeueCount", requeueCount, 0);
        checkAvailable();
        if (!capabilities().requeue()) {
            throw unsupported("requeue");
        }
        if (route(Width.INT32, scope) != Support.NATIVE) {
            throw unsupported("requeue on emulated INT32 words");
        }
        return requeueNative(f, t, scope, expected, wakeCount, requeueCount);
    }

    @Override
    public final int wakeOp(Pointer wakeAddress, Pointer opAddress, Scope scope, int wakeCount, int opWakeCount,
            WakeOp op) {
        long w = Arguments.checkAddress(wakeAddress, Width.INT32);
        long o = Arguments.checkAddress(opAddress, Width.INT32);
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(op, "op");
        Arguments.checkCount("wakeCount", wakeCount, 0);
        Arguments.checkCount("opWakeCount", opWakeCount, 0);
        checkAvailable();
        if (!capabilities().wakeOp()) {
            throw unsupported("wakeOp");
        }
        if (route(Width.INT32, scope) != Support.NATIVE) {
            throw unsupported("wakeOp on emulated INT32 words");
        }
        try {
            return wakeOpNative(w, o, scope, wakeCount, opWakeCount, op);
        } finally {
            Reference.reachabilityFence(opAddress);
        }
    }

    // ---------------------------------------------------------------- routing

    private void checkAvailable() {
        if (unavailabilityCause != null) {
            throw new IllegalStateException(name + " is not available here: " + unavailabilityCause,
                    unavailabilityCause);
        }
    }

    /** @return how a wait of {@code width} in {@code scope} is served; refuses what cannot be */
    private Support route(Width width, Scope scope) {
        Capabilities caps = capabilities();
        Support support = caps.width(width);
        if (support == Support.NONE) {
            throw unsupported(width + " words");
        }
        if (scope == Scope.SHARED && !caps.supports(width, scope)) {
            throw unsupported(!caps.shared() ? "SHARED scope (waits across processes)"
                    : "SHARED scope for " + width + " words, which it emulates in-process");
        }
        return support;
    }
}
