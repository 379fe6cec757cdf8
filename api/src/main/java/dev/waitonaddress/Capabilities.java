package dev.waitonaddress;

import dev.waitonaddress.spi.Traits;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What one backend does natively, what the library emulates for it and what it refuses.
 * Immutable; the library derives it from what the backend declares about its OS.
 *
 * <p>Every width the OS does not wait on natively is <em>emulated</em>: served inside this
 * process by the library's own parking lot, exact for {@link Scope#PRIVATE} when every waker in
 * the process goes through this library, and refused for {@link Scope#SHARED}. Likewise
 * {@code awaitAny} is emulated where the OS has no wait on several words.
 */
public final class Capabilities {
    /** How a backend serves an operation. */
    public enum Support {
        /** The operating system does it. */
        NATIVE,
        /** The library does it in-process (PRIVATE scope only). */
        EMULATED,
        /** Refused with {@link UnsupportedOperationException}. */
        NONE
    }

    /** The most targets an emulated {@code awaitAny} takes. */
    static final int MAX_EMULATED_AWAIT_ANY = 1024;

    private static final Capabilities NOTHING = new Capabilities(EnumSet.noneOf(Width.class),
            EnumSet.noneOf(Width.class), false, Support.NONE, 0, false, false, false, false, false);

    private final Set<Width> nativeWidths;
    private final Set<Width> emulatedWidths;
    private final boolean shared;
    private final Support awaitAny;
    private final int maxAwaitAnyTargets;
    private final boolean requeue;
    private final boolean compareRequeue;
    private final boolean wakeOp;
    private final boolean nativeWakeCountReported;
    private final boolean nativeAbsoluteDeadlines;

    private Capabilities(Set<Width> nativeWidths, Set<Width> emulatedWidths, boolean shared, Support awaitAny,
            int maxAwaitAnyTargets, boolean requeue, boolean compareRequeue, boolean wakeOp,
            boolean nativeWakeCountReported, boolean nativeAbsoluteDeadlines) {
        this.nativeWidths = Collections.unmodifiableSet(nativeWidths);
        this.emulatedWidths = Collections.unmodifiableSet(emulatedWidths);
        this.shared = shared;
        this.awaitAny = awaitAny;
        this.maxAwaitAnyTargets = maxAwaitAnyTargets;
        this.requeue = requeue;
        this.compareRequeue = compareRequeue;
        this.wakeOp = wakeOp;
        this.nativeWakeCountReported = nativeWakeCountReported;
        this.nativeAbsoluteDeadlines = nativeAbsoluteDeadlines;
    }

    /**
     * @param traits what a backend declares about its OS
     * @return what the library makes of it: every other width and a missing {@code awaitAny} emulated
     */
    static Capabilities of(Traits traits) {
        EnumSet<Width> natives = EnumSet.noneOf(Width.class);
        for (Width w : Width.values()) {
            if (traits.isNative(w.bytes())) {
                natives.add(w);
            }
        }
        boolean nativeAny = traits.maxAwaitAny() > 0;
        return new Capabilities(natives, EnumSet.complementOf(natives), traits.shared() && !natives.isEmpty(),
                nativeAny ? Support.NATIVE : Support.EMULATED,
                nativeAny ? traits.maxAwaitAny() : MAX_EMULATED_AWAIT_ANY,
                traits.requeue(), traits.compareRequeue(), traits.wakeOp(), traits.wakeCountReported(),
                traits.timeouts() == Traits.Timeouts.ABSOLUTE_NANO_TIME);
    }

    /** @return the capabilities of a backend that could not even be loaded: nothing */
    static Capabilities nothing() {
        return NOTHING;
    }

    /** {@return the widths the OS compares and sleeps on itself} */
    public Set<Width> nativeWidths() {
        return nativeWidths;
    }

    /** {@return the widths the library emulates in-process (PRIVATE scope only)} */
    public Set<Width> emulatedWidths() {
        return emulatedWidths;
    }

    /**
     * Tells how this backend serves waits on words of {@code width}: natively, emulated in-process,
     * or not at all.
     *
     * @param width a width
     * @return how {@code width} is served
     */
    public Support width(Width width) {
        return nativeWidths.contains(width) ? Support.NATIVE
                : emulatedWidths.contains(width) ? Support.EMULATED : Support.NONE;
    }

    /** {@return whether SHARED scope (cross-process) works, for the native widths} */
    public boolean shared() {
        return shared;
    }

    /**
     * Tells whether a wait of {@code width} in {@code scope} is accepted: in PRIVATE scope any
     * width the backend serves, in SHARED scope only a native width, and only where
     * {@link #shared()} is true.
     *
     * @param width a width
     * @param scope a scope
     * @return whether a wait of {@code width} in {@code scope} is accepted
     */
    public boolean supports(Width width, Scope scope) {
        Support s = width(width);
        return scope == Scope.PRIVATE ? s != Support.NONE : s == Support.NATIVE && shared;
    }

    /** {@return how {@code awaitAny} is served} */
    public Support awaitAny() {
        return awaitAny;
    }

    /** {@return the most targets one {@code awaitAny} accepts, 0 when it is not supported} */
    public int maxAwaitAnyTargets() {
        return maxAwaitAnyTargets;
    }

    /** {@return whether {@code requeue} works at all (with or without the compare)} */
    public boolean requeue() {
        return requeue;
    }

    /**
     * Whether {@code requeue} compares {@code from} with {@code expected} in one atomic step with
     * the move. Where false but {@link #requeue()} is true, the library reads {@code from} just
     * before the move, which is not atomic with it.
     *
     * @return whether the compare of {@code requeue} is atomic with the move
     */
    public boolean compareRequeue() {
        return compareRequeue;
    }

    /** {@return whether {@code wakeOp} works} */
    public boolean wakeOp() {
        return wakeOp;
    }

    /**
     * Whether {@link WaitOnAddress#wake} of this width returns how many it woke. True for the
     * emulated widths (the library counts its own waiters); for the native ones, whether the OS
     * reports a count. Where false, {@code wake} returns {@link WaitOnAddress#COUNT_UNKNOWN},
     * or the exact count when every thread it woke was waiting in-process (an emulated
     * {@code awaitAny}).
     *
     * @param width a width
     * @return whether a wake of {@code width} words reports its count; false for a width that is refused
     */
    public boolean wakeCountReported(Width width) {
        Support s = width(width);
        return s == Support.EMULATED || s == Support.NATIVE && nativeWakeCountReported;
    }

    /** {@return whether absolute deadlines go to the OS as such (not re-computed as relative time-outs)} */
    public boolean nativeAbsoluteDeadlines() {
        return nativeAbsoluteDeadlines;
    }

    @Override
    public String toString() {
        return "native widths " + nativeWidths + ", emulated widths " + emulatedWidths
                + ", shared " + shared + ", awaitAny " + awaitAny
                + (awaitAny == Support.NONE ? "" : " (max " + maxAwaitAnyTargets + ")")
                + ", requeue " + (compareRequeue ? "with compare" : requeue ? "without compare" : "no")
                + ", wakeOp " + wakeOp + ", native wake count " + (nativeWakeCountReported ? "reported" : "not reported")
                + ", absolute deadlines " + (nativeAbsoluteDeadlines ? "native" : "as relative time-outs");
    }
}
