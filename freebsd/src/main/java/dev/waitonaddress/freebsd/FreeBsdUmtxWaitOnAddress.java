package dev.waitonaddress.freebsd;

import static dev.waitonaddress.freebsd.FreeBsdAbi.CLOCK_MONOTONIC;
import static dev.waitonaddress.freebsd.FreeBsdAbi.UMTX_OP_WAIT;
import static dev.waitonaddress.freebsd.FreeBsdAbi.UMTX_OP_WAIT_UINT;
import static dev.waitonaddress.freebsd.FreeBsdAbi.UMTX_OP_WAIT_UINT_PRIVATE;
import static dev.waitonaddress.freebsd.FreeBsdAbi.UMTX_OP_WAKE;
import static dev.waitonaddress.freebsd.FreeBsdAbi.UMTX_OP_WAKE_PRIVATE;
import static dev.waitonaddress.freebsd.FreeBsdAbi.UMTX_TIME_BYTES;
import static dev.waitonaddress.freebsd.FreeBsdAbi.UMTX_TIME_CLOCKID;
import static dev.waitonaddress.freebsd.FreeBsdAbi.UMTX_TIME_FLAGS;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import dev.waitonaddress.freebsd.FreeBsdAbi.Errno;
import dev.waitonaddress.spi.Backend;
import dev.waitonaddress.spi.NativeBinding;
import dev.waitonaddress.spi.OsError;
import dev.waitonaddress.spi.Outcome;
import dev.waitonaddress.spi.Traits;
import java.util.concurrent.TimeUnit;

/**
 * The {@code freebsd-umtx} backend: FreeBSD's {@code _umtx_op(2)} for 4- and 8-byte words, within
 * one process and across processes (memory mapped {@code MAP_SHARED}).
 *
 * <ul>
 * <li><b>Operations</b>: a 4-byte word waits with {@code UMTX_OP_WAIT_UINT_PRIVATE} (keyed by
 *     address in this process) or {@code UMTX_OP_WAIT_UINT} (keyed by memory object where the
 *     mapping is shared, else by address) and is woken with {@code UMTX_OP_WAKE_PRIVATE} or
 *     {@code UMTX_OP_WAKE}. An 8-byte word waits with {@code UMTX_OP_WAIT}, which compares a
 *     {@code u_long} and has no private variant, and is woken with {@code UMTX_OP_WAKE}, in both
 *     scopes: a waiter and a waker of one word compute the same key, so they meet, and a private
 *     waiter in a shared mapping can at worst be woken by another process's wake of that word, a
 *     spurious wake-up that every waiter allows for. The 32-bit operations compare the word
 *     zero-extended, so the expected value is passed zero-extended too.
 * <li><b>Time-outs</b> are relative: a {@code struct _umtx_time} on {@code CLOCK_MONOTONIC}
 *     without {@code UMTX_ABSTIME}, in nanoseconds, at most 2<sup>30</sup> seconds per call (the
 *     kernel turns an end beyond about 2<sup>31</sup> seconds of uptime into no time-out at all).
 *     A bare timespec would be measured on {@code CLOCK_REALTIME}; absolute deadlines would tie
 *     the policy's {@link System#nanoTime()} to the kernel's monotonic clock, which the JDK does
 *     not promise. A poll passes a zero time-out: the kernel reads and compares the word first,
 *     then the time-out has already passed.
 * <li><b>Results</b> of a wait: 0 is {@link Outcome#WOKEN}, and also what a word that already
 *     held another value answers (the policy re-reads the word); {@code ETIMEDOUT}
 *     {@link Outcome#TIMED_OUT}; {@code EINTR} (a signal) {@link Outcome#RETRY}; {@code EFAULT}
 *     {@link Outcome#FAULT}, not retried. A wake wakes up to its count and returns 0 without
 *     saying how many: {@link Backend#COUNT_UNKNOWN}; {@code EFAULT} there means the memory is
 *     gone, so nobody waits there: 0. Any other answer is an
 *     {@link dev.waitonaddress.spi.OsCallException} with FreeBSD's errno.
 * <li><b>Binding</b>: libc on 64-bit FreeBSD; with
 *     {@code -Ddev.waitonaddress.freebsd-umtx.library=PATH}, a stand-in library exporting
 *     {@code _umtx_op}, on any 64-bit OS. Elsewhere {@link #unavailabilityCause()} says why not.
 * </ul>
 *
 * <p>Thread-safe: the only state is the outcome of the probe and per-thread scratch memory.
 */
