package dev.waitonaddress;

import com.sun.jna.Pointer;
import dev.waitonaddress.Capabilities.Support;
import dev.waitonaddress.internal.Checks;
import dev.waitonaddress.internal.Deadlines;
import dev.waitonaddress.internal.Refusals;
import dev.waitonaddress.internal.WaitInterruptor;
import dev.waitonaddress.internal.Words;
import dev.waitonaddress.spi.Backend;
import dev.waitonaddress.spi.OsCallException;
import dev.waitonaddress.spi.Outcome;
import dev.waitonaddress.spi.Traits;
import java.lang.ref.Reference;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The policy of every backend, written once: the one implementation of {@link WaitOnAddress},
 * composed with a {@link Backend} that only translates calls to its OS. It checks arguments,
 * computes deadlines, splits and rounds time-outs as the backend's {@link Traits} say, polls,
 * retries, re-reads words where the OS's success is ambiguous, builds {@code wake(n)} from
 * single wakes, retries faults, compares before a requeue that cannot, handles interrupts, keeps
 * the caller's memory reachable, and emulates in the {@link ParkingLot} every width and
 * {@code awaitAny} the OS lacks.
 *
 * <p>A wait answered early (a coarse OS clock, a time-out split at the OS's largest) is called
 * again until its deadline has really passed.
 */
final class Policy implements WaitOnAddress {
    /**
     * An {@code awaitAny} poll of at most this many words compares them one by one where the OS
     * has a poll call; more words go to one awaitAny call with the poll time-out.
     */
    private static final int POLL_ONE_BY_ONE = 4;

    // What one OS call answered, the same for await and awaitAny; 0 or more: woken at that index.
    private static final int TIMED = Backend.ANY_TIMED_OUT;
    private static final int RETRY = Backend.ANY_RETRY;
    private static final int CHANGED = Backend.ANY_CHANGED;
    private static final int FAULT = -4;

    /** Null for a provider that could not be loaded. */
    private final Backend backend;
    private final String name;
    private final int priority;
    private final Throwable unavailabilityCause;
    /** Null for a provider that could not be loaded. */
    private final Traits traits;
    private final Capabilities capabilities;
    /** What {@link #toString()} says of an available backend. */
    private final String description;
    private final ParkingLot lot = ParkingLot.INSTANCE;
    /**
     * The sleepers of this backend by word, so that an interrupt follows a sleeper that a requeue
     * moved; null where the backend cannot requeue (nothing moves a sleeper then).
     */
    private final Sleepers sleepers;

    private Policy(Backend backend, String name, int priority, Throwable unavailabilityCause, Traits traits,
            String binding) {
        this.backend = backend;
        this.name = name;
        this.priority = priority;
        this.unavailabilityCause = unavailabilityCause;
        this.traits = traits;
        this.capabilities = traits == null ? Capabilities.nothing() : Capabilities.of(traits);
        this.description = binding == null || binding.isEmpty() ? name : name + " (bound to " + binding + ")";
        this.sleepers = backend != null && traits != null && traits.requeue() ? new Sleepers() : null;
    }

    /**
     * @param backend a backend that was made
     * @return the backend with the policy; unavailable if it cannot describe itself
     */
    static Policy over(Backend backend) {
        String name = backend.getClass().getName();
        int priority = Integer.MIN_VALUE;
        try {
            name = Objects.requireNonNull(backend.name(), "name");
            priority = backend.priority();
            Throwable cause = backend.unavailabilityCause();
            Traits traits = Objects.requireNonNull(backend.traits(), "traits");
            return new Policy(cause == null ? backend : null, name, priority, cause, traits,
                    cause == null ? backend.binding() : "");
        } catch (RuntimeException | LinkageError e) {
            return new Policy(null, name, priority, e, null, "");
        }
    }

    /**
     * @param className the provider's class
     * @param cause why it could not be made
     * @return an unavailable entry for it, so that the failure is reported, not lost
     */
    static Policy unloadable(String className, Throwable cause) {
        return new Policy(null, className, Integer.MIN_VALUE, cause, null, "");
    }

    // ---------------------------------------------------------------- identity

    @Override
    public String name() {
        return name;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public boolean isAvailable() {
        return unavailabilityCause == null;
    }

    @Override
    public Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(unavailabilityCause);
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** @return the name, and why the backend is unavailable or else what it is bound to ({@link Backend#binding()}) */
    @Override
    public String toString() {
        return unavailabilityCause != null ? name + " (unavailable: " + unavailabilityCause + ")" : description;
    }

    // ---------------------------------------------------------------- waiting

    @Override
    public WaitResult await(Pointer address, Width width, long expected, Scope scope) throws InterruptedException {
        return await(address, width, expected, scope, Deadlines.NEVER);
    }

    @Override
    public WaitResult await(Pointer address, Width width, long expected, Scope scope, long timeout, TimeUnit unit)
            throws InterruptedException {
        return await(address, width, expected, scope, Deadlines.of(timeout, unit));
    }

    @Override
    public WaitResult awaitUntil(Pointer address, Width width, long expected, Scope scope, long deadlineNanoTime)
            throws InterruptedException {
        return await(address, width, expected, scope, deadlineNanoTime);
    }

    private WaitResult await(Pointer address, Width width, long expected, Scope scope, long deadline)
            throws InterruptedException {
        int bytes = Objects.requireNonNull(width, "width").bytes();
        long a = Checks.address(address, bytes);
        Checks.expected(bytes, expected);
        Objects.requireNonNull(scope, "scope");
        boolean emulated = route(width, scope);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try {
            if (emulated) {
                return lot.await(address, bytes, expected, deadline);
            }
            Frame f = Frame.of(1);
            f.set(0, a, bytes, expected, scope == Scope.SHARED);
            int r = sleep(f, false, deadline);
            return r == TIMED ? WaitResult.TIMED_OUT : f.mismatch ? WaitResult.MISMATCH : WaitResult.WOKEN;
        } catch (OsCallException e) {
            throw failure(e);
        } finally {
            Reference.reachabilityFence(address);
        }
    }

    @Override
    public int awaitAny(List<WaitTarget> targets) throws InterruptedException {
        return awaitAny(targets, Deadlines.NEVER);
    }

    @Override
    public int awaitAny(List<WaitTarget> targets, long timeout, TimeUnit unit) throws InterruptedException {
        return awaitAny(targets, Deadlines.of(timeout, unit));
    }

    private int awaitAny(List<WaitTarget> targets, long deadline) throws InterruptedException {
        Objects.requireNonNull(targets, "targets");
        checkAvailable();
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("targets is empty");
        }
        if (targets.size() > capabilities.maxAwaitAnyTargets()) {
            throw new IllegalArgumentException("targets has " + targets.size() + " words; " + name
                    + " takes at most " + capabilities.maxAwaitAnyTargets());
        }
        int i = 0;
        for (WaitTarget t : targets) {
            if (t == null) {
                throw new NullPointerException("targets[" + i + "] is null");
            }
            i++;
        }
        List<WaitTarget> copy = List.copyOf(targets);
        boolean allNative = capabilities.awaitAny() == Support.NATIVE;
        boolean anyShared = false;
        for (WaitTarget t : copy) {
            allNative &= !route(t.width(), t.scope());
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
                int r = lot.awaitAny(copy, deadline);
                return r == ParkingLot.TIMED_OUT ? AWAIT_ANY_TIMED_OUT : r;
            }
            Frame f = Frame.of(copy.size());
            for (int k = 0; k < copy.size(); k++) {
                WaitTarget t = copy.get(k);
                f.set(k, Pointer.nativeValue(t.address()), t.width().bytes(), t.expected(), t.scope() == Scope.SHARED);
            }
            int r = sleep(f, true, deadline);
            return r == TIMED ? AWAIT_ANY_TIMED_OUT : r;
        } catch (OsCallException e) {
            throw failure(e);
        } finally {
            Reference.reachabilityFence(copy);
        }
    }

    /**
     * The one sleep loop of {@code await} and {@code awaitAny} on native words: calls the OS until
     * a word is woken or found changed, or the deadline has passed.
     *
     * @param f the words
     * @param any whether the call is an awaitAny
     * @param deadline see {@link Deadlines}
     * @return the index woken or found changed ({@code f.mismatch} tells which), or {@link #TIMED}
     */
    private int sleep(Frame f, boolean any, long deadline) throws InterruptedException {
        f.mismatch = false;
        int faults = 0;
        for (;;) {
            long remaining = Deadlines.remaining(deadline);
            boolean poll = remaining == 0;
            boolean byCall = poll && traits.pollByCall() && (!any || f.count <= POLL_ONE_BY_ONE);
            f.changed = -1;
            int r = byCall ? pollByCall(f) : call(f, any, poll, deadline, remaining);
            if (r >= 0) {
                if (!traits.ambiguousSuccess()) {
                    return r;
                }
                if (!holds(f, r)) { // the OS's success also means "the value differed"
                    f.mismatch = true;
                    return r;
                }
                if (!poll) {
                    return r; // woken: a wake whose change was undone, or a spurious one
                }
                r = TIMED; // a poll of a word that still holds its value is never a wake-up
            }
            switch (r) {
                case CHANGED:
                    int i = f.changed >= 0 ? f.changed : any ? firstChanged(f) : 0;
                    if (i >= 0) {
                        f.mismatch = true;
                        return i;
                    }
                    break; // the OS saw a change that has been undone: wait again
                case TIMED:
                    if (!byCall && traits.timeoutMayTakeWake()) {
                        passOnAll(f); // the OS may have given this waiter a single wake as it timed out
                    }
                    if (Deadlines.passed(deadline)) {
                        return TIMED;
                    }
                    break; // early, or a time-out not asked for: sleep again
                case FAULT:
                    if (++faults > traits.faultRetries()) {
                        throw new WaitOnAddressException(name, "wait on 0x" + Long.toHexString(f.addresses[f.faulted]),
                                traits.faultCode(), traits.faultName());
                    }
                    break;
                case RETRY:
                    break;
                default:
                    throw new IllegalStateException(name + " answered " + r + " to a wait on " + f.count + " words");
            }
        }
    }

    /**
     * One OS wait call, armed against interrupts unless it is a poll (which does not sleep): the
     * only place that arms and disarms the interruptor. A virtual thread hands the call to a
     * platform helper and parks, so that its carrier stays free; it stays armed meanwhile, so an
     * interrupt wakes the words the helper sleeps on. Where the backend can requeue, the words
     * are registered with {@link Sleepers} for as long as the call sleeps, so that the interrupt
     * also wakes every word a requeue of this process moves the sleeper to.
     */
    private int call(Frame f, boolean any, boolean poll, long deadline, long remaining) throws InterruptedException {
        boolean timed = deadline != Deadlines.NEVER;
        long timeout = !timed ? 0 : osTimeout(poll, deadline, remaining);
        if (poll) {
            return once(f, any, true, timeout);
        }
        WaitInterruptor in = f.interruptor();
        int r = RETRY;
        boolean interrupted;
        f.policy = this;
        Sleepers tracked = sleepers;
        if (tracked != null) {
            tracked.enter(f.sleeper, f.count, f.addresses, f.bytes, f.shared); // before the OS can move it
        }
        try {
            if (in.arm(f)) {
                r = HandOff.ENABLED && HandOff.currentIsVirtual()
                        ? HandOff.run(() -> once(f, any, timed, timeout)) // keeps the carrier free
                        : once(f, any, timed, timeout);
            }
        } finally {
            interrupted = in.disarm();
            if (tracked != null) {
                tracked.leave(f.sleeper, interrupted && r >= 0 ? this::wakeOneToPassOn : null);
            }
        }
        if (interrupted) {
            if (r >= 0) {
                passOn(f, r); // woken (or, where success is ambiguous, perhaps changed): hand it on
            } else if (r == TIMED && traits.timeoutMayTakeWake()) {
                passOnAll(f); // a single wake may have been used up by this time-out
            }
            throw new InterruptedException();
        }
        return r;
    }

    /** @return the time-out of one call in the form the OS takes, as {@link Traits} describe it */
    private long osTimeout(boolean poll, long deadline, long remaining) {
        if (traits.timeouts() == Traits.Timeouts.ABSOLUTE_NANO_TIME) {
            return Math.max(0, deadline);
        }
        return poll ? traits.pollTimeout() : Deadlines.roundUp(remaining, traits.timeoutUnit(), traits.maxTimeout());
    }

    private int once(Frame f, boolean any, boolean timed, long timeout) {
        if (any) {
            int r = backend.awaitAny(f.count, f.addresses, f.bytes, f.expected, f.shared, timed, timeout);
            return r < f.count ? r : FAULT - 1; // an index out of range: reported by the loop
        }
        return code(f, 0, backend.await(f.addresses[0], f.bytes[0], f.expected[0], f.shared[0], timed, timeout));
    }

    /** A poll through the OS's own compare call, word by word. */
    private int pollByCall(Frame f) {
        for (int i = 0; i < f.count; i++) {
            Outcome o = backend.poll(f.addresses[i], f.bytes[i], f.expected[i], f.shared[i]);
            int r = o == Outcome.WOKEN ? TIMED : code(f, i, o); // a poll never wakes
            if (r != TIMED) {
                return r;
            }
        }
        return TIMED;
    }

    private static int code(Frame f, int index, Outcome o) {
        switch (o) {
            case WOKEN: return index;
            case MISMATCH:
                f.changed = index;
                return CHANGED;
            case TIMED_OUT: return TIMED;
            case RETRY: return RETRY;
            case FAULT:
                f.faulted = index;
                return FAULT;
            default: throw new AssertionError(o);
        }
    }

    private static boolean holds(Frame f, int i) {
        return Words.equal(Words.read(f.addresses[i], f.bytes[i]), f.expected[i], f.bytes[i]);
    }

    /** @return the first word that no longer holds its value, or -1 (changed and changed back) */
    private static int firstChanged(Frame f) {
        for (int i = 0; i < f.count; i++) {
            if (!holds(f, i)) {
                return i;
            }
        }
        return -1;
    }

    /** Hands a wake-up this thread may have taken on to another waiter of word {@code i}. */
    private void passOn(Frame f, int i) {
        try {
            backend.wake(f.addresses[i], f.bytes[i], f.shared[i], 1);
        } catch (RuntimeException ignored) {
            // wake fails only for a word that is gone: nobody to hand it to
        }
    }

    private void passOnAll(Frame f) {
        for (int i = 0; i < f.count; i++) {
            passOn(f, i);
        }
    }

    /** Passes on a wake-up a waiter that leaves by interrupt may have taken at a word it was moved to. */
    private void wakeOneToPassOn(long address, int bytes, boolean shared) {
        try {
            backend.wake(address, bytes, shared, 1);
        } catch (RuntimeException ignored) {
            // as passOn: the wake-up is handed on at best effort; the interrupt is still reported
        }
    }

    /** Called in an interrupting thread: wakes a word the sleeper may sleep on. */
    void wakeAllForInterrupt(long address, int bytes, boolean shared) {
        try {
            backend.wake(address, bytes, shared, ALL);
        } catch (RuntimeException ignored) {
            // the sleeper leaves anyway once any wake reaches it; nothing to report to the interrupter
        }
    }

    // ---------------------------------------------------------------- waking

    @Override
    public int wake(Pointer address, Width width, Scope scope, int count) {
        int bytes = Objects.requireNonNull(width, "width").bytes();
        long a = Checks.address(address, bytes);
        Objects.requireNonNull(scope, "scope");
        Checks.atLeast("count", count, 1);
        boolean emulated = route(width, scope);
        int inProcess = lot.wake(a, bytes, count); // emulated widths, and emulated awaitAny on native ones
        if (emulated || inProcess >= count) {
            return inProcess;
        }
        try {
            return addCount(wakeNative(a, bytes, scope == Scope.SHARED, count == ALL ? ALL : count - inProcess),
                    inProcess);
        } catch (OsCallException e) {
            throw failure(e);
        }
    }

    /**
     * Wakes native waiters. Where the OS wakes one or all ({@link Traits#singleWakes()}),
     * {@code wake(n)} is up to n single wakes, stopping at one that reports nobody, and a wake
     * of all for n above {@link Traits#maxSingleWakes()}.
     */
    private int wakeNative(long a, int bytes, boolean shared, int count) {
        if (!traits.singleWakes()) {
            return counted(backend.wake(a, bytes, shared, count));
        }
        if (count == ALL || count > traits.maxSingleWakes()) {
            return counted(backend.wake(a, bytes, shared, ALL));
        }
        int woken = 0;
        boolean known = traits.wakeCountReported();
        for (int i = 0; i < count; i++) {
            int r = backend.wake(a, bytes, shared, 1);
            if (r == 0) {
                break; // nobody (more) waits
            }
            if (r < 0) {
                known = false;
            } else {
                woken += r;
            }
        }
        return known ? woken : COUNT_UNKNOWN;
    }

    /** @return a backend's wake count as the API reports it */
    private int counted(int r) {
        return r < 0 || !traits.wakeCountReported() ? COUNT_UNKNOWN : r;
    }

    /** @return {@code count + more}, saturated; {@link #COUNT_UNKNOWN} stays unknown */
    private static int addCount(int count, int more) {
        if (count < 0) {
            return count;
        }
        long sum = (long) count + more;
        return sum > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) sum;
    }

    // ---------------------------------------------------------------- requeue and wakeOp

    @Override
    public int requeue(Pointer from, Pointer to, Scope scope, int expected, int wakeCount, int requeueCount) {
        long f = Checks.address(from, 4);
        long t = Checks.address(to, 4);
        Objects.requireNonNull(scope, "scope");
        Checks.atLeast("wakeCount", wakeCount, 0);
        Checks.atLeast("requeueCount", requeueCount, 0);
        checkTwoWordOperation("requeue", traits != null && traits.requeue(), scope);
        try {
            // without the OS's compare, read the word just before the requeue: not one atomic step
            if (!traits.compareRequeue() && !Words.holds(from, 4, expected)) {
                return REQUEUE_MISMATCH;
            }
            boolean shared = scope == Scope.SHARED;
            // the sleepers it moves are remembered, so that an interrupt follows them to 'to'
            int r = sleepers.requeue(f, t, shared, requeueCount > 0,
                    () -> backend.requeue(f, t, shared, expected, wakeCount, requeueCount));
            if (r == Backend.REQUEUE_MISMATCH) {
                return REQUEUE_MISMATCH;
            }
            r = r < 0 ? COUNT_UNKNOWN : r;
            if (wakeCount + (long) requeueCount == 0) {
                return r;
            }
            // emulated awaitAny waiters of 'from' park in-process, where the OS cannot requeue them:
            // wake them (a spurious wake-up for those that would have moved; they wait again)
            return addCount(r, lot.wake(f, 4, ALL));
        } catch (OsCallException e) {
            throw failure(e);
        } finally {
            Reference.reachabilityFence(from);
        }
    }

    @Override
    public int wakeOp(Pointer wakeAddress, Pointer opAddress, Scope scope, int wakeCount, int opWakeCount,
            WakeOp op) {
        long w = Checks.address(wakeAddress, 4);
        long o = Checks.address(opAddress, 4);
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(op, "op");
        Checks.atLeast("wakeCount", wakeCount, 0);
        Checks.atLeast("opWakeCount", opWakeCount, 0);
        checkTwoWordOperation("wakeOp", traits != null && traits.wakeOp(), scope);
        try {
            int r = backend.wakeOp(w, o, scope == Scope.SHARED, wakeCount, opWakeCount, op.encode());
            // emulated awaitAny waiters of either word park in-process, out of the OS's sight;
            // the op's comparison is not known here, so waiters of opAddress may wake spuriously
            if (wakeCount > 0) {
                r = addCount(r, lot.wake(w, 4, wakeCount));
            }
            if (opWakeCount > 0) {
                r = addCount(r, lot.wake(o, 4, opWakeCount));
            }
            return r;
        } catch (OsCallException e) {
            throw failure(e);
        } finally {
            Reference.reachabilityFence(opAddress);
        }
    }

    // ---------------------------------------------------------------- routing and errors

    private void checkAvailable() {
        if (unavailabilityCause != null) {
            throw Refusals.unavailable(name, unavailabilityCause);
        }
    }

    /**
     * @return whether a wait of {@code width} in {@code scope} is emulated in-process; refuses
     *     what cannot be served
     */
    private boolean route(Width width, Scope scope) {
        checkAvailable();
        Support support = capabilities.width(width);
        if (support == Support.NONE) {
            throw unsupported(width + " words");
        }
        if (scope == Scope.SHARED && !capabilities.supports(width, scope)) {
            throw unsupported(Refusals.shared(width.bytes(), capabilities.shared())
                    + (capabilities.nativeWidths().isEmpty() ? NativeSupport.sharedHint() : ""));
        }
        return support == Support.EMULATED;
    }

    /** Refuses requeue or wakeOp where the OS lacks it or serves INT32 words in-process. */
    private void checkTwoWordOperation(String operation, boolean supported, Scope scope) {
        checkAvailable();
        if (!supported) {
            throw unsupported(operation);
        }
        if (route(Width.INT32, scope)) {
            throw unsupported(operation + " on emulated INT32 words");
        }
    }

    private UnsupportedOperationException unsupported(String what) {
        return Refusals.unsupported(name, what, capabilities);
    }

    /** @return the public exception for an OS answer the backend did not expect */
    private WaitOnAddressException failure(OsCallException e) {
        String codeName = e.codeName();
        int meaning = codeName.indexOf(" (");
        return new WaitOnAddressException(name, e.call(), e.code(),
                meaning < 0 ? codeName : codeName.substring(0, meaning), e);
    }

    /**
     * The words one thread sleeps on in the OS, reused by its every wait (no allocation per call),
     * and what its interrupter wakes.
     */
    private static final class Frame implements WaitInterruptor.Waker {
        private static final ThreadLocal<Frame> CURRENT = ThreadLocal.withInitial(Frame::new);

        int count;
        long[] addresses = new long[1];
        int[] bytes = new int[1];
        long[] expected = new long[1];
        boolean[] shared = new boolean[1];
        /** The index the last call found changed, or -1 where it did not say. */
        int changed;
        /** Whether the index returned was found changed rather than woken. */
        boolean mismatch;
        /** The index of the word the last call could not read. */
        int faulted;
        private WaitInterruptor interruptor;
        /** The policy of the current call; read by an interrupter. */
        Policy policy;
        /** This thread's registration with a policy's {@link Sleepers}. */
        final Sleepers.Sleeper sleeper = new Sleepers.Sleeper();

        /** @return the calling thread's frame, sized for {@code n} words */
        static Frame of(int n) {
            Frame f = CURRENT.get();
            if (f.addresses.length < n) {
                f.addresses = new long[n];
                f.bytes = new int[n];
                f.expected = new long[n];
                f.shared = new boolean[n];
            }
            f.count = n;
            return f;
        }

        void set(int i, long address, int width, long value, boolean isShared) {
            addresses[i] = address;
            bytes[i] = width;
            expected[i] = Words.signExtend(value, width);
            shared[i] = isShared;
        }

        /** Wakes the words of the call, and the words a requeue moved it to. */
        @Override
        public void wakeForInterrupt() {
            Policy p = policy;
            long[] a = addresses;
            int[] b = bytes;
            boolean[] s = shared;
            int n = Math.min(count, Math.min(a.length, Math.min(b.length, s.length)));
            for (int i = 0; i < n; i++) {
                p.wakeAllForInterrupt(a[i], b[i], s[i]);
            }
            if (p.sleepers != null) {
                sleeper.movedTo(p::wakeAllForInterrupt);
            }
        }

        WaitInterruptor interruptor() {
            WaitInterruptor w = interruptor;
            if (w == null || !w.isOpen()) {
                w = WaitInterruptor.current();
                interruptor = w;
            }
            return w;
        }
    }
}
