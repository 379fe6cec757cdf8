package dev.waitonaddress.macos;

import static dev.waitonaddress.macos.DarwinAbi.UL_COMPARE_AND_WAIT;
import static dev.waitonaddress.macos.DarwinAbi.UL_COMPARE_AND_WAIT64;
import static dev.waitonaddress.macos.DarwinAbi.ULF_NO_ERRNO;
import static dev.waitonaddress.macos.DarwinAbi.ULF_WAKE_ALL;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.macos.DarwinAbi.Errno;
import dev.waitonaddress.macos.DarwinAbi.Ulock;
import dev.waitonaddress.macos.DarwinAbi.UlockWait2;
import dev.waitonaddress.spi.Backend;
import dev.waitonaddress.spi.NativeBinding;
import dev.waitonaddress.spi.OsError;
import dev.waitonaddress.spi.Outcome;
import dev.waitonaddress.spi.Traits;
import java.util.concurrent.TimeUnit;

/**
 * The {@code macos-ulock} backend: the kernel's compare-and-wait calls that libSystem exports
 * privately, {@code __ulock_wait2} (macOS 11 and later) or {@code __ulock_wait}, and
 * {@code __ulock_wake}, with the opcodes {@code UL_COMPARE_AND_WAIT[64]} and
 * {@code UL_COMPARE_AND_WAIT[64]_SHARED}. It serves macOS 10.15 to 14.3, which lack
 * {@code os_sync_wait_on_address}; where both are available, {@code macos-os-sync} wins by
 * priority and this one stays selectable by name. Waits and wakes of the two backends meet in the
 * kernel.
 *
 * <p>What it translates:
 * <ul>
 * <li>4- and 8-byte words, within a process and across processes (the {@code _SHARED} opcodes,
 *     keyed by memory object and offset).
 * <li>Time-outs are relative. With {@code __ulock_wait2} they are nanoseconds, at most one day
 *     per call; with {@code __ulock_wait} (where {@code __ulock_wait2} is missing, or
 *     {@value #WAIT2_PROPERTY} is {@code false}) they are microseconds, at most 2<sup>32</sup> - 1
 *     per call. A time-out of 0 means none to both calls, so a poll passes the smallest, 1.
 * <li>A successful wait means woken <em>or</em> the word held another value: the caller re-reads
 *     the word to tell them apart.
 * <li>A wake wakes one ({@code count} 1) or all (any other count) and never says how many. It
 *     returns 0 when the kernel says nobody of this width waits there, including a shared wake of
 *     memory no memory object backs, where nobody can wait.
 * <li>A word the kernel could not read is {@link Outcome#FAULT}; a signal or a transient shortage
 *     of kernel memory is {@link Outcome#RETRY}.
 * </ul>
 *
 * <p>Available where the bound library exports {@code __ulock_wait} and {@code __ulock_wake} and
 * the kernel takes the 64-bit opcodes (a wake of a word nobody waits on answers "nobody waits" for
 * both widths); the OS version is never consulted. {@code -Ddev.waitonaddress.macos-ulock.library=PATH}
 * binds a library with the same symbols instead of libSystem, on any OS. Thread-safe; stateless
 * after construction.
 */
public final class MacOsUlockWaitOnAddress implements Backend {
    /** The backend's name. */
    public static final String NAME = DarwinAbi.ULOCK_BACKEND;
    /** The priority: below {@code macos-os-sync} (100), above {@code portable} (0). */
    public static final int PRIORITY = 50;
    /**
     * The system property that, set to {@code false}, makes waits use {@code __ulock_wait}
     * (microsecond time-outs) even where {@code __ulock_wait2} exists. Read once, when the class
     * initialises.
     */
    public static final String WAIT2_PROPERTY = "dev.waitonaddress.macos-ulock.wait2";

    /** The longest {@code __ulock_wait2} time-out one call takes, in nanoseconds: a day. */
    private static final long MAX_TIMEOUT_NANOS = TimeUnit.DAYS.toNanos(1);
    /** The longest {@code __ulock_wait} time-out, in microseconds: the largest unsigned 32-bit number. */
    private static final long MAX_TIMEOUT_MICROS = 0xffff_ffffL;

    /** Why the backend cannot run here, or null: decided once. */
    private static final Throwable UNAVAILABILITY = NativeBinding.probe(MacOsUlockWaitOnAddress::probe);
    /** Whether waits go to {@code __ulock_wait2}; false where the backend is unavailable. */
    private static final boolean WAIT2 = UNAVAILABILITY == null && wait2();

    /** What the calls do and how they behave; the time-out unit follows the wait call. */
    private static final Traits TRAITS = Traits.builder()
            .nativeWidths(4, 8)
            .shared(true)
            .relativeTimeouts(WAIT2 ? TimeUnit.NANOSECONDS : TimeUnit.MICROSECONDS,
                    WAIT2 ? MAX_TIMEOUT_NANOS : MAX_TIMEOUT_MICROS)
            .pollTimeout(1)
            .ambiguousSuccess()
            .singleWakes(Integer.MAX_VALUE - 1)
            .faults(3, Errno.EFAULT.code(), Errno.EFAULT.name())
            .build();

    /** Made by {@link java.util.ServiceLoader}; binds and probes the library once per class, never throws. */
    public MacOsUlockWaitOnAddress() {
    }

