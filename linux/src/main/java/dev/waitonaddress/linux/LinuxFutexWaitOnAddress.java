package dev.waitonaddress.linux;

import static dev.waitonaddress.linux.LinuxAbi.BACKEND;
import static dev.waitonaddress.linux.LinuxAbi.CLOCK_MONOTONIC;
import static dev.waitonaddress.linux.LinuxAbi.FUTEX2_PRIVATE;
import static dev.waitonaddress.linux.LinuxAbi.FUTEX2_SIZE_U32;
import static dev.waitonaddress.linux.LinuxAbi.FUTEX_BITSET_MATCH_ANY;
import static dev.waitonaddress.linux.LinuxAbi.FUTEX_CMP_REQUEUE;
import static dev.waitonaddress.linux.LinuxAbi.FUTEX_PRIVATE_FLAG;
import static dev.waitonaddress.linux.LinuxAbi.FUTEX_WAIT;
import static dev.waitonaddress.linux.LinuxAbi.FUTEX_WAITV_MAX;
import static dev.waitonaddress.linux.LinuxAbi.FUTEX_WAIT_BITSET;
import static dev.waitonaddress.linux.LinuxAbi.FUTEX_WAKE;
import static dev.waitonaddress.linux.LinuxAbi.FUTEX_WAKE_OP;
import static dev.waitonaddress.linux.LinuxAbi.SYS_FUTEX;
import static dev.waitonaddress.linux.LinuxAbi.SYS_FUTEX_WAITV;
import static dev.waitonaddress.linux.LinuxAbi.TIMESPEC_SIZE;
import static dev.waitonaddress.linux.LinuxAbi.WAITV_FLAGS;
import static dev.waitonaddress.linux.LinuxAbi.WAITV_RESERVED;
import static dev.waitonaddress.linux.LinuxAbi.WAITV_SIZE;
import static dev.waitonaddress.linux.LinuxAbi.WAITV_UADDR;
import static dev.waitonaddress.linux.LinuxAbi.WAITV_VAL;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.waitonaddress.linux.LinuxAbi.Errno;
import dev.waitonaddress.spi.Backend;
import dev.waitonaddress.spi.NativeBinding;
import dev.waitonaddress.spi.OsError;
import dev.waitonaddress.spi.Outcome;
import dev.waitonaddress.spi.Traits;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The {@code linux-futex} backend, for Linux on x86_64 and aarch64: {@code futex(2)} and
 * {@code futex_waitv(2)} on 32-bit words.
 *
 * <ul>
 *   <li><b>Native</b>: 32-bit words, PRIVATE ({@code FUTEX_PRIVATE_FLAG}) and SHARED (no flag:
 *       any {@code MAP_SHARED} memory, across processes, interoperable with other code that calls
 *       futex on the same word). {@code awaitAny} of up to 128 words mixing both scopes, through
 *       {@code futex_waitv} (Linux 5.16+), where a probe at start-up finds it and
 *       {@code -D}{@value #FUTEX_WAITV_PROPERTY}{@code =false} does not turn it off.
 *       {@code requeue} is {@code FUTEX_CMP_REQUEUE}, which compares the source word atomically;
 *       {@code wakeOp} is {@code FUTEX_WAKE_OP}. A wake reports how many it woke.</li>
 *   <li><b>Time-outs</b>: where {@link System#nanoTime()} reads {@code CLOCK_MONOTONIC} (checked
 *       once at start-up), a wait takes the absolute deadline, through
 *       {@code FUTEX_WAIT_BITSET}; elsewhere it takes relative nanoseconds, through
 *       {@code FUTEX_WAIT}. {@code futex_waitv} takes absolute {@code CLOCK_MONOTONIC} deadlines
 *       only, so there a relative time-out is added to a reading of {@code CLOCK_MONOTONIC}. A
 *       poll is a call of its own that compares the word without sleeping or arming a timer: a
 *       {@code FUTEX_CMP_REQUEUE} that wakes and moves nobody.</li>
 *   <li><b>Results</b>: a wait answers woken, mismatch ({@code EAGAIN}), timed out
 *       ({@code ETIMEDOUT}), retry ({@code EINTR}) or fault ({@code EFAULT}, not retried). A
 *       successful wait means woken, possibly spuriously; it is never ambiguous with a mismatch.
 *       {@code awaitAny} answers the index of the word it was woken on; where a word differed
 *       it does not say which ({@link Backend#ANY_CHANGED}). A wake on a SHARED word whose memory
 *       is gone ({@code EFAULT}) woke nobody. Any other errno is an {@link
 *       dev.waitonaddress.spi.OsCallException}.</li>
 * </ul>
 *
 * <p>Thread-safe. Every call is one system call; the per-thread scratch memory for timespecs and
 * {@code futex_waitv} arrays is reused, so no call allocates.
 */
public final class LinuxFutexWaitOnAddress implements Backend {
    /** The priority: a native backend. */
    public static final int PRIORITY = 100;

    /** System property: {@code false} keeps {@code awaitAny} off futex_waitv even where the kernel has it. */
    public static final String FUTEX_WAITV_PROPERTY = "dev.waitonaddress.linux-futex.futex_waitv";

    /** Zero-extends a 32-bit value: the kernel compares {@code u32} words. */
    private static final long U32 = 0xffff_ffffL;

    /** Why the backend cannot run here, or null. */
    private static final Throwable UNAVAILABILITY = NativeBinding.probe(LinuxFutexWaitOnAddress::probe);
    /** Whether waits take absolute deadlines: {@link System#nanoTime()} reads {@code CLOCK_MONOTONIC}. */
    private static final boolean ABSOLUTE_DEADLINES = UNAVAILABILITY == null && nanoTimeIsMonotonic();
    /** Why futex_waitv does not serve {@code awaitAny}, or null when it does. */
    private static final String WAITV_MISSING = UNAVAILABILITY == null ? probeWaitv() : "linux-futex is unavailable";

    /** What the kernel does, for the policy. */
    private static final Traits TRAITS = buildTraits();

    /** Each thread's native scratch memory. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Made by {@link java.util.ServiceLoader}; binds and probes once per class, never throws. */
    public LinuxFutexWaitOnAddress() {
    }

    /**
     * Builds the traits from the probes.
     *
     * @return the traits
     */
    private static Traits buildTraits() {
        Traits.Builder b = Traits.builder()
                .nativeWidths(4)
                .shared(true)
                .awaitAny(WAITV_MISSING == null ? FUTEX_WAITV_MAX : 0)
                .requeue(true)
                .wakeOp()
                .wakeCountReported()
                .pollByCall()
                .faults(0, Errno.EFAULT.code(), Errno.EFAULT.name());
        if (ABSOLUTE_DEADLINES) {
            b.absoluteNanoTimeDeadlines();
        } else {
            b.relativeTimeouts(TimeUnit.NANOSECONDS, Long.MAX_VALUE);
        }
        return b.build();
    }

    @Override
    public String name() {
        return BACKEND;
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

    /**
     * Says what the backend is bound to, how {@code syscall} is called, and why futex_waitv does
     * not serve {@code awaitAny} where it does not.
     *
     * @return e.g. {@code "libc through java.lang.foreign"} (JDK 22+ with the multi-release api
     *     jar) or {@code "libc through JNA direct mapping"}, with the override's path instead of
     *     libc where one is set, and {@code "; awaitAny emulated in-process: "} and the reason
     *     where futex_waitv is not used
     */
    @Override
    public String binding() {
        String library = NativeBinding.describe(BACKEND, "libc");
        if (UNAVAILABILITY != null) {
            return library;
        }
        return library + " through " + LinuxAbi.PATH
                + (WAITV_MISSING == null ? "" : "; awaitAny emulated in-process: " + WAITV_MISSING);
    }

    /**
     * Names the backend, for diagnostics.
     *
     * @return the name, and why the backend is unavailable or what it is bound to
     */
    @Override
    public String toString() {
        return BACKEND + " (" + (UNAVAILABILITY != null ? "unavailable: " + UNAVAILABILITY : binding()) + ")";
    }

    // ---------------------------------------------------------------- start-up probes

    /** Binds the library and makes one harmless call: a private wake of a word nobody waits on. */
    private static void probe() {
        try (Memory word = new Memory(4)) {
            word.setInt(0, 0);
            long r = LinuxAbi.call(SYS_FUTEX, Pointer.nativeValue(word), FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
            if (r < 0) {
                Errno e = Errno.of((int) -r);
                throw new UnsupportedOperationException("futex(FUTEX_WAKE) failed here with " + e + " (" + -r + ")"
                        + (e == Errno.ENOSYS ? ": the kernel or a seccomp filter refuses futex" : ""));
            }
        }
    }

    /**
     * Asks futex_waitv to wait on one word holding 0 for the value 1: a kernel that has it answers
     * EAGAIN at once, one that lacks it ENOSYS.
     *
     * @return null when futex_waitv works, else why it does not serve {@code awaitAny}
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
            long r = LinuxAbi.call(SYS_FUTEX_WAITV, word + 8, 1, 0, 0, CLOCK_MONOTONIC, 0);
            Errno e = r < 0 ? Errno.of((int) -r) : null;
            if (e == Errno.EAGAIN) {
                return null;
            }
            if (e == Errno.ENOSYS) {
                return "system call " + SYS_FUTEX_WAITV + " (futex_waitv) answered ENOSYS: Linux before 5.16, "
                        + "a seccomp filter or an emulator without it";
            }
            return "futex_waitv answered " + (e != null ? e + " (" + -r + ")" : "" + r)
                    + " where a kernel that has it answers EAGAIN";
        }
    }

    /**
     * Compares the clocks once.
     *
     * @return whether {@code CLOCK_MONOTONIC} and {@link System#nanoTime()} agree to within a millisecond
     */
    private static boolean nanoTimeIsMonotonic() {
        try (Memory ts = new Memory(TIMESPEC_SIZE)) {
            long before = System.nanoTime();
            if (LinuxAbi.clock_gettime(CLOCK_MONOTONIC, Pointer.nativeValue(ts)) != 0) {
                return false;
            }
            long after = System.nanoTime();
            long monotonic = ts.getLong(0) * 1_000_000_000L + ts.getLong(8);
            return monotonic >= before - 1_000_000 && monotonic <= after + 1_000_000;
        }
    }

    /**
     * Chooses the scope flag of a futex op.
     *
     * @param shared whether the word is a cross-process word
     * @return the futex op flag of its scope
     */
    private static int privateFlag(boolean shared) {
        return shared ? 0 : FUTEX_PRIVATE_FLAG;
    }

    // ---------------------------------------------------------------- the raw calls

    /** {@code FUTEX_WAIT} (untimed, or a relative time-out) or {@code FUTEX_WAIT_BITSET} (an absolute deadline). */
    @Override
    public Outcome await(long address, int bytes, long expected, boolean shared, boolean timed, long timeout) {
        boolean bitset = timed && ABSOLUTE_DEADLINES;
        long timespec = timed ? SCRATCH.get().timespec(timeout) : 0;
        long r = LinuxAbi.call(SYS_FUTEX, address, (bitset ? FUTEX_WAIT_BITSET : FUTEX_WAIT) | privateFlag(shared),
                expected & U32, timespec, 0, FUTEX_BITSET_MATCH_ANY);
        if (r >= 0) {
            return Outcome.WOKEN; // by a wake, or spuriously
        }
        Errno e = Errno.of((int) -r);
        switch (e) {
            case EAGAIN:    // the word did not hold expected when the kernel read it: nothing slept
                return Outcome.MISMATCH;
            case ETIMEDOUT: // the time-out passed
                return Outcome.TIMED_OUT;
            case EINTR:     // a signal cut the sleep short
                return Outcome.RETRY;
            case EFAULT:    // the word (or the timespec) is not mapped memory
                return Outcome.FAULT;
            case EACCES:    // no read access to the word (current kernels answer EFAULT)
            case EINVAL:    // a misaligned word, a bad timespec or a zero bit set: the policy rules them out
            case ENOSYS:    // futex refused (a seccomp filter changed its mind after the probe)
                break;
            case UNKNOWN:   // an errno the man page does not list
            case EPERM:     // documented for PI operations only
            case ESRCH:     // documented for PI operations only
            case ENOMEM:    // documented for PI operations only
            case ENFILE:    // documented for FUTEX_FD only
            case EDEADLK:   // documented for PI operations only
                break;
        }
        throw OsError.unexpected(BACKEND, bitset ? "futex(FUTEX_WAIT_BITSET)" : "futex(FUTEX_WAIT)", (int) -r, e);
    }

    /**
     * {@code FUTEX_CMP_REQUEUE} from the word to itself, waking and moving nobody: the kernel reads
     * the word under the same lock as a wait, answers 0 when it holds {@code expected} and
     * {@code EAGAIN} when not, without sleeping or arming a timer.
     */
    @Override
    public Outcome poll(long address, int bytes, long expected, boolean shared) {
        long r = LinuxAbi.call(SYS_FUTEX, address, FUTEX_CMP_REQUEUE | privateFlag(shared), 0, 0, address,
                expected & U32);
        if (r >= 0) {
            return Outcome.TIMED_OUT; // the word holds expected; nobody was woken or moved
        }
        Errno e = Errno.of((int) -r);
        switch (e) {
            case EAGAIN:    // the word did not hold expected
                return Outcome.MISMATCH;
            case EFAULT:    // the word is not mapped memory
                return Outcome.FAULT;
            case EACCES:    // no read access to the word (current kernels answer EFAULT)
            case EINVAL:    // a misaligned word, or a waiter of FUTEX_LOCK_PI on it: another program's PI lock
            case ENOSYS:    // futex refused (a seccomp filter changed its mind after the probe)
                break;
            case UNKNOWN:   // an errno the man page does not list
            case EINTR:     // documented for waits only
            case ETIMEDOUT: // documented for calls with a time-out only
            case EPERM:     // documented for PI operations only
            case ESRCH:     // documented for PI operations only
            case ENOMEM:    // documented for PI operations only
            case ENFILE:    // documented for FUTEX_FD only
            case EDEADLK:   // documented for PI operations only
                break;
        }
        throw OsError.unexpected(BACKEND, "futex(FUTEX_CMP_REQUEUE) as a poll", (int) -r, e);
    }

    /** {@code FUTEX_WAKE}. */
    @Override
    public int wake(long address, int bytes, boolean shared, int count) {
        long r = LinuxAbi.call(SYS_FUTEX, address, FUTEX_WAKE | privateFlag(shared), count, 0, 0, 0);
        if (r >= 0) {
            return (int) r;
        }
        Errno e = Errno.of((int) -r);
        switch (e) {
            case EFAULT:    // a SHARED word whose memory is gone: nobody can wait there
                return 0;
            case EACCES:    // no access to the word's memory
            case EINVAL:    // a misaligned word, or a waiter of FUTEX_LOCK_PI on it: another program's PI lock
            case ENOSYS:    // futex refused (a seccomp filter changed its mind after the probe)
                break;
            case UNKNOWN:   // an errno the man page does not list
            case EAGAIN:    // documented for compares only
            case EINTR:     // documented for waits only
            case ETIMEDOUT: // documented for calls with a time-out only
            case EPERM:     // documented for PI operations only
            case ESRCH:     // documented for PI operations only
            case ENOMEM:    // documented for PI operations only
            case ENFILE:    // documented for FUTEX_FD only
            case EDEADLK:   // documented for PI operations only
                break;
        }
        throw OsError.unexpected(BACKEND, "futex(FUTEX_WAKE)", (int) -r, e);
    }

    /** {@code futex_waitv}, with an absolute {@code CLOCK_MONOTONIC} deadline. */
    @Override
    public int awaitAny(int count, long[] addresses, int[] bytes, long[] expected, boolean[] shared, boolean timed,
            long timeout) {
        Scratch s = SCRATCH.get();
        for (int i = 0; i < count; i++) {
            s.waiter(i, addresses[i], expected[i] & U32, FUTEX2_SIZE_U32 | (shared[i] ? 0 : FUTEX2_PRIVATE));
        }
        long timespec = 0;
        if (timed) {
            timespec = s.timespec(ABSOLUTE_DEADLINES ? timeout : saturatedAdd(monotonicNow(s), timeout));
        }
        long r = LinuxAbi.call(SYS_FUTEX_WAITV, s.waiters(), count, 0, timespec, CLOCK_MONOTONIC, 0);
        if (r >= 0) {
            return (int) r; // the index of a word it was woken on
        }
        Errno e = Errno.of((int) -r);
        switch (e) {
            case EAGAIN:    // some word did not hold its expected value; the kernel does not say which
                return ANY_CHANGED;
            case ETIMEDOUT: // the deadline passed
                return ANY_TIMED_OUT;
            case EINTR:     // a signal cut the sleep short
                return ANY_RETRY;
            case EFAULT:    // a word, the array or the timespec is not mapped memory
            case EINVAL:    // a misaligned word, bad flags, count or timespec: the policy and this method rule them out
            case ENOMEM:    // the kernel could not allocate the wait list
            case ENOSYS:    // futex_waitv refused (a seccomp filter changed its mind after the probe)
                break;
            case UNKNOWN:   // an errno the man page does not list
            case EACCES:    // not documented for futex_waitv
            case EPERM:     // not documented for futex_waitv
            case ESRCH:     // not documented for futex_waitv
            case ENFILE:    // not documented for futex_waitv
            case EDEADLK:   // not documented for futex_waitv
                break;
        }
        throw OsError.unexpected(BACKEND, "futex_waitv", (int) -r, e);
    }

    /** {@code FUTEX_CMP_REQUEUE}; the fourth argument, the time-out's slot, carries the requeue count. */
    @Override
    public int requeue(long from, long to, boolean shared, int expected, int wakeCount, int requeueCount) {
        long r = LinuxAbi.call(SYS_FUTEX, from, FUTEX_CMP_REQUEUE | privateFlag(shared), wakeCount, requeueCount, to,
                expected & U32);
        if (r >= 0) {
            return (int) r; // woken plus moved
        }
        Errno e = Errno.of((int) -r);
        switch (e) {
            case EAGAIN:    // from did not hold expected: nothing was done
                return REQUEUE_MISMATCH;
            case EFAULT:    // from or to is not mapped memory
            case EACCES:    // no read access to from (current kernels answer EFAULT)
            case EINVAL:    // a misaligned word, a negative count, or a waiter of FUTEX_LOCK_PI on from
            case ENOSYS:    // futex refused (a seccomp filter changed its mind after the probe)
                break;
            case UNKNOWN:   // an errno the man page does not list
            case EINTR:     // documented for waits only
            case ETIMEDOUT: // documented for calls with a time-out only
            case EPERM:     // documented for FUTEX_CMP_REQUEUE_PI only
            case ESRCH:     // documented for FUTEX_CMP_REQUEUE_PI only
            case ENOMEM:    // documented for FUTEX_CMP_REQUEUE_PI only
            case ENFILE:    // documented for FUTEX_FD only
            case EDEADLK:   // documented for FUTEX_CMP_REQUEUE_PI only
                break;
        }
        throw OsError.unexpected(BACKEND, "futex(FUTEX_CMP_REQUEUE)", (int) -r, e);
    }

    /** {@code FUTEX_WAKE_OP}; the fourth argument, the time-out's slot, carries the second wake count. */
    @Override
    public int wakeOp(long wakeAddress, long opAddress, boolean shared, int wakeCount, int opWakeCount,
            int encodedOp) {
        long r = LinuxAbi.call(SYS_FUTEX, wakeAddress, FUTEX_WAKE_OP | privateFlag(shared), wakeCount, opWakeCount,
                opAddress, encodedOp & U32);
        if (r >= 0) {
            return (int) r; // woken on both words
        }
        Errno e = Errno.of((int) -r);
        switch (e) {
            case EFAULT:    // the op word is not writable mapped memory
            case EACCES:    // no access to the op word (current kernels answer EFAULT)
            case EINVAL:    // a misaligned word, or a waiter of FUTEX_LOCK_PI on one: another program's PI lock
            case ENOSYS:    // an operation or comparison this kernel does not know, or futex refused
                break;
            case UNKNOWN:   // an errno the man page does not list
            case EAGAIN:    // documented for compares only
            case EINTR:     // documented for waits only
            case ETIMEDOUT: // documented for calls with a time-out only
            case EPERM:     // documented for PI operations only
            case ESRCH:     // documented for PI operations only
            case ENOMEM:    // documented for PI operations only
            case ENFILE:    // documented for FUTEX_FD only
            case EDEADLK:   // documented for PI operations only
                break;
        }
        throw OsError.unexpected(BACKEND, "futex(FUTEX_WAKE_OP)", (int) -r, e);
    }

    // ---------------------------------------------------------------- translation of time-outs

    /**
     * Reads {@code CLOCK_MONOTONIC} through the scratch timespec, for a JVM whose nanoTime differs.
     *
     * @param s the calling thread's scratch
     * @return the clock's reading in nanoseconds
     */
    private static long monotonicNow(Scratch s) {
        long ts = s.timespec(0);
        if (LinuxAbi.clock_gettime(CLOCK_MONOTONIC, ts) != 0) {
            int errno = Native.getLastError();
            throw OsError.unexpected(BACKEND, "clock_gettime(CLOCK_MONOTONIC)", errno, Errno.of(errno));
        }
        return s.bytes.getLong(0) * 1_000_000_000L + s.bytes.getLong(8);
    }

    /**
     * Adds two times without overflow.
     *
     * @param a a time in nanoseconds, not negative
     * @param b a time-out in nanoseconds, not negative
     * @return their sum, or {@code Long.MAX_VALUE} where it overflows
     */
    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * One thread's native scratch: a {@code struct timespec} followed by an array of 128
     * {@code struct futex_waitv}, written through a direct buffer (no JNI call per field).
     */
    private static final class Scratch {
        /** The memory, freed when the thread's scratch is collected. */
        final Memory memory = new Memory(TIMESPEC_SIZE + (long) FUTEX_WAITV_MAX * WAITV_SIZE);
        /** The memory as a buffer in the native byte order. */
        final ByteBuffer bytes = memory.getByteBuffer(0, memory.size()).order(ByteOrder.nativeOrder());
        /** The memory's address: the timespec; the array follows it. */
        final long address = Pointer.nativeValue(memory);

        /** Allocates one thread's scratch. */
        Scratch() {
        }

        /**
         * Writes a timespec.
         *
         * @param nanos a time or time-out in nanoseconds, not negative
         * @return the timespec's address
         */
        long timespec(long nanos) {
            bytes.putLong(0, nanos / 1_000_000_000L);
            bytes.putLong(8, nanos % 1_000_000_000L);
            return address;
        }

        /**
         * Writes one {@code struct futex_waitv}.
         *
         * @param index its index in the array
         * @param uaddr the word
         * @param val the expected value, zero-extended
         * @param flags its futex2 flags
         */
        void waiter(int index, long uaddr, long val, int flags) {
            int at = TIMESPEC_SIZE + index * WAITV_SIZE;
            bytes.putLong(at + WAITV_VAL, val);
            bytes.putLong(at + WAITV_UADDR, uaddr);
            bytes.putInt(at + WAITV_FLAGS, flags);
            bytes.putInt(at + WAITV_RESERVED, 0);
        }

        /**
         * Locates the array.
         *
         * @return the address of the futex_waitv array
         */
        long waiters() {
            return address + TIMESPEC_SIZE;
        }
    }
}
