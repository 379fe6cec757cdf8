package dev.waitonaddress.macos;

import static dev.waitonaddress.macos.Ulock.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.Width;

/**
 * The {@code macos-ulock} backend: xnu's {@code __ulock_wait2} (nanosecond time-outs, macOS 11+)
 * or, where that symbol is missing, {@code __ulock_wait} (microsecond time-outs, rounded up), and
 * {@code __ulock_wake}, with {@code ULF_NO_ERRNO} and the opcodes {@code UL_COMPARE_AND_WAIT[64]}
 * and {@code UL_COMPARE_AND_WAIT[64]_SHARED}: 4- and 8-byte words, PRIVATE and SHARED. It is for
 * macOS before 14.4, which lacks {@code os_sync_wait_on_address}; it needs macOS 10.15 for the
 * 64-bit and shared opcodes. The results are read as {@link DarwinWaitOnAddress} describes.
 *
 * <p>Choosing: each macOS backend probes its own symbols, never the OS version. Where
 * {@code os_sync_wait_on_address} exists (14.4+), both are available and {@code macos-os-sync}
 * wins by priority ({@value #PRIORITY} here, 100 there); this one stays usable through
 * {@code -Ddev.waitonaddress.backend=macos-ulock}, so that both can be tested on one machine.
 * Waits and wakes of the two backends meet in the kernel: {@code os_sync} passes the same opcodes.
 *
 * <p>{@code -Ddev.waitonaddress.macos-ulock.library=PATH} binds a library with the same symbols
 * instead of libSystem, on any OS (the contract emulator in the tests).
 */
public final class MacOsUlockWaitOnAddress extends DarwinWaitOnAddress {
    /** The name. */
    public static final String NAME = BACKEND;
    /** The priority: below {@code macos-os-sync} (100), above {@code portable}. */
    public static final int PRIORITY = 50;
    /** The longest {@code __ulock_wait} time-out: 2^32 - 1 microseconds (0 means forever). */
    static final long MAX_TIMEOUT_MICROS = 0xffff_ffffL;
    /** Set to {@code false}, makes waits use {@code __ulock_wait} even where {@code __ulock_wait2} exists. */
    public static final String WAIT2_PROPERTY = "dev.waitonaddress.macos-ulock.wait2";

    private static final Throwable UNAVAILABILITY = probe();
    private static final boolean WAIT2 = UNAVAILABILITY == null && hasWait2();

    /** Made by {@link java.util.ServiceLoader}. */
    public MacOsUlockWaitOnAddress() {
        super(NAME, PRIORITY, UNAVAILABILITY);
    }

    /**
     * @return whether waits go to {@code __ulock_wait2} (nanoseconds) rather than
     *     {@code __ulock_wait} (microseconds); false where the backend is unavailable
     */
    public boolean nanosecondTimeouts() {
        return WAIT2;
    }

    /**
     * Binds the library, then makes harmless calls: private wakes of a word nobody waits on, with
     * the 32-bit opcode and with the 64-bit one, which kernels before macOS 10.15 refuse (EINVAL).
     */
    private static Throwable probe() {
        Throwable notHere = DarwinLibrary.notHere(NAME, "__ulock_wait in libSystem, macOS 10.15+");
        if (notHere != null) {
            return notHere;
        }
        try (Memory word = new Memory(8)) {
            word.clear();
            for (int opcode : new int[] {UL_COMPARE_AND_WAIT, UL_COMPARE_AND_WAIT64}) {
                int r = __ulock_wake(opcode | ULF_NO_ERRNO, Pointer.nativeValue(word), 0);
                if (r != -DarwinErrno.ENOENT) {
                    return new UnsupportedOperationException("__ulock_wake(opcode " + opcode + ") of a word nobody "
                            + "waits on answered " + r + ", not -ENOENT, in " + DarwinLibrary.describe(NAME)
                            + (opcode == UL_COMPARE_AND_WAIT64 ? ": the 64-bit opcodes need macOS 10.15" : ""));
                }
            }
            return null;
        } catch (Throwable t) { // the library or a symbol is missing, or JNA cannot load
            return t;
        }
    }

    /**
     * @return whether {@code __ulock_wait2} binds (a call with address 0 only answers EINVAL).
     *     {@code -Ddev.waitonaddress.macos-ulock.wait2=false} turns it off, so that the
     *     {@code __ulock_wait} path of macOS 10.15 can be tested on a newer system.
     */
    private static boolean hasWait2() {
        if (!Boolean.parseBoolean(System.getProperty(WAIT2_PROPERTY, "true"))) {
            return false;
        }
        try {
            Wait2.__ulock_wait2(UL_COMPARE_AND_WAIT | ULF_NO_ERRNO, 0, 0, 0, 0);
            return true;
        } catch (LinkageError e) { // __ulock_wait2 missing: macOS 10.15
            return false;
        }
    }

    private static int opcode(Width width, Scope scope) {
        boolean shared = scope == Scope.SHARED;
        if (width == Width.INT64) {
            return shared ? UL_COMPARE_AND_WAIT64_SHARED : UL_COMPARE_AND_WAIT64;
        }
        return shared ? UL_COMPARE_AND_WAIT_SHARED : UL_COMPARE_AND_WAIT;
    }

    @Override
    int waitCall(long address, Width width, long value, Scope scope, long timeoutNanos) {
        int op = opcode(width, scope) | ULF_NO_ERRNO;
        if (WAIT2) {
            return Wait2.__ulock_wait2(op, address, value, timeoutNanos, 0);
        }
        return __ulock_wait(op, address, value, (int) micros(timeoutNanos));
    }

    /** @return the time-out in whole microseconds, rounded up so never early; 0 stays 0 (forever) */
    static long micros(long timeoutNanos) {
        if (timeoutNanos == 0) {
            return 0;
        }
        long micros = (timeoutNanos + 999) / 1000;
        return Math.min(micros, MAX_TIMEOUT_MICROS);
    }

    @Override
    int wakeCall(long address, Width width, Scope scope, boolean all) {
        return __ulock_wake(opcode(width, scope) | ULF_NO_ERRNO | (all ? ULF_WAKE_ALL : 0), address, 0);
    }

    @Override
    String waitFunction(boolean timed) {
        return WAIT2 ? "__ulock_wait2" : "__ulock_wait";
    }

    @Override
    String wakeFunction(boolean all) {
        return all ? "__ulock_wake(ULF_WAKE_ALL)" : "__ulock_wake";
    }
}
