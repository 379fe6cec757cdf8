package dev.waitonaddress.linux;

import static dev.waitonaddress.linux.LinuxFutex.*;

import com.sun.jna.Memory;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Scope;
import dev.waitonaddress.Width;
import dev.waitonaddress.spi.AbstractWaitOnAddress;
import dev.waitonaddress.spi.Outcome;

/**
 * The {@code linux-futex} backend: {@code futex(2)} for 32-bit words, PRIVATE
 * ({@code FUTEX_PRIVATE_FLAG}) and SHARED (no flag: any {@code MAP_SHARED} memory, across
 * processes). Timed waits pass the absolute deadline to {@code FUTEX_WAIT_BITSET} on
 * {@code CLOCK_MONOTONIC}, the clock of {@link System#nanoTime()} here (checked once at start-up;
 * where they differ, the remaining time goes to {@code FUTEX_WAIT} as a relative time-out).
 * Other widths are emulated in-process by the policy (PRIVATE only).
 */
public final class LinuxFutexWaitOnAddress extends AbstractWaitOnAddress {
    /** The priority: a native backend. */
    public static final int PRIORITY = 100;

    private static final Throwable UNAVAILABILITY = probe();
    private static final boolean ABSOLUTE_DEADLINES = UNAVAILABILITY == null && nanoTimeIsMonotonic();

    /** Per-thread scratch for a {@code struct timespec}: no allocation per wait. */
    private static final ThreadLocal<Memory> TIMESPEC = ThreadLocal.withInitial(() -> new Memory(16));

    private final Capabilities capabilities = Capabilities.builder()
            .nativeWidths(Width.INT32)
            .emulateOtherWidths()
            .shared(true)
            .awaitAny(Capabilities.Support.EMULATED, 1024)
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

    /** Loads the bindings and makes one harmless call: a private wake of a word nobody waits on. */
    private static Throwable probe() {
        try {
            Memory word = new Memory(4);
            word.setInt(0, 0);
            long r = SystemCall.call(SYS_FUTEX, address(word), FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
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

    private static long address(Memory m) {
        return com.sun.jna.Pointer.nativeValue(m);
    }

    /** Whether {@code CLOCK_MONOTONIC} and {@link System#nanoTime()} agree to within a millisecond. */
    private static boolean nanoTimeIsMonotonic() {
        try (Memory ts = new Memory(16)) {
            long before = System.nanoTime();
            if (clock_gettime(CLOCK_MONOTONIC, address(ts)) != 0) {
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

    @Override
    protected Outcome waitNative(long address, Width width, long expected, Scope scope, boolean timed,
            long deadlineNanoTime) {
        int op = FUTEX_WAIT;
        long timespec = 0;
        if (timed) {
            Memory ts = TIMESPEC.get();
            long nanos;
            if (ABSOLUTE_DEADLINES) {
                op = FUTEX_WAIT_BITSET;
                nanos = Math.max(0, deadlineNanoTime); // a negative tv_sec is EINVAL; 0 is long past
            } else {
                nanos = remainingNanos(deadlineNanoTime);
            }
            ts.setLong(0, nanos / 1_000_000_000L);
            ts.setLong(8, nanos % 1_000_000_000L);
            timespec = address(ts);
        }
        long r = SystemCall.call(SYS_FUTEX, address, op | privateFlag(scope), expected & 0xffff_ffffL, timespec, 0,
                FUTEX_BITSET_MATCH_ANY);
        return r == 0 ? Outcome.WOKEN : waitOutcome((int) -r);
    }

    /** Every errno FUTEX_WAIT / FUTEX_WAIT_BITSET can return, with what it means here. */
    private Outcome waitOutcome(int errno) {
        switch (errno) {
            case EAGAIN: return Outcome.MISMATCH;     // the word did not hold the expected value
            case ETIMEDOUT: return Outcome.TIMED_OUT; // the deadline passed (the policy re-checks it)
            case EINTR: return Outcome.RETRY;         // a signal cut the sleep short
            case EFAULT:                              // the address is not mapped readable
            case EINVAL:                              // misaligned address or bad timespec: checked before, a bug
            case ENOSYS:                              // futex refused (seccomp)
            default: throw error("futex(FUTEX_WAIT)", errno, errnoName(errno));
        }
    }

    @Override
    protected int wakeNative(long address, Width width, Scope scope, int count) {
        long r = SystemCall.call(SYS_FUTEX, address, FUTEX_WAKE | privateFlag(scope), count, 0, 0, 0);
        return r >= 0 ? (int) r : wakeOutcome((int) -r);
    }

    /** Every errno FUTEX_WAKE can return, with what it means here. */
    private int wakeOutcome(int errno) {
        switch (errno) {
            case EFAULT: return 0; // SHARED key lookup on memory that is gone: nobody can be waiting there
            case EINVAL:           // misaligned (checked before) or inconsistent PI state: a bug
            case ENOSYS:           // futex refused (seccomp)
            default: throw error("futex(FUTEX_WAKE)", errno, errnoName(errno));
        }
    }
}
