package dev.waitonaddress.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.jna.Memory;
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
import dev.waitonaddress.testing.Emulators;
import dev.waitonaddress.testing.EveryRun;
import dev.waitonaddress.testing.SharedMemory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Bad input, over the whole argument space of every public method: null, zero, misaligned and
 * unmapped addresses, every width with expected values in and out of range, negative and huge
 * counts and time-outs, {@link TimeUnit} overflow, empty, oversized and duplicate {@code awaitAny}
 * lists, {@link WakeOp} fields out of range. For each case an oracle derived from the javadoc
 * says which exceptions (or results) are allowed; anything else fails, and the JVM must survive.
 *
 * <p>Unmapped addresses go to {@code wake} always, and to {@code await} only where the OS
 * compares (native widths of a backend whose OS reads the word in the kernel, {@link
 * #kernelCompares}): where the library compares in Java a readable address is the caller's duty,
 * and feeding an unmapped one would crash by design. Waits that would block (the value matches
 * and the time-out is long) are not run. The number of cases tried is printed. Every backend of
 * the run.
 */
@EveryRun
class ReliabilityBadInputPropertiesTest {
    private static final AtomicLong CASES = new AtomicLong();
    private static final long POLL_LIMIT_NANOS = 200_000;
    /** Never mapped: below {@code vm.mmap_min_addr}, in the kernel half, non-canonical. */
    private static final List<Long> UNMAPPED = List.of(0x8L, 0x1000L, 0xfff8L, 0x7fff_ffff_e000L);
    /** Not user-space addresses at all: the kernel half, and non-canonical ones. */
    private static final List<Long> NON_USER = List.of(0x0000_8000_0000_0000L, 0xffff_8000_0000_0000L,
            0xffff_ffff_ffff_f000L);
    private static final Memory BLOCK = new Memory(8192);
    private static final SharedMemory SHARED = sharedOrNull();

    static {
        BLOCK.clear();
    }

    private static SharedMemory sharedOrNull() {
        try {
            return SharedMemory.create("woa-badinput", 8192);
        } catch (Exception e) {
            return null;
        }
    }

    /** @return the backends to feed: those of the run */
    private static List<WaitOnAddress> backends() {
        return ReliabilityBackends.ofThisRun();
    }

    /**
     * @return whether {@code woa}'s OS reads the word of a native-width wait itself (a fault is an
     *     error, not a crash); never for a backend bound to its contract emulator: the stand-ins
     *     compare in user space, as Windows' own {@code WaitOnAddress} does
     */
    private static boolean kernelCompares(WaitOnAddress woa) {
        return woa.name().equals("linux-futex") && !Emulators.isBound(woa);
    }

    @AfterContainer
    static void printCount() {
        ReliabilityBackends.report("bad input: cases tried=" + CASES.get() + " (every one ended in its documented "
                + "exception or result; the JVM survived)");
    }

    // ------------------------------------------------------------------ generators

    public enum AddressKind { NULL, ZERO, MISALIGNED, UNMAPPED, NON_USER, PRIVATE_MEMORY, SHARED_MEMORY }

    /** An address and what is wrong with it. */
    public static final class Address {
        final AddressKind kind;
        final Pointer pointer;

        Address(AddressKind kind, Pointer pointer) {
            this.kind = kind;
            this.pointer = pointer;
        }

        boolean isNull() {
            return pointer == null;
        }

        boolean isZero() {
            return pointer != null && Pointer.nativeValue(pointer) == 0;
        }

        boolean misaligned(Width w) {
            return pointer != null && w != null && (Pointer.nativeValue(pointer) & (w.bytes() - 1)) != 0;
        }

        boolean unmapped() {
            return kind == AddressKind.UNMAPPED || kind == AddressKind.NON_USER;
        }

        boolean mapped() {
            return kind == AddressKind.PRIVATE_MEMORY || kind == AddressKind.SHARED_MEMORY
                    || kind == AddressKind.MISALIGNED;
        }

        @Override
        public String toString() {
            return kind + (pointer == null ? "" : "(0x" + Long.toHexString(Pointer.nativeValue(pointer)) + ")");
        }
    }

    @Provide
    public Arbitrary<WaitOnAddress> backend() {
        List<WaitOnAddress> b = backends();
        Assume.that(!b.isEmpty());
        return Arbitraries.of(b);
    }

    @Provide
    public Arbitrary<Address> address() {
        return Arbitraries.of(AddressKind.class).flatMap(kind -> {
            switch (kind) {
                case NULL: return Arbitraries.just(new Address(kind, null));
                case ZERO: return Arbitraries.just(new Address(kind, new Pointer(0)));
                case UNMAPPED: return Arbitraries.of(UNMAPPED).map(a -> new Address(kind, new Pointer(a)));
                case NON_USER: return Arbitraries.of(NON_USER).map(a -> new Address(kind, new Pointer(a)));
                case MISALIGNED: return Arbitraries.integers().between(0, 500).flatMap(slot ->
                        Arbitraries.integers().between(1, 7).map(off -> new Address(kind, BLOCK.share(16L * slot + off))));
                case SHARED_MEMORY:
                    if (SHARED == null) {
                        return Arbitraries.just(new Address(AddressKind.PRIVATE_MEMORY, BLOCK));
                    }
                    return Arbitraries.integers().between(0, 500).map(slot ->
                            new Address(kind, SHARED.pointer().share(16L * slot)));
                default: return Arbitraries.integers().between(0, 500).map(slot ->
                        new Address(kind, BLOCK.share(16L * slot)));
            }
        });
    }

    @Provide
    public Arbitrary<Width> width() {
        return Arbitraries.of(Width.class).injectNull(0.05);
    }

    @Provide
    public Arbitrary<Scope> scope() {
        return Arbitraries.of(Scope.class).injectNull(0.05);
    }

    @Provide
    public Arbitrary<TimeUnit> unit() {
        return Arbitraries.of(TimeUnit.class).injectNull(0.05);
    }

    /** Values around every width's limits, and anything. */
    @Provide
    public Arbitrary<Long> value() {
        List<Long> edges = new ArrayList<>();
        for (Width w : Width.values()) {
            for (long d = -2; d <= 2; d++) {
                edges.add(w.minValue() + d);
                edges.add(w.maxValue() + d);
            }
            edges.add(w.mask());
        }
        edges.addAll(Arrays.asList(0L, 1L, -1L));
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(edges), Arbitraries.longs().between(-300, 300));
    }

    @Provide
    public Arbitrary<Long> timeout() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-3, 200),
                Arbitraries.of(0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 62, (1L << 62) + 1,
                        Long.MAX_VALUE / 1000, Long.MIN_VALUE / 1000, 106_751L, 106_752L, -106_752L));
    }

    @Provide
    public Arbitrary<Integer> count() {
        return Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.integers().between(-3, 3),
                Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE, WaitOnAddress.ALL));
    }

    @Provide
    public Arbitrary<Integer> field() {
        return Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.integers().between(-2100, 2100),
                Arbitraries.of(WakeOp.MIN_ARG - 1, WakeOp.MIN_ARG, WakeOp.MAX_ARG, WakeOp.MAX_ARG + 1, -1, 0, 31, 32));
    }

    // ------------------------------------------------------------------ the oracle

    /** The outcomes a call may have: a result, or one of the exceptions its bad arguments call for. */
    static final class Expect {
        private final Set<Class<? extends Throwable>> allowed = new HashSet<>();
        private boolean resultAllowed = true;
        private final StringBuilder why = new StringBuilder();

        /** If {@code problem}, the call must throw (one of the allowed) {@code ex}. */
        Expect when(boolean problem, Class<? extends Throwable> ex, String what) {
            if (problem) {
                allowed.add(ex);
                resultAllowed = false;
                why.append(what).append("; ");
            }
            return this;
        }

        /** The call may throw {@code ex} or return. */
        Expect mayThrow(Class<? extends Throwable> ex) {
            allowed.add(ex);
            return this;
        }

        boolean refused() {
            return !resultAllowed;
        }

        /** @return the call's result, or null if it threw an allowed exception */
        Object run(String call, Callable<?> c) {
            CASES.incrementAndGet();
            Object r;
            try {
                r = c.call();
            } catch (Throwable t) {
                if (!allowed.contains(t.getClass())) {
                    throw new AssertionError(call + " threw " + t + "; allowed: " + allowed + " (" + why + ")", t);
                }
                if (t.getMessage() == null || t.getMessage().isEmpty()) {
                    fail(call + " threw " + t.getClass().getSimpleName() + " without a message");
                }
                return null;
            }
            if (!resultAllowed) {
                fail(call + " returned " + r + " but must refuse: " + why);
            }
            return r;
        }
    }

    private static boolean matches(Pointer p, Width w, long expected) {
        long v;
        switch (w) {
            case INT8: v = p.getByte(0); break;
            case INT16: v = p.getShort(0); break;
            case INT32: v = p.getInt(0); break;
            default: v = p.getLong(0);
        }
        return ((v ^ expected) & w.mask()) == 0;
    }

    /** Fills the word (and its neighbourhood) with {@code fill}, or with {@code expected} to make it match. */
    private static void fill(Address a, long fill, boolean makeMatch, Width w, long expected) {
        if (!a.mapped()) {
            return;
        }
        Pointer base = new Pointer(Pointer.nativeValue(a.pointer) & ~7L);
        base.setLong(0, fill);
        base.setLong(8, fill);
        if (makeMatch && w != null) {
            long off = Pointer.nativeValue(a.pointer) - Pointer.nativeValue(base);
            for (int i = 0; i < w.bytes(); i++) {
                base.setByte(off + i, (byte) (expected >>> (8 * i)));
            }
        }
    }

    /** The refusals that {@code await} and {@code wake} share, for one word. */
    private static Expect wordChecks(WaitOnAddress woa, Address a, Width w, Scope s) {
        Capabilities caps = woa.capabilities();
        Expect e = new Expect()
                .when(a.isNull() || w == null || s == null, NullPointerException.class, "null argument")
                .when(a.isZero(), IllegalArgumentException.class, "address 0")
                .when(a.misaligned(w), IllegalArgumentException.class, "misaligned");
        if (w != null && s != null) {
            e.when(!caps.supports(w, s), UnsupportedOperationException.class, w + "/" + s + " refused");
        }
        return e;
    }

    /** Whether {@code await} may be given this address: never an unmapped one that the library would read in Java. */
    private boolean mayAwaitOn(WaitOnAddress woa, Address a, Width w) {
        return !a.unmapped() || w == null || woa.capabilities().width(w) == Support.NATIVE && kernelCompares(woa);
    }

    // ------------------------------------------------------------------ await

    @Property(tries = 1500)
    public void awaitWithATimeOut(@ForAll("backend") WaitOnAddress woa, @ForAll("address") Address a,
            @ForAll("width") Width w, @ForAll("value") long expected, @ForAll("scope") Scope s,
            @ForAll("timeout") long timeout, @ForAll("unit") TimeUnit unit, @ForAll boolean makeMatch,
            @ForAll("value") long fill) {
        Assume.that(mayAwaitOn(woa, a, w));
        fill(a, fill, makeMatch, w, expected);
        Expect e = wordChecks(woa, a, w, s)
                .when(unit == null, NullPointerException.class, "null unit")
                .when(w != null && !w.accepts(expected), IllegalArgumentException.class, "expected out of range")
                .when(a.unmapped() && !(w == null || s == null || unit == null) && woa.capabilities().supports(w, s)
                        && w.accepts(expected), WaitOnAddressException.class, "unmapped");
        boolean match = a.mapped() && w != null && !a.misaligned(w) && matches(a.pointer, w, expected);
        long nanos = unit == null ? 0 : unit.toNanos(timeout);
        Assume.that(e.refused() || !match || nanos <= POLL_LIMIT_NANOS); // would sleep: not a bad input
        Object r = e.run("await(" + a + ", " + w + ", " + expected + ", " + s + ", " + timeout + " " + unit + ") on "
                + woa.name(), () -> woa.await(a.pointer, w, expected, s, timeout, unit));
        if (r != null) {
            assertEquals(match ? (nanos <= 0 ? WaitResult.TIMED_OUT : r) : WaitResult.MISMATCH, r,
                    "await " + a + " " + w + " expected " + expected + " nanos " + nanos);
            if (match && r != WaitResult.TIMED_OUT) {
                assertEquals(WaitResult.WOKEN, r); // a spurious wake-up is allowed
            }
        }
    }

    @Property(tries = 1500)
    public void awaitUntilADeadline(@ForAll("backend") WaitOnAddress woa, @ForAll("address") Address a,
            @ForAll("width") Width w, @ForAll("value") long expected, @ForAll("scope") Scope s,
            @ForAll("timeout") long deadlineOffset, @ForAll boolean absolute, @ForAll boolean makeMatch,
            @ForAll("value") long fill) {
        Assume.that(mayAwaitOn(woa, a, w));
        fill(a, fill, makeMatch, w, expected);
        long deadline = absolute ? deadlineOffset : System.nanoTime() + deadlineOffset;
        Expect e = wordChecks(woa, a, w, s)
                .when(w != null && !w.accepts(expected), IllegalArgumentException.class, "expected out of range")
                .when(a.unmapped() && !(w == null || s == null) && woa.capabilities().supports(w, s)
                        && w.accepts(expected), WaitOnAddressException.class, "unmapped");
        boolean match = a.mapped() && w != null && !a.misaligned(w) && matches(a.pointer, w, expected);
        Assume.that(e.refused() || !match || deadline - System.nanoTime() <= POLL_LIMIT_NANOS);
        Object r = e.run("awaitUntil(" + a + ", " + w + ", " + expected + ", " + s + ", " + deadline + ") on "
                + woa.name(), () -> woa.awaitUntil(a.pointer, w, expected, s, deadline));
        if (r != null && !match) {
            assertEquals(WaitResult.MISMATCH, r);
        }
    }

    @Property(tries = 800)
    public void awaitWithoutATimeOut(@ForAll("backend") WaitOnAddress woa, @ForAll("address") Address a,
            @ForAll("width") Width w, @ForAll("value") long expected, @ForAll("scope") Scope s,
            @ForAll("value") long fill) {
        Assume.that(mayAwaitOn(woa, a, w));
        fill(a, fill, false, w, expected);
        Expect e = wordChecks(woa, a, w, s)
                .when(w != null && !w.accepts(expected), IllegalArgumentException.class, "expected out of range")
                .when(a.unmapped() && !(w == null || s == null) && woa.capabilities().supports(w, s)
                        && w.accepts(expected), WaitOnAddressException.class, "unmapped");
        boolean match = a.mapped() && w != null && !a.misaligned(w) && matches(a.pointer, w, expected);
        Assume.that(e.refused() || !match);
        Object r = e.run("await(" + a + ", " + w + ", " + expected + ", " + s + ") on " + woa.name(),
                () -> woa.await(a.pointer, w, expected, s));
        if (r != null) {
            assertEquals(WaitResult.MISMATCH, r);
        }
    }

    // ------------------------------------------------------------------ wake

    @Property(tries = 1500)
    public void wakeAnything(@ForAll("backend") WaitOnAddress woa, @ForAll("address") Address a, @ForAll("width") Width w,
            @ForAll("scope") Scope s, @ForAll("count") int rawCount, @ForAll boolean viaShorthand) {
        // windows wakes n waiters with n calls of WakeByAddressSingle (the OS does not say when nobody is
        // left): a count near 2^31 takes minutes there, so counts are kept below 10^5 where no count is reported
        int count = woa.capabilities().wakeCountReported(w) || rawCount <= 100_000 || rawCount == WaitOnAddress.ALL
                ? rawCount : rawCount % 100_000;
        Expect e = wordChecks(woa, a, w, s)
                .when(!viaShorthand && count < 1, IllegalArgumentException.class, "count < 1");
        if (a.kind == AddressKind.NON_USER) {
            // no word can live at such an address, so the raw-pointer contract does not cover it; an OS
            // (or its stand-in) may call it invalid rather than "nobody waiting"
            e.mayThrow(WaitOnAddressException.class);
        }
        Object r = e.run("wake(" + a + ", " + w + ", " + s + ", " + count + ") on " + woa.name(), () -> viaShorthand
                ? (count % 2 == 0 ? woa.wakeAll(a.pointer, w, s) : woa.wakeOne(a.pointer, w, s))
                : woa.wake(a.pointer, w, s, count));
        if (r != null) {
            // nobody waits on these words: 0, or -1 where the OS does not say
            int n = (Integer) r;
            assertTrue(n == 0 || n == WaitOnAddress.COUNT_UNKNOWN && !woa.capabilities().wakeCountReported(w),
                    "wake " + a + " returned " + n);
        }
    }

    // ------------------------------------------------------------------ WaitTarget and awaitAny

    @Property(tries = 1000)
    public void waitTargetsValidateThemselves(@ForAll("address") Address a, @ForAll("width") Width w,
            @ForAll("value") long expected, @ForAll("scope") Scope s) {
        Expect e = new Expect()
                .when(a.isNull() || w == null || s == null, NullPointerException.class, "null argument")
                .when(a.isZero() || a.misaligned(w) || w != null && !w.accepts(expected), IllegalArgumentException.class,
                        "zero, misaligned or out of range");
        Object r = e.run("new WaitTarget(" + a + ", " + w + ", " + expected + ", " + s + ")",
                () -> new WaitTarget(a.pointer, w, expected, s));
        if (r != null) {
            WaitTarget t = (WaitTarget) r;
            assertEquals(expected, t.expected());
            assertEquals(t, new WaitTarget(a.pointer, w, expected, s));
        }
    }

    public enum ListKind { NULL, EMPTY, NULL_ELEMENT, ONE, SEVERAL, DUPLICATES, OVERSIZED }

    @Property(tries = 1000)
    public void awaitAnyLists(@ForAll("backend") WaitOnAddress woa, @ForAll ListKind kind,
            @ForAll("timeout") long timeout, @ForAll("unit") TimeUnit unit, @ForAll boolean timed,
            @ForAll("targetSeeds") List<Long> seeds, @ForAll boolean allMatch, @ForAll("scope") Scope listScope,
            @ForAll boolean unmappedTarget) {
        Capabilities caps = woa.capabilities();
        int max = caps.maxAwaitAnyTargets();
        Scope scope = listScope == null ? Scope.PRIVATE : listScope;
        List<WaitTarget> targets;
        List<Width> widths = new ArrayList<>();
        for (Width w : Width.values()) {
            if (caps.supports(w, Scope.PRIVATE)) {
                widths.add(w);
            }
        }
        boolean faulting = false;
        switch (kind) {
            case NULL: targets = null; break;
            case EMPTY: targets = Collections.emptyList(); break;
            case NULL_ELEMENT: targets = new ArrayList<>(Collections.singletonList(null)); break;
            default: {
                int n = kind == ListKind.ONE ? 1 : kind == ListKind.OVERSIZED ? Math.max(max, 1) + 1 + seeds.size()
                        : Math.max(2, Math.min(seeds.size(), Math.max(max, 2)));
                targets = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    long seed = seeds.isEmpty() ? i : seeds.get(i % seeds.size());
                    Width w = widths.isEmpty() ? Width.INT32 : widths.get((int) Math.floorMod(seed, widths.size()));
                    int slot = kind == ListKind.DUPLICATES ? i % 2 : i % 200; // 4096 + 16 * 200 + 16 < 8192
                    Pointer p = (scope == Scope.SHARED && SHARED != null ? SHARED.pointer() : BLOCK).share(16L * slot + 4096);
                    long expected = seed & w.mask();
                    if (allMatch || i < n - 1) {
                        fill(new Address(AddressKind.PRIVATE_MEMORY, p), ~expected, true, w, expected);
                    } else {
                        fill(new Address(AddressKind.PRIVATE_MEMORY, p), ~expected, false, w, expected);
                    }
                    targets.add(new WaitTarget(p, w, expected, scope));
                }
                if (kind == ListKind.SEVERAL && unmappedTarget && caps.awaitAny() == Support.NATIVE
                        && kernelCompares(woa) && caps.width(Width.INT32) == Support.NATIVE) {
                    // every word native, so the OS reads them all: an unmapped one is an error, not a crash
                    targets.replaceAll(t -> new WaitTarget(t.address(), Width.INT32, t.expected() & 0xffff_ffffL,
                            t.scope()));
                    targets.set(seeds.size() % targets.size(), WaitTarget.ofInt(new Pointer(0x1000), 0, scope));
                    faulting = true;
                }
            }
        }
        boolean sharedRefused = targets != null && targets.stream().anyMatch(t -> t != null
                && (t.scope() == Scope.SHARED && (caps.awaitAny() != Support.NATIVE
                        || caps.width(t.width()) != Support.NATIVE) || !caps.supports(t.width(), t.scope())));
        Expect e = new Expect()
                .when(targets == null || kind == ListKind.NULL_ELEMENT || timed && unit == null,
                        NullPointerException.class, "null")
                .when(caps.awaitAny() == Support.NONE, UnsupportedOperationException.class, "no awaitAny")
                .when(kind == ListKind.EMPTY || kind == ListKind.OVERSIZED, IllegalArgumentException.class,
                        "empty or oversized")
                .when(sharedRefused, UnsupportedOperationException.class, "scope or width refused");
        int bad = faulting ? seeds.size() % targets.size() : -1;
        boolean anyMismatch = false;
        if (targets != null && kind != ListKind.NULL_ELEMENT) {
            for (int i = 0; i < targets.size(); i++) {
                WaitTarget t = targets.get(i);
                anyMismatch |= i != bad && !matches(t.address(), t.width(), t.expected());
            }
        }
        if (faulting && !e.refused()) {
            // the OS may find a changed word before it reaches the unmapped one; otherwise it must fail
            e.when(!anyMismatch, WaitOnAddressException.class, "an unmapped target, all others unchanged");
            e.mayThrow(WaitOnAddressException.class);
        }
        long nanos = timed && unit != null ? unit.toNanos(timeout) : Long.MAX_VALUE;
        Assume.that(e.refused() || faulting || anyMismatch || nanos <= POLL_LIMIT_NANOS);
        List<WaitTarget> list = targets;
        Object r = e.run("awaitAny(" + kind + " of " + (list == null ? 0 : list.size()) + ", " + (timed ? timeout + " "
                + unit : "untimed") + ") on " + woa.name(),
                () -> timed ? woa.awaitAny(list, timeout, unit) : woa.awaitAny(list));
        if (r != null) {
            int i = (Integer) r;
            if (anyMismatch) {
                assertTrue(i >= 0 && i < list.size() && i != bad, "index " + i);
            } else {
                assertTrue(i == WaitOnAddress.AWAIT_ANY_TIMED_OUT || i >= 0 && i < list.size(), "index " + i);
            }
        }
    }

    @Provide
    public Arbitrary<List<Long>> targetSeeds() {
        return Arbitraries.longs().list().ofMinSize(0).ofMaxSize(12);
    }

    // ------------------------------------------------------------------ WakeOp, requeue, wakeOp

    @Property(tries = 1500)
    public void wakeOpsValidateTheirFields(@ForAll @net.jqwik.api.constraints.WithNull(0.05) WakeOp.Operation op,
            @ForAll("field") int oparg, @ForAll @net.jqwik.api.constraints.WithNull(0.05) WakeOp.Comparison cmp,
            @ForAll("field") int cmparg, @ForAll boolean shift, @ForAll int old) {
        boolean badOparg = shift ? oparg < 0 || oparg > 31 : oparg < WakeOp.MIN_ARG || oparg > WakeOp.MAX_ARG;
        Expect e = new Expect()
                .when(op == null || cmp == null, NullPointerException.class, "null")
                .when(badOparg || cmparg < WakeOp.MIN_ARG || cmparg > WakeOp.MAX_ARG, IllegalArgumentException.class,
                        "field out of range");
        Object r = e.run("WakeOp(" + op + ", " + oparg + ", " + shift + ", " + cmp + ", " + cmparg + ")",
                () -> shift ? WakeOp.ofShifted(op, oparg, cmp, cmparg) : WakeOp.of(op, oparg, cmp, cmparg));
        if (r != null) {
            WakeOp w = (WakeOp) r;
            int enc = w.encode();
            assertEquals(op.code() | (shift ? 8 : 0), enc >>> 28);
            assertEquals(cmp.code(), (enc >>> 24) & 0xf);
            assertEquals(oparg, (enc << 8) >> 20, "oparg sign-extends from 12 bits");
            assertEquals(cmparg, (enc << 20) >> 20, "cmparg sign-extends from 12 bits");
            w.apply(old);
            w.test(old);
        }
    }

    @Property(tries = 1000)
    public void requeueAnything(@ForAll("backend") WaitOnAddress woa, @ForAll("address") Address from,
            @ForAll("address") Address to, @ForAll("scope") Scope s, @ForAll int expected,
            @ForAll("count") int wakeCount, @ForAll("count") int requeueCount, @ForAll boolean makeMatch) {
        Capabilities caps = woa.capabilities();
        // without a compare in the OS (OpenBSD) the backend reads from in Java, documented as the
        // caller's duty to keep readable: an unmapped from would crash by design there
        Assume.that(!from.unmapped() || caps.compareRequeue() && kernelCompares(woa));
        fill(from, expected + 1L, makeMatch, Width.INT32, expected);
        Expect e = new Expect()
                .when(from.isNull() || to.isNull() || s == null, NullPointerException.class, "null")
                .when(from.isZero() || to.isZero() || from.misaligned(Width.INT32) || to.misaligned(Width.INT32)
                        || wakeCount < 0 || requeueCount < 0, IllegalArgumentException.class, "bad address or count")
                .when(!caps.requeue() || s != null && !caps.supports(Width.INT32, s)
                        || caps.width(Width.INT32) != Support.NATIVE, UnsupportedOperationException.class, "refused")
                .mayThrow(WaitOnAddressException.class);
        boolean faulting = from.unmapped() || to.unmapped();
        Object r = e.run("requeue(" + from + ", " + to + ", " + s + ", " + expected + ", " + wakeCount + ", "
                + requeueCount + ") on " + woa.name(), () -> woa.requeue(from.pointer, to.pointer, s, expected,
                        wakeCount, requeueCount));
        if (r == null && !faulting && !e.refused()) {
            // WaitOnAddressException is allowed only for an address the kernel cannot read
            fail("requeue on mapped words threw WaitOnAddressException");
        }
        if (r != null) {
            int n = (Integer) r;
            assertTrue(n >= 0 || n == WaitOnAddress.REQUEUE_MISMATCH, "requeue returned " + n);
        }
    }

    @Property(tries = 1000)
    public void wakeOpAnything(@ForAll("backend") WaitOnAddress woa, @ForAll("address") Address wakeAddress,
            @ForAll("address") Address opAddress, @ForAll("scope") Scope s, @ForAll("count") int wakeCount,
            @ForAll("count") int opWakeCount, @ForAll boolean withOp) {
        Capabilities caps = woa.capabilities();
        WakeOp op = withOp ? WakeOp.of(WakeOp.Operation.ADD, 1, WakeOp.Comparison.GT, 0) : null;
        Expect e = new Expect()
                .when(wakeAddress.isNull() || opAddress.isNull() || s == null || op == null,
                        NullPointerException.class, "null")
                .when(wakeAddress.isZero() || opAddress.isZero() || wakeAddress.misaligned(Width.INT32)
                        || opAddress.misaligned(Width.INT32) || wakeCount < 0 || opWakeCount < 0,
                        IllegalArgumentException.class, "bad address or count")
                .when(!caps.wakeOp() || s != null && !caps.supports(Width.INT32, s)
                        || caps.width(Width.INT32) != Support.NATIVE, UnsupportedOperationException.class, "refused");
        if (opAddress.unmapped() || wakeAddress.unmapped()) {
            // the kernel cannot write the op word, or (SHARED) cannot key the wake word: either way the
            // op was not applied, so "nobody woken" would be a lie: an exception is the right answer
            e.mayThrow(WaitOnAddressException.class);
        }
        Object r = e.run("wakeOp(" + wakeAddress + ", " + opAddress + ", " + s + ", " + wakeCount + ", "
                + opWakeCount + ", " + op + ") on " + woa.name(), () -> woa.wakeOp(wakeAddress.pointer,
                        opAddress.pointer, s, wakeCount, opWakeCount, op));
        if (r != null) {
            assertTrue((Integer) r >= 0, "wakeOp returned " + r);
        }
    }
}
