package dev.waitonaddress.linux;

import static dev.waitonaddress.linux.LinuxFutex.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitTarget;
import dev.waitonaddress.WakeOp;
import dev.waitonaddress.Width;
import dev.waitonaddress.spi.AbstractWaitOnAddress;
import dev.waitonaddress.spi.Outcome;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The {@code linux-futex} backend, for Linux on x86_64 and aarch64.
 *
 * <ul>
 *   <li>{@code await} / {@code wake}: {@code futex(2)} on 32-bit words, PRIVATE
 *       ({@code FUTEX_PRIVATE_FLAG}) and SHARED (no flag: any {@code MAP_SHARED} memory, across
 *       processes, interoperable with C, C++ and Rust code that calls futex on the same word).
 *       Timed waits pass the absolute deadline to {@code FUTEX_WAIT_BITSET} on
 *       {@code CLOCK_MONOTONIC}, the clock of {@link System#nanoTime()} here (checked once at
 *       start-up; where they differ, the remaining time goes to {@code FUTEX_WAIT} as a relative
 *       time-out). A poll (a deadline already passed, a time-out of 0) still goes through the
 *       kernel, which compares the word without sleeping or arming a timer: a
 *       {@code FUTEX_CMP_REQUEUE} that wakes and moves nobody. Other widths are emulated
 *       in-process by the policy (PRIVATE only; SHARED is refused).</li>
 *   <li>{@code awaitAny}: {@code futex_waitv(2)} (Linux 5.16+), up to 128 INT32 words mixing
 *       PRIVATE and SHARED, with an absolute {@code CLOCK_MONOTONIC} deadline. The kernel names
 *       the word it was woken on; when it refuses to sleep because a word differs it does not say
 *       which, so the backend reads the words in order and returns the first that differs (every
 *       word must therefore be readable memory, as the API requires of any address for the
 *       duration of the call); if none differs any more, it waits again. Whether the kernel has
 *       {@code futex_waitv} is probed once; without it (ENOSYS) {@code awaitAny} is emulated
 *       in-process, {@link #capabilities()} says so and {@link #toString()} says why.
 *       {@code -Ddev.waitonaddress.linux-futex.futex_waitv=false} forces the emulation.</li>
 *   <li>{@code requeue}: {@code FUTEX_CMP_REQUEUE}; when the word at {@code from} does not hold
 *       {@code expected} nothing is done and the result is
 *       {@link WaitOnAddress#REQUEUE_MISMATCH}, not an exception.</li>
 *   <li>{@code wakeOp}: {@code FUTEX_WAKE_OP} with {@link WakeOp#encode()} as the encoded
 *       operation.</li>
 * </ul>
 *
 * <p>Thread-safe. Every call is one system call; the per-thread scratch memory for timespecs and
 * {@code futex_waitv} arrays is reused, so no call allocates.
 */
public final class LinuxFutexWaitOnAddress extends AbstractWaitOnAddress {
    /** The priority: a native backend. */
    public static final int PRIORITY = 100;

    /** System property: {@code false} makes {@code awaitAny} emulated even where futex_waitv exists. */
    public static final String FUTEX_WAITV_PROPERTY = "dev.waitonaddress.linux-futex.futex_waitv";

    private static final Throwable UNAVAILABILITY = probe();
    private static final boolean ABSOLUTE_DEADLINES = UNAVAILABILITY == null && nanoTimeIsMonotonic();
    /** Why {@code awaitAny} is emulated, or null when futex_waitv serves it. */
    private static final String WAITV_MISSING = UNAVAILABILITY == null ? probeWaitv() : "linux-futex is unavailable";

    /**
     * Up to this many words an {@code awaitAny} poll compares them one by one ({@link #poll});
     * beyond, one futex_waitv with a deadline already passed is cheaper (measured here: 2.3 us a
     * word from Java one by one, 18 us for futex_waitv's timer plus about 1 us a word).
     */
    private static final int POLL_WORDS_ONE_BY_ONE = 4;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final Capabilities capabilities = Capabilities.builder()
            .nativeWidths(Width.INT32)
            .emulateOtherWidths()
            .shared(true)
            .awaitAny(WAITV_MISSING == null ? Capabilities.Support.NATIVE : Capabilities.Support.EMULATED,
                    WAITV_MISSING == null ? FUTEX_WAITV_MAX : 1024)
            .requeue(true)
            .compareRequeue(true)
            .wakeOp(true)
            .wakeCountReported(true)
            .nativeAbsoluteDeadlines(ABSOLUTE_DEADLINES)
            .build();

    /** Made by {@link java.util.ServiceLoader}. */
    public LinuxFutexWaitOnAddress() {
        super("linux-futex", PRIORITY, UNAVAILABILITY);
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** The name, and why the backend is unavailable or why {@code awaitAny} is emulated. */
    @Override
    public String toString() {
        return super.toString()
                + (isAvailable() && WAITV_MISSING != null ? " (awaitAny emulated in-process: " + WAITV_MISSING + ")" : "");
    }

    // ---------------------------------------------------------------- start-up probes

    /** Loads the bindings and makes one harmless call: a private wake of a word nobody waits on. */
    private static Throwable probe() {
        try {
            Memory word = new Memory(4);
            word.setInt(0, 0);
            long r = SystemCall.call(SYS_FUTEX, Pointer.nativeValue(word), FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
            if (r < 0) {
                int errno = (int) -r;
                return new UnsupportedOperationException("futex(FUTEX_WAKE) failed here with " + errnoName(errno)
                        + (errno == ENOSYS ? ": the kernel or a seccomp filter refuses futex" : ""));
            }
            return null;
        } catch (Throwable t) { // no Linux, no JNA native library, unknown architecture
            return t;
        }
    }

    /**
     * Asks futex_waitv to wait on one word holding 0 for the value 1: a kernel that has it answers
     * EAGAIN at once, one that lacks it ENOSYS.
     *
     * @return null when futex_waitv works, else why awaitAny is emulated
     */
    private static String probeWaitv() {
        if ("false".equalsIgnoreCase(System.getProperty(FUTEX_WAITV_PROPERTY, "true").trim())) {
            return "futex_waitv turned off by -D" + FUTEX_WAITV_PROPERTY + "=false";
        }
        try (Memory m = new Memory(8 + WAITV_SIZE)) {
            long word = Pointer.nativeValue(m);
            m.setLong(0, 0);
            m.setLong(8 + WAITV_VAL, 1);
            m.setLong(8 + WAITV_UADDR, word);
            m.setInt(8 + WAITV_FLAGS, FUTEX2_SIZE_U32 | FUTEX2_PRIVATE);
            m.setInt(8 + WAITV_RESERVED, 0);
            long r = SystemCall.call(SYS_FUTEX_WAITV, word + 8, 1, 0, 0, CLOCK_MONOTONIC, 0);
            int errno = r < 0 ? (int) -r : 0;
            if (errno == EAGAIN) {
                return null;
            }
            if (errno == ENOSYS) {
                return "system call " + SYS_FUTEX_WAITV + " (futex_waitv) answered ENOSYS: Linux before 5.16, "
                        + "a seccomp filter or an emulator without it";
            }
            return "futex_waitv answered " + (r < 0 ? errnoName(errno) : "" + r)
                    + " where a kernel that has it answers EAGAIN";
        }
    }

    /** Whether {@code CLOCK_MONOTONIC} and {@link System#nanoTime()} agree to within a millisecond. */
    private static boolean nanoTimeIsMonotonic() {
        try (Memory ts = new Memory(TIMESPEC_SIZE)) {
            long before = System.nanoTime();
            if (clock_gettime(CLOCK_MONOTONIC, Pointer.nativeValue(ts)) != 0) {
                return false;
            }
            long after = System.nanoTime();
            long monotonic = ts.getLong(0) * 1_000_000_000L + ts.getLong(8);
            return monotonic >= before - 1_000_000 && monotonic <= after + 1_000_000;
        }
    }

    private static int privateFlag(Scope scope) {
        return scope == Scope.PRIVATE ? FUTEX_PRIVATE_FLAG : 0;
    }

    // ---------------------------------------------------------------- the primitives

    @Override
    protected Outcome waitNative(long address, Width width, long expected, Scope scope, boolean timed,
            long deadlineNanoTime) {
        if (timed && remainingNanos(deadlineNanoTime) == 0) {
            return poll(address, expected, scope) ? Outcome.MISMATCH : Outcome.TIMED_OUT;
        }
        int op = FUTEX_WAIT;
        long timespec = 0;
        if (timed) {
            Scratch s = SCRATCH.get();
            if (ABSOLUTE_DEADLINES) {
                op = FUTEX_WAIT_BITSET;
                timespec = s.timespec(Math.max(0, deadlineNanoTime)); // a negative tv_sec is EINVAL; 0 is long past
            } else {
                timespec = s.timespec(remainingNanos(deadlineNanoTime));
            }
        }
        long r = SystemCall.call(SYS_FUTEX, address, op | privateFlag(scope), expected & 0xffff_ffffL, timespec, 0,
                FUTEX_BITSET_MATCH_ANY);
        if (r >= 0) {
            return Outcome.WOKEN;
        }
        switch (verdict(Call.WAIT, (int) -r)) {
            case MISMATCH: return Outcome.MISMATCH;
            case TIMED_OUT: return Outcome.TIMED_OUT;
            default: return Outcome.RETRY;
        }
    }

    /**
     * A poll: the kernel compares the word, under the same lock as a wait, without sleeping.
     * FUTEX_CMP_REQUEUE that wakes and moves nobody, from the word to itself, answers 0 when the
     * word holds {@code expected}, EAGAIN when not, EFAULT for unmapped memory. (A wait whose
     * deadline has passed answers the same, but arms a timer first: about 17 us against 0.9 us
     * on the 2-core VM this was measured on.)
     *
     * @return whether the word differs from {@code expected}
     */
    private boolean poll(long address, long expected, Scope scope) {
        long r = SystemCall.call(SYS_FUTEX, address, FUTEX_CMP_REQUEUE | privateFlag(scope), 0, 0, address,
                expected & 0xffff_ffffL);
        return r < 0 && verdict(Call.POLL, (int) -r) == Verdict.MISMATCH;
    }

    @Override
    protected int wakeNative(long address, Width width, Scope scope, int count) {
        long r = SystemCall.call(SYS_FUTEX, address, FUTEX_WAKE | privateFlag(scope), count, 0, 0, 0);
        if (r >= 0) {
            return (int) r;
        }
        verdict(Call.WAKE, (int) -r); // NOBODY_WAITS, or it throws
        return 0;
    }

    @Override
    protected int awaitAnyNative(List<WaitTarget> targets, boolean timed, long deadlineNanoTime) {
        int n = targets.size();
        if (n <= POLL_WORDS_ONE_BY_ONE && timed && remainingNanos(deadlineNanoTime) == 0) {
            for (int i = 0; i < n; i++) {
                WaitTarget t = targets.get(i);
                if (poll(Pointer.nativeValue(t.address()), t.expected(), t.scope())) {
                    return i;
                }
            }
            return WaitOnAddress.TIMED_OUT;
        }
        Scratch s = SCRATCH.get();
        for (int i = 0; i < n; i++) {
            WaitTarget t = targets.get(i);
            s.waiter(i, Pointer.nativeValue(t.address()), t.expected() & 0xffff_ffffL,
                    FUTEX2_SIZE_U32 | (t.scope() == Scope.PRIVATE ? FUTEX2_PRIVATE : 0));
        }
        long timespec = 0;
        if (timed) { // futex_waitv takes absolute deadlines only
            timespec = s.timespec(ABSOLUTE_DEADLINES ? Math.max(0, deadlineNanoTime)
                    : saturatedAdd(monotonicNow(s), remainingNanos(deadlineNanoTime)));
        }
        long r = SystemCall.call(SYS_FUTEX_WAITV, s.waiters(), n, 0, timespec, CLOCK_MONOTONIC, 0);
        if (r >= 0) {
            return (int) r; // the index of the word it was woken on
        }
        switch (verdict(Call.WAITV, (int) -r)) {
            case MISMATCH: return firstChanged(targets);
            case TIMED_OUT: return WaitOnAddress.TIMED_OUT;
            default: return AWAIT_ANY_RETRY;
        }
    }

    /**
     * futex_waitv answered EAGAIN without saying which word differed: reads them in order (the
     * kernel read each of them up to the one that differed).
     *
     * @return the first index whose word no longer holds its expected value, or
     *     {@link #AWAIT_ANY_RETRY} when every word holds it again (changed and changed back)
     */
    private static int firstChanged(List<WaitTarget> targets) {
        for (int i = 0; i < targets.size(); i++) {
            WaitTarget t = targets.get(i);
            if (t.address().getInt(0) != (int) t.expected()) {
                return i;
            }
        }
        return AWAIT_ANY_RETRY;
    }

    @Override
    protected int requeueNative(long from, long to, Scope scope, int expected, int wakeCount, int requeueCount) {
        // the fourth argument, the "timeout" slot, carries nr_requeue as a number
        long r = SystemCall.call(SYS_FUTEX, from, FUTEX_CMP_REQUEUE | privateFlag(scope), wakeCount, requeueCount, to,
                expected & 0xffff_ffffL);
        if (r >= 0) {
            return (int) r; // woken plus requeued
        }
        verdict(Call.CMP_REQUEUE, (int) -r); // MISMATCH, or it throws
        return WaitOnAddress.REQUEUE_MISMATCH;
    }

    @Override
    protected int wakeOpNative(long wakeAddress, long opAddress, Scope scope, int wakeCount, int opWakeCount,
            WakeOp op) {
        // the fourth argument, the "timeout" slot, carries nr_wake2 as a number
        long r = SystemCall.call(SYS_FUTEX, wakeAddress, FUTEX_WAKE_OP | privateFlag(scope), wakeCount, opWakeCount,
                opAddress, op.encode() & 0xffff_ffffL);
        if (r >= 0) {
            return (int) r;
        }
        verdict(Call.WAKE_OP, (int) -r); // nothing is expected: it throws
        throw new AssertionError("unreachable");
    }

    // ---------------------------------------------------------------- errno, in one place

    /** The system calls, and which of them compare words or sleep. */
    private enum Call {
        WAIT("futex(FUTEX_WAIT)", true, true),
        WAKE("futex(FUTEX_WAKE)", false, false),
        WAITV("futex_waitv", true, true),
        CMP_REQUEUE("futex(FUTEX_CMP_REQUEUE)", true, false),
        POLL("futex(FUTEX_CMP_REQUEUE) as a poll", true, false),
        WAKE_OP("futex(FUTEX_WAKE_OP)", false, false);

        final String text;
        final boolean compares;
        final boolean sleeps;

        Call(String text, boolean compares, boolean sleeps) {
            this.text = text;
            this.compares = compares;
            this.sleeps = sleeps;
        }
    }

    /** What a failed call means for the caller. */
    private enum Verdict { MISMATCH, TIMED_OUT, RETRY, NOBODY_WAITS }

    /**
     * Every errno of every call, read here and nowhere else.
     *
     * @return what it means for {@code call}
     * @throws dev.waitonaddress.WaitOnAddressException for an errno the contract does not expect
     */
    private Verdict verdict(Call call, int errno) {
        switch (errno) {
            case EAGAIN:    // a word did not hold its expected value: nothing was done
                if (call.compares) {
                    return Verdict.MISMATCH;
                }
                break;
            case ETIMEDOUT: // the deadline passed; the policy re-checks it on System.nanoTime()
                if (call.sleeps) {
                    return Verdict.TIMED_OUT;
                }
                break;
            case EINTR:     // a signal cut the sleep short; the policy calls again, deadline kept
                if (call.sleeps) {
                    return Verdict.RETRY;
                }
                break;
            case EFAULT:    // wake: a SHARED word whose memory is gone, so nobody waits there; else unmapped memory
                if (call == Call.WAKE) {
                    return Verdict.NOBODY_WAITS;
                }
                break;
            case EINVAL:    // misaligned word, bad flags or timespec: the policy checks these first, so a bug
            case ENOSYS:    // futex refused (seccomp), or a FUTEX_WAKE_OP operation this kernel lacks
            case ENOMEM:    // futex_waitv could not allocate its wait queue
            default:
                break;
        }
        throw error(call.text, errno, errnoName(errno));
    }

    // ---------------------------------------------------------------- scratch memory

    /** Reads {@code CLOCK_MONOTONIC} into the scratch timespec, for the rare JVM whose nanoTime differs. */
    private static long monotonicNow(Scratch s) {
        long ts = s.timespec(0);
        if (clock_gettime(CLOCK_MONOTONIC, ts) != 0) {
            throw new IllegalStateException("clock_gettime(CLOCK_MONOTONIC) failed: " + errnoName(Native.getLastError()));
        }
        return s.bytes.getLong(0) * 1_000_000_000L + s.bytes.getLong(8);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * One thread's native scratch: a {@code struct timespec} followed by an array of 128
     * {@code struct futex_waitv}, written through a direct buffer (no JNI call per field).
     */
    private static final class Scratch {
        final Memory memory = new Memory(TIMESPEC_SIZE + (long) FUTEX_WAITV_MAX * WAITV_SIZE);
        final ByteBuffer bytes = memory.getByteBuffer(0, memory.size()).order(ByteOrder.nativeOrder());
        final long address = Pointer.nativeValue(memory);

        /** Writes {@code nanos} as a timespec; @return its address */
        long timespec(long nanos) {
            bytes.putLong(0, nanos / 1_000_000_000L);
            bytes.putLong(8, nanos % 1_000_000_000L);
            return address;
        }

        void waiter(int index, long uaddr, long val, int flags) {
            int at = TIMESPEC_SIZE + index * WAITV_SIZE;
            bytes.putLong(at + WAITV_VAL, val);
            bytes.putLong(at + WAITV_UADDR, uaddr);
            bytes.putInt(at + WAITV_FLAGS, flags);
            bytes.putInt(at + WAITV_RESERVED, 0);
        }

        /** @return the address of the futex_waitv array */
        long waiters() {
            return address + TIMESPEC_SIZE;
        }
    }
}
