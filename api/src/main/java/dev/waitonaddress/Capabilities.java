package dev.waitonaddress;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What one backend does natively, what it emulates and what it refuses. Immutable; made with
 * {@link #builder()}.
 *
 * <p>An <em>emulated</em> width or {@code awaitAny} is served inside this process by the library's
 * own parking lot: exact for {@link Scope#PRIVATE} when every waker in the process goes through
 * this library, and refused for {@link Scope#SHARED}.
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

    private final Set<Width> nativeWidths;
    private final Set<Width> emulatedWidths;
    private final boolean shared;
    private final Support awaitAny;
    private final int maxAwaitAnyTargets;
    private final boolean requeue;
    private final boolean compareRequeue;
    private final boolean wakeOp;
    private final boolean wakeCountReported;
    private final boolean nativeAbsoluteDeadlines;

    private Capabilities(Builder b) {
        this.nativeWidths = Collections.unmodifiableSet(EnumSet.copyOf(b.nativeWidths));
        EnumSet<Width> emulated = EnumSet.copyOf(b.emulatedWidths);
        emulated.removeAll(b.nativeWidths);
        this.emulatedWidths = Collections.unmodifiableSet(emulated);
        this.shared = b.shared;
        this.awaitAny = b.awaitAny;
        this.maxAwaitAnyTargets = b.awaitAny == Support.NONE ? 0 : b.maxAwaitAnyTargets;
        this.requeue = b.requeue || b.compareRequeue;
        this.compareRequeue = b.compareRequeue;
        this.wakeOp = b.wakeOp;
        this.wakeCountReported = b.wakeCountReported;
        this.nativeAbsoluteDeadlines = b.nativeAbsoluteDeadlines;
    }

    /** @return a builder with nothing supported */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the widths the OS compares and sleeps on itself */
    public Set<Width> nativeWidths() {
        return nativeWidths;
    }

    /** @return the widths the library emulates in-process (PRIVATE scope only) */
    public Set<Width> emulatedWidths() {
        return emulatedWidths;
    }

    /** @return how {@code width} is served */
    public Support width(Width width) {
        return nativeWidths.contains(width) ? Support.NATIVE
                : emulatedWidths.contains(width) ? Support.EMULATED : Support.NONE;
    }

    /** @return whether SHARED scope (cross-process) works, for the native widths */
    public boolean shared() {
        return shared;
    }

    /** @return whether a wait of {@code width} in {@code scope} is accepted */
    public boolean supports(Width width, Scope scope) {
        Support s = width(width);
        return scope == Scope.PRIVATE ? s != Support.NONE : s == Support.NATIVE && shared;
    }

    /** @return how {@code awaitAny} is served */
    public Support awaitAny() {
        return awaitAny;
    }

    /** @return the most targets one {@code awaitAny} accepts, 0 when it is not supported */
    public int maxAwaitAnyTargets() {
        return maxAwaitAnyTargets;
    }

    /** @return whether {@code requeue} works at all (with or without the compare) */
    public boolean requeue() {
        return requeue;
    }

    /** @return whether {@code requeue} compares {@code from} with {@code expected} atomically */
    public boolean compareRequeue() {
        return compareRequeue;
    }

    /** @return whether {@code wakeOp} works */
    public boolean wakeOp() {
        return wakeOp;
    }

    /** @return whether {@code wake} returns how many it woke (otherwise it returns -1) */
    public boolean wakeCountReported() {
        return wakeCountReported;
    }

    /** @return whether absolute deadlines go to the OS as such (not re-computed as relative time-outs) */
    public boolean nativeAbsoluteDeadlines() {
        return nativeAbsoluteDeadlines;
    }

    @Override
    public String toString() {
        return "native widths " + nativeWidths + ", emulated widths " + emulatedWidths
                + ", shared " + shared + ", awaitAny " + awaitAny
                + (awaitAny == Support.NONE ? "" : " (max " + maxAwaitAnyTargets + ")")
                + ", requeue " + (compareRequeue ? "with compare" : requeue ? "without compare" : "no")
                + ", wakeOp " + wakeOp + ", wake count " + (wakeCountReported ? "reported" : "not reported")
                + ", absolute deadlines " + (nativeAbsoluteDeadlines ? "native" : "as relative time-outs");
    }

    /** Assembles a {@link Capabilities}. Not thread-safe. */
    public static final class Builder {
        private final EnumSet<Width> nativeWidths = EnumSet.noneOf(Width.class);
        private final EnumSet<Width> emulatedWidths = EnumSet.noneOf(Width.class);
        private boolean shared;
        private Support awaitAny = Support.NONE;
        private int maxAwaitAnyTargets;
        private boolean requeue;
        private boolean compareRequeue;
        private boolean wakeOp;
        private boolean wakeCountReported;
        private boolean nativeAbsoluteDeadlines;

        private Builder() {
        }

        public Builder nativeWidths(Width... widths) {
            for (Width w : widths) {
                nativeWidths.add(w);
            }
            return this;
        }

        /** Marks every width that is not native as emulated. */
        public Builder emulateOtherWidths() {
            emulatedWidths.addAll(EnumSet.allOf(Width.class));
            return this;
        }

        public Builder shared(boolean value) {
            shared = value;
            return this;
        }

        public Builder awaitAny(Support support, int maxTargets) {
            if (support == null) {
                throw new NullPointerException("support");
            }
            if (support != Support.NONE && maxTargets < 1) {
                throw new IllegalArgumentException("maxTargets " + maxTargets + " < 1");
            }
            awaitAny = support;
            maxAwaitAnyTargets = maxTargets;
            return this;
        }

        public Builder requeue(boolean value) {
            requeue = value;
            return this;
        }

        public Builder compareRequeue(boolean value) {
            compareRequeue = value;
            return this;
        }

        public Builder wakeOp(boolean value) {
            wakeOp = value;
            return this;
        }

        public Builder wakeCountReported(boolean value) {
            wakeCountReported = value;
            return this;
        }

        public Builder nativeAbsoluteDeadlines(boolean value) {
            nativeAbsoluteDeadlines = value;
            return this;
        }

        public Capabilities build() {
            return new Capabilities(this);
        }
    }
}