    /**
     * Binds the library, then wakes a private word nobody waits on with the 4-byte and the 8-byte
     * opcode: both must answer ENOENT (kernels before macOS 10.15 refuse the 8-byte one).
     */
    private static void probe() {
        try (Memory word = new Memory(8)) {
            word.clear();
            for (int opcode : new int[] {UL_COMPARE_AND_WAIT, UL_COMPARE_AND_WAIT64}) {
                int r = Ulock.__ulock_wake(opcode | ULF_NO_ERRNO, Pointer.nativeValue(word), 0);
                if (r != -Errno.ENOENT.code()) {
                    throw new UnsupportedOperationException("__ulock_wake(opcode " + opcode + ") of a word nobody "
                            + "waits on answered " + r + (r < 0 ? " (" + Errno.of(-r) + ")" : "")
                            + ", not -ENOENT, in " + NativeBinding.describe(NAME, DarwinAbi.OS_LIBRARY)
                            + (opcode == UL_COMPARE_AND_WAIT64 ? ": the 8-byte opcodes need macOS 10.15" : ""));
                }
            }
        }
    }

    /**
     * @return whether {@code __ulock_wait2} binds and is wanted: a call with address 0 only answers
     *     EINVAL
     */
    private static boolean wait2() {
        if (!Boolean.parseBoolean(System.getProperty(WAIT2_PROPERTY, "true"))) {
            return false;
        }
        return NativeBinding.probe(() -> UlockWait2.__ulock_wait2(UL_COMPARE_AND_WAIT | ULF_NO_ERRNO, 0, 0, 0, 0))
                == null;
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

    /**
     * @return the library, and where the backend is available the wait call: {@code __ulock_wait2},
     *     or {@code __ulock_wait} with microsecond time-outs
     */
    @Override
    public String binding() {
        String library = NativeBinding.describe(NAME, DarwinAbi.OS_LIBRARY);
        if (UNAVAILABILITY != null) {
            return library;
        }
        return library + (WAIT2 ? ", __ulock_wait2" : ", __ulock_wait (microsecond time-outs)");
    }

    @Override
    public Outcome await(long address, int bytes, long expected, boolean shared, boolean timed, long timeout) {
        int operation = DarwinAbi.ulockOpcode(bytes, shared) | ULF_NO_ERRNO;
        long value = DarwinAbi.kernelValue(bytes, expected);
        long osTimeout = timed ? timeout : 0; // 0: no time-out
        int r = WAIT2
                ? UlockWait2.__ulock_wait2(operation, address, value, osTimeout, 0)
                : Ulock.__ulock_wait(operation, address, value, (int) osTimeout); // unsigned 32 bits
        if (r >= 0) {
            return Outcome.WOKEN; // woken, or the word held another value: the caller re-reads
        }
        Errno error = Errno.of(-r);
        switch (error) {
            case ETIMEDOUT:  // the time-out expired (the caller checks its deadline)
                return Outcome.TIMED_OUT;
            case EINTR:      // a signal, or the kernel aborted or restarted the wait
                return Outcome.RETRY;
            case ENOMEM:     // no kernel memory for the wait-queue entry: transient
                return Outcome.RETRY;
            case EFAULT:     // the kernel could not read the word while it held its lock
                return Outcome.FAULT;
            case EDOM:       // another wait on this address uses the other width
            case EINVAL:     // opcode, flags and alignment are checked: a shared word without a memory object
            case EOWNERDEAD: // unfair-lock opcodes only
            case ENOENT:     // wakes only
            case ESRCH:      // directed wakes only
            case EALREADY:   // directed wakes only
            case UNKNOWN:    // not a documented answer of this call
            default:
                throw OsError.unexpected(NAME, WAIT2 ? "__ulock_wait2" : "__ulock_wait", -r, error);
        }
    }

    @Override
    public int wake(long address, int bytes, boolean shared, int count) {
        boolean one = count == 1;
        int operation = DarwinAbi.ulockOpcode(bytes, shared) | ULF_NO_ERRNO | (one ? 0 : ULF_WAKE_ALL);
        int r = Ulock.__ulock_wake(operation, address, 0);
        if (r >= 0) {
            return COUNT_UNKNOWN; // woke one or all, without a count
        }
        Errno error = Errno.of(-r);
        switch (error) {
            case ENOENT:     // nobody waits on the address
                return 0;
            case EDOM:       // the waiters there use the other width: none of this one
                return 0;
            case EINVAL:     // opcode, flags and address are checked; shared: no memory object backs the address
                if (shared) {
                    return 0; // nobody can wait on it
                }
                break;
            case ESRCH:      // directed wakes (ULF_WAKE_THREAD) only
            case EALREADY:   // directed wakes (ULF_WAKE_THREAD) only
            case ETIMEDOUT:  // waits only
            case EINTR:      // waits only
            case ENOMEM:     // a wake allocates nothing
            case EFAULT:     // a wake never reads the word
            case EOWNERDEAD: // unfair-lock opcodes only
            case UNKNOWN:    // not a documented answer of this call
            default:
                break;
        }
        throw OsError.unexpected(NAME, one ? "__ulock_wake" : "__ulock_wake(ULF_WAKE_ALL)", -r, error);
    }
}
