package dev.waitonaddress;

/**
 * The operation and comparison of a {@link WaitOnAddress#wakeOp wakeOp}, as Linux's
 * {@code FUTEX_WAKE_OP} defines them. In one atomic step the kernel does
 * <pre>
 *   old = *opAddress;  *opAddress = old OP arg;   // arg = 1 &lt;&lt; oparg in the shift form
 *   wake wakeCount waiters of wakeAddress;
 *   if (old CMP cmparg) wake opWakeCount waiters of opAddress;
 * </pre>
 * {@code oparg} and {@code cmparg} are the kernel's signed 12-bit fields (-2048 to 2047); in the
 * shift form {@code oparg} is a shift count from 0 to 31. Immutable; validated when made.
 */
public final class WakeOp {
    /** The arithmetic applied to the word at {@code opAddress}. */
    public enum Operation {
        /** {@code *op = arg}. */
        SET(0),
        /** {@code *op += arg}. */
        ADD(1),
        /** {@code *op |= arg}. */
        OR(2),
        /** {@code *op &= ~arg}. */
        ANDN(3),
        /** {@code *op ^= arg}. */
        XOR(4);

        private final int code;

        Operation(int code) {
            this.code = code;
        }

        /** {@return the kernel's FUTEX_OP_* number} */
        public int code() {
            return code;
        }
    }

    /** The test of the old value that decides whether {@code opAddress}'s waiters are woken. */
    public enum Comparison {
        /** {@code old == cmparg}. */
        EQ(0),
        /** {@code old != cmparg}. */
        NE(1),
        /** {@code old < cmparg}. */
        LT(2),
        /** {@code old <= cmparg}. */
        LE(3),
        /** {@code old > cmparg}. */
        GT(4),
        /** {@code old >= cmparg}. */
        GE(5);

        private final int code;

        Comparison(int code) {
            this.code = code;
        }

        /** {@return the kernel's FUTEX_OP_CMP_* number} */
        public int code() {
            return code;
        }
    }

    /** The smallest value of a 12-bit signed field. */
    public static final int MIN_ARG = -2048;
    /** The largest value of a 12-bit signed field. */
    public static final int MAX_ARG = 2047;
    /** The kernel's FUTEX_OP_OPARG_SHIFT flag. */
    private static final int OPARG_SHIFT = 8;

    private final Operation operation;
    private final int oparg;
    private final boolean shift;
    private final Comparison comparison;
    private final int cmparg;

    private WakeOp(Operation operation, int oparg, boolean shift, Comparison comparison, int cmparg) {
        if (operation == null) {
            throw new NullPointerException("operation");
        }
        if (comparison == null) {
            throw new NullPointerException("comparison");
        }
        if (shift ? oparg < 0 || oparg > 31 : oparg < MIN_ARG || oparg > MAX_ARG) {
            throw new IllegalArgumentException("oparg " + oparg + " out of range "
                    + (shift ? "0..31 for the shift form" : MIN_ARG + ".." + MAX_ARG + " (12-bit signed)"));
        }
        if (cmparg < MIN_ARG || cmparg > MAX_ARG) {
            throw new IllegalArgumentException(
                    "cmparg " + cmparg + " out of range " + MIN_ARG + ".." + MAX_ARG + " (12-bit signed)");
        }
        this.operation = operation;
        this.oparg = oparg;
        this.shift = shift;
        this.comparison = comparison;
        this.cmparg = cmparg;
    }

    /**
     * {@code *op = old OPERATION oparg}, then compare {@code old COMPARISON cmparg}.
     *
     * @param operation the arithmetic
     * @param oparg its argument, -2048 to 2047
     * @param comparison the test of the old value
     * @param cmparg the value it is compared with, -2048 to 2047
     * @return the operation
     * @throws NullPointerException if {@code operation} or {@code comparison} is null
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static WakeOp of(Operation operation, int oparg, Comparison comparison, int cmparg) {
        return new WakeOp(operation, oparg, false, comparison, cmparg);
    }

    /**
     * The shift form: {@code *op = old OPERATION (1 << shift)}.
     *
     * @param operation the arithmetic
     * @param shift the shift count, 0 to 31
     * @param comparison the test of the old value
     * @param cmparg the value it is compared with, -2048 to 2047
     * @return the operation
     * @throws NullPointerException if {@code operation} or {@code comparison} is null
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static WakeOp ofShifted(Operation operation, int shift, Comparison comparison, int cmparg) {
        return new WakeOp(operation, shift, true, comparison, cmparg);
    }

    /** {@return the arithmetic applied to the word at {@code opAddress}} */
    public Operation operation() {
        return operation;
    }

    /** {@return the operation's argument, or the shift count in the shift form} */
    public int oparg() {
        return oparg;
    }

    /** {@return whether the argument is {@code 1 << oparg}} */
    public boolean isShift() {
        return shift;
    }

    /** {@return the test of the old value} */
    public Comparison comparison() {
        return comparison;
    }

    /** {@return the value the old value is compared with} */
    public int cmparg() {
        return cmparg;
    }

    /** {@return the argument actually applied: {@code oparg}, or {@code 1 << oparg} in the shift form} */
    public int effectiveArgument() {
        return shift ? 1 << oparg : oparg;
    }

    /**
     * Computes what the kernel stores at {@code opAddress}: the old value combined with the
     * {@linkplain #effectiveArgument() argument} by the operation.
     *
     * @param old the word's old value
     * @return the value of {@code old OPERATION arg}
     */
    public int apply(int old) {
        int arg = effectiveArgument();
        switch (operation) {
            case SET: return arg;
            case ADD: return old + arg;
            case OR: return old | arg;
            case ANDN: return old & ~arg;
            case XOR: return old ^ arg;
            default: throw new AssertionError(operation);
        }
    }

    /**
     * Tells whether the old value at {@code opAddress} passes the comparison, in which case
     * {@code opAddress}'s waiters are woken too.
     *
     * @param old the word's old value
     * @return whether {@code old COMPARISON cmparg} holds (signed comparison, as the kernel's)
     */
    public boolean test(int old) {
        switch (comparison) {
            case EQ: return old == cmparg;
            case NE: return old != cmparg;
            case LT: return old < cmparg;
            case LE: return old <= cmparg;
            case GT: return old > cmparg;
            case GE: return old >= cmparg;
            default: throw new AssertionError(comparison);
        }
    }

    /** {@return the kernel's encoded {@code val3} word for FUTEX_WAKE_OP} */
    public int encode() {
        int op = operation.code() | (shift ? OPARG_SHIFT : 0);
        return (op & 0xf) << 28 | (comparison.code() & 0xf) << 24 | (oparg & 0xfff) << 12 | (cmparg & 0xfff);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WakeOp && ((WakeOp) o).encode() == encode();
    }

    @Override
    public int hashCode() {
        return encode();
    }

    @Override
    public String toString() {
        return "WakeOp[" + operation + (shift ? " 1<<" : " ") + oparg + ", if old " + comparison + " " + cmparg + "]";
    }
}
