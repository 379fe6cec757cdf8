package dev.waitonaddress;

/**
 * The size of the word an operation compares and waits on.
 *
 * <p>An address must be aligned to {@link #bytes()}. An {@code expected} value of a width may be
 * given in its signed or its unsigned form: for {@link #INT8}, both {@code -1} and {@code 255}
 * name the byte {@code 0xff}.
 */
public enum Width {
    /** One byte. */
    INT8(1),
    /** Two bytes. */
    INT16(2),
    /** Four bytes: the width of a Linux, OpenBSD and C++ {@code std::atomic<int>} futex word. */
    INT32(4),
    /** Eight bytes. */
    INT64(8);

    private final int bytes;

    Width(int bytes) {
        this.bytes = bytes;
    }

    /** {@return the size of the word in bytes: 1, 2, 4 or 8} */
    public int bytes() {
        return bytes;
    }

    /** {@return the bits of the word set, e.g. {@code 0xffff_ffffL} for {@link #INT32}} */
    public long mask() {
        return bytes == 8 ? -1L : (1L << (8 * bytes)) - 1;
    }

    /** {@return the smallest accepted {@code expected} value: the signed minimum of the width} */
    public long minValue() {
        return bytes == 8 ? Long.MIN_VALUE : -(1L << (8 * bytes - 1));
    }

    /** {@return the largest accepted {@code expected} value: the unsigned maximum of the width} */
    public long maxValue() {
        return bytes == 8 ? Long.MAX_VALUE : mask();
    }

    /**
     * Tells whether {@code value} may be given as {@code expected} for a word of this width: a
     * signed or an unsigned value of the width.
     *
     * @param value a value given as {@code expected}
     * @return whether {@code value} is a signed or an unsigned value of this width
     */
    public boolean accepts(long value) {
        return value >= minValue() && value <= maxValue();
    }
}