public final class FreeBsdUmtxWaitOnAddress implements Backend {
    /** The priority: a native backend. */
    public static final int PRIORITY = 100;

    /** The backend's name. */
    public static final String NAME = "freebsd-umtx";

    /** The longest time-out one wait takes, in nanoseconds: 2<sup>30</sup> seconds (see the class comment). */
    static final long MAX_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1L << 30);

    /** The time-out a poll passes, in nanoseconds: 0, which still compares (see the class comment). */
    static final long POLL_NANOS = 0;

    /** What FreeBSD does and how its calls behave, for the policy. */
    private static final Traits TRAITS = Traits.builder()
            .nativeWidths(4, 8)
            .shared(true)
            .relativeTimeouts(TimeUnit.NANOSECONDS, MAX_TIMEOUT_NANOS)
            .pollTimeout(POLL_NANOS)
            .ambiguousSuccess()
            .faults(0, Errno.EFAULT.code(), Errno.EFAULT.name())
            .build();

    /** The errno enum indexed by value. */
    private static final Errno[] ERRNOS = OsError.table(Errno.class);

    /** Per thread: the {@code struct _umtx_time} of a timed wait. */
    private static final ThreadLocal<Memory> UMTX_TIME = ThreadLocal.withInitial(() -> {
        Memory m = new Memory(UMTX_TIME_BYTES);
        m.clear();
        m.setInt(UMTX_TIME_FLAGS, 0); // relative
        m.setInt(UMTX_TIME_CLOCKID, CLOCK_MONOTONIC);
        return m;
    });

    /**
     * Binds the library and makes two harmless calls on a private word: a wake nobody waits for
     * must answer 0, and a wait with a zero time-out for a value the word does not hold must
     * answer 0 at once (which also shows that the {@code _umtx_time} form is taken).
     */
    private static final Throwable UNAVAILABILITY = NativeBinding.probe(() -> {
        try (Memory word = new Memory(8)) {
            word.clear();
            check(FreeBsdAbi._umtx_op(Pointer.nativeValue(word), UMTX_OP_WAKE_PRIVATE, 1, 0, 0), "UMTX_OP_WAKE_PRIVATE");
            Memory time = UMTX_TIME.get();
            time.setLong(0, 0);
            time.setLong(8, 0);
            check(FreeBsdAbi._umtx_op(Pointer.nativeValue(word), UMTX_OP_WAIT_UINT_PRIVATE, 1, UMTX_TIME_BYTES,
                    Pointer.nativeValue(time)), "UMTX_OP_WAIT_UINT_PRIVATE");
        }
    });

    /** Made by {@link java.util.ServiceLoader}. */
    public FreeBsdUmtxWaitOnAddress() {
    }

    /**
     * @param r a probe call's result
     * @param op its operation's name
     * @throws UnsupportedOperationException unless {@code r} is 0
     */
    private static void check(int r, String op) {
        if (r != 0) {
            int code = Native.getLastError();
            Errno e = OsError.of(ERRNOS, code, Errno.UNKNOWN);
            throw new UnsupportedOperationException(NAME + ": _umtx_op(" + op + ") answers " + r + " here, with "
                    + e + " (" + code + ", " + e.meaning() + ")");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Throwable unavailabilityCause() {
        return UNAVAILABILITY;
    }

    @Override
    public Traits traits() {
        return TRAITS;
    }

    /** @return libc, or the overriding library's path and property */
    @Override
    public String binding() {
        return NativeBinding.describe(NAME, Platform.C_LIBRARY_NAME);
    }

    @Override
    public Outcome await(long address, int bytes, long expected, boolean shared, boolean timed, long timeout) {
        int op = bytes == 8 ? UMTX_OP_WAIT : shared ? UMTX_OP_WAIT_UINT : UMTX_OP_WAIT_UINT_PRIVATE;
        long value = bytes == 8 ? expected : expected & 0xFFFF_FFFFL; // the kernel zero-extends a u_int
        long size = 0;
        long time = 0;
        if (timed) {
            Memory t = UMTX_TIME.get();
            t.setLong(0, timeout / 1_000_000_000L);
            t.setLong(8, timeout % 1_000_000_000L);
            size = UMTX_TIME_BYTES;
            time = Pointer.nativeValue(t);
        }
        if (FreeBsdAbi._umtx_op(address, op, value, size, time) == 0) {
            return Outcome.WOKEN; // woken, spuriously, or the word held another value: the policy re-reads
        }
        int code = Native.getLastError();
        Errno errno = OsError.of(ERRNOS, code, Errno.UNKNOWN);
        switch (errno) {
            case ETIMEDOUT:  // the time-out expired (the policy checks its deadline)
                return Outcome.TIMED_OUT;
            case EINTR:      // a signal cut the sleep short (a restart is reported as this too)
                return Outcome.RETRY;
            case EFAULT:     // the word is not mapped (or, keyed by memory object, not writable)
                return Outcome.FAULT;
            case EINVAL:     // a time-out out of range: built here from a non-negative count, so a bug
            case EOPNOTSUPP: // the wait operations are always built in
            case ENOSYS:     // _umtx_op missing, though the probe's calls worked
            case UNKNOWN:    // a value _umtx_op(2) does not document
            default:
                throw OsError.unexpected(NAME, "_umtx_op(" + opName(op) + ")", code, errno);
        }
    }

    /**
     * One {@code UMTX_OP_WAKE_PRIVATE} (4-byte private words) or {@code UMTX_OP_WAKE}.
     *
     * @param address the word
     * @param bytes its width: 4 or 8
     * @param shared whether the waiters wait across processes
     * @param count how many to wake at most
     * @return {@link Backend#COUNT_UNKNOWN}; 0 for memory that is not mapped
     */
    @Override
    public int wake(long address, int bytes, boolean shared, int count) {
        int op = bytes == 4 && !shared ? UMTX_OP_WAKE_PRIVATE : UMTX_OP_WAKE;
        if (FreeBsdAbi._umtx_op(address, op, count, 0, 0) == 0) {
            return COUNT_UNKNOWN; // woke up to count, without saying how many
        }
        int code = Native.getLastError();
        Errno errno = OsError.of(ERRNOS, code, Errno.UNKNOWN);
        switch (errno) {
            case EFAULT:     // no mapping to key the word by: nobody can wait there
                return 0;
            case EINVAL:     // the wake operations take no time-out
            case EOPNOTSUPP: // the wake operations are always built in
            case ETIMEDOUT:  // a wake does not sleep
            case EINTR:      // a wake does not sleep, so no signal cuts it short
            case ENOSYS:     // _umtx_op missing, though the probe's wake worked
            case UNKNOWN:    // a value _umtx_op(2) does not document
            default:
                throw OsError.unexpected(NAME, "_umtx_op(" + opName(op) + ")", code, errno);
        }
    }

    /**
     * @param op an operation number
     * @return its name in {@code sys/umtx.h}
     */
    private static String opName(int op) {
        switch (op) {
            case UMTX_OP_WAIT: return "UMTX_OP_WAIT";
            case UMTX_OP_WAKE: return "UMTX_OP_WAKE";
            case UMTX_OP_WAIT_UINT: return "UMTX_OP_WAIT_UINT";
            case UMTX_OP_WAIT_UINT_PRIVATE: return "UMTX_OP_WAIT_UINT_PRIVATE";
            case UMTX_OP_WAKE_PRIVATE: return "UMTX_OP_WAKE_PRIVATE";
            default: return "op " + op;
        }
    }
}
