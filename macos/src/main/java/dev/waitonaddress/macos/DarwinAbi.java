package dev.waitonaddress.macos;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import dev.waitonaddress.spi.NativeBinding;
import dev.waitonaddress.spi.OsError;

/**
 * The Darwin ABI both macOS backends call: JNA direct mappings of libSystem's
 * {@code os_sync_wait_on_address} family (macOS 14.4 and later) and of the kernel's private
 * {@code __ulock_wait}, {@code __ulock_wait2} and {@code __ulock_wake} wrappers, their constants,
 * and Darwin's error numbers.
 *
 * <p>Both families reach the same kernel primitive. A wait returns the number of waiters left
 * (&ge; 0) when woken and also when the word held another value; an error is -1 with
 * {@code errno} for the {@code os_sync} calls, and minus the error number for the {@code __ulock}
 * calls made with {@link #ULF_NO_ERRNO}. The kernel compares a 4-byte word, zero-extended, with
 * all 64 bits of the value passed. No function here is variadic, so fixed-arity mappings are right
 * on arm64 and x86_64 alike.
 *
 * <p>Each family is bound in a holder class of its own, by its backend's name, so that each backend
 * takes its own library override ({@link NativeBinding}) and a missing symbol makes only that
 * backend unavailable: initialising a holder loads the library and fails where a symbol is missing.
 */
final class DarwinAbi {
    /** Not instantiated. */
    private DarwinAbi() {
    }

    /** The name of the backend over {@link OsSync}. */
    static final String OS_SYNC_BACKEND = "macos-os-sync";
    /** The name of the backend over {@link Ulock} and {@link UlockWait2}. */
    static final String ULOCK_BACKEND = "macos-ulock";
    /** How messages name the OS library both backends bind without an override. */
    static final String OS_LIBRARY = "libSystem";

    // ------------------------------------------------------------ os_sync_wait_on_address (macOS 14.4+)

    /** {@code os_sync_wait_on_address_flags_t}: a wait within one process. */
    static final int OS_SYNC_WAIT_ON_ADDRESS_NONE = 0;
    /** {@code os_sync_wait_on_address_flags_t}: a wait on memory mapped by several processes. */
    static final int OS_SYNC_WAIT_ON_ADDRESS_SHARED = 1;
    /** {@code os_sync_wake_by_address_flags_t}: a wake within one process. */
    static final int OS_SYNC_WAKE_BY_ADDRESS_NONE = 0;
    /** {@code os_sync_wake_by_address_flags_t}: a wake of waiters in any process mapping the memory. */
    static final int OS_SYNC_WAKE_BY_ADDRESS_SHARED = 1;
    /** {@code os_clockid_t}: the one clock the timed wait accepts; its time-out is relative, in nanoseconds. */
    static final int OS_CLOCK_MACH_ABSOLUTE_TIME = 32;

    // ------------------------------------------------------------ __ulock (macOS 10.15+; wait2 11+)

    /** Operation bits 0-7: compare-and-wait on a 4-byte word, keyed by process and address. */
    static final int UL_COMPARE_AND_WAIT = 1;
    /** Operation bits 0-7: compare-and-wait on a 4-byte word, keyed by memory object and offset. */
    static final int UL_COMPARE_AND_WAIT_SHARED = 3;
    /** Operation bits 0-7: compare-and-wait on an 8-byte word, keyed by process and address. */
    static final int UL_COMPARE_AND_WAIT64 = 5;
    /** Operation bits 0-7: compare-and-wait on an 8-byte word, keyed by memory object and offset. */
    static final int UL_COMPARE_AND_WAIT64_SHARED = 6;
    /** Wake flag (bits 8-15): wake every waiter, not one. */
    static final int ULF_WAKE_ALL = 0x0000_0100;
    /** Generic flag (bits 24-31): return minus the error number instead of -1 and {@code errno}. */
    static final int ULF_NO_ERRNO = 0x0100_0000;

    /**
     * @param bytes 4 or 8
     * @param shared whether the word is keyed by memory object (across processes)
     * @return the compare-and-wait opcode for that width and scope
     */
    static int ulockOpcode(int bytes, boolean shared) {
        if (bytes == 8) {
            return shared ? UL_COMPARE_AND_WAIT64_SHARED : UL_COMPARE_AND_WAIT64;
        }
        return shared ? UL_COMPARE_AND_WAIT_SHARED : UL_COMPARE_AND_WAIT;
    }

    /**
     * @param bytes 4 or 8
     * @param expected the expected value, sign-extended from {@code bytes}
     * @return the value as the kernel compares it: a 4-byte word zero-extended
     */
    static long kernelValue(int bytes, long expected) {
        return bytes == 8 ? expected : expected & 0xffff_ffffL;
    }

    // ------------------------------------------------------------ binding

    /**
     * Loads the library a backend binds, checks that it exports every symbol the holder maps, and
     * registers the holder's native methods.
     *
     * @param holder the class declaring the native methods
     * @param backend the backend's name, whose override property applies
     * @param needs what the backend needs, for the refusal off macOS
     * @param symbols the functions the holder maps
     * @throws UnsatisfiedLinkError naming the first missing symbol and the library
     */
    private static void bind(Class<?> holder, String backend, String needs, String... symbols) {
        NativeLibrary library = NativeBinding.load(backend, Platform.isMac(), Platform.C_LIBRARY_NAME, needs);
        for (String symbol : symbols) {
            try {
                library.getFunction(symbol);
            } catch (UnsatisfiedLinkError e) {
                UnsatisfiedLinkError missing = new UnsatisfiedLinkError(symbol + " is missing from "
                        + NativeBinding.describe(backend, OS_LIBRARY) + "; " + backend + " needs " + needs);
                missing.initCause(e);
                throw missing;
            }
        }
        Native.register(holder, library);
    }

    /** {@code <os/os_sync_wait_on_address.h>}, bound for {@value DarwinAbi#OS_SYNC_BACKEND}. */
    static final class OsSync {
        /** Not instantiated. */
        private OsSync() {
        }

        static {
            bind(OsSync.class, OS_SYNC_BACKEND, "macOS 14.4 or later (os_sync_wait_on_address in libSystem)",
                    "os_sync_wait_on_address", "os_sync_wait_on_address_with_timeout",
                    "os_sync_wake_by_address_any", "os_sync_wake_by_address_all");
        }

        /**
         * Sleeps while the {@code size}-byte word at {@code addr} holds {@code value}, without a time-out.
         *
         * @param addr the word, aligned to {@code size}
         * @param value the expected value; for 4 bytes its low half
         * @param size 4 or 8
         * @param flags {@link #OS_SYNC_WAIT_ON_ADDRESS_NONE} or {@link #OS_SYNC_WAIT_ON_ADDRESS_SHARED}
         * @return the waiters left (&ge; 0), or -1 with {@code errno}
         */
        static native int os_sync_wait_on_address(long addr, long value, long size, int flags);

        /**
         * As {@link #os_sync_wait_on_address}, at most {@code timeoutNs}.
         *
         * @param addr the word, aligned to {@code size}
         * @param value the expected value; for 4 bytes its low half
         * @param size 4 or 8
         * @param flags {@link #OS_SYNC_WAIT_ON_ADDRESS_NONE} or {@link #OS_SYNC_WAIT_ON_ADDRESS_SHARED}
         * @param clockid {@link #OS_CLOCK_MACH_ABSOLUTE_TIME}
         * @param timeoutNs relative, in nanoseconds, at least 1 (0 is invalid)
         * @return the waiters left (&ge; 0), or -1 with {@code errno}
         */
        static native int os_sync_wait_on_address_with_timeout(long addr, long value, long size, int flags,
                int clockid, long timeoutNs);

        /**
         * Wakes one waiter of the {@code size}-byte word at {@code addr}.
         *
         * @param addr the word
         * @param size 4 or 8
         * @param flags {@link #OS_SYNC_WAKE_BY_ADDRESS_NONE} or {@link #OS_SYNC_WAKE_BY_ADDRESS_SHARED}
         * @return 0, or -1 with {@code errno}
         */
        static native int os_sync_wake_by_address_any(long addr, long size, int flags);

        /**
         * Wakes every waiter of the {@code size}-byte word at {@code addr}.
         *
         * @param addr the word
         * @param size 4 or 8
         * @param flags {@link #OS_SYNC_WAKE_BY_ADDRESS_NONE} or {@link #OS_SYNC_WAKE_BY_ADDRESS_SHARED}
         * @return 0, or -1 with {@code errno}
         */
        static native int os_sync_wake_by_address_all(long addr, long size, int flags);
    }

    /** {@code __ulock_wait} and {@code __ulock_wake}, bound for {@value DarwinAbi#ULOCK_BACKEND}. */
    static final class Ulock {
        /** Not instantiated. */
        private Ulock() {
        }

        static {
            bind(Ulock.class, ULOCK_BACKEND, "macOS 10.15 or later (__ulock_wait in libSystem)",
                    "__ulock_wait", "__ulock_wake");
        }

        /**
         * Sleeps while the word at {@code addr} holds {@code value}.
         *
         * @param operation an opcode ({@link #ulockOpcode}) with {@link #ULF_NO_ERRNO}
         * @param addr the word, aligned to the opcode's width
         * @param value the expected value, a 4-byte word zero-extended
         * @param timeoutMicros relative, in microseconds, unsigned 32 bits; 0 waits without a time-out
         * @return the waiters left (&ge; 0), or minus the error number
         */
        static native int __ulock_wait(int operation, long addr, long value, int timeoutMicros);

        /**
         * Wakes one waiter of the word at {@code addr}, or all with {@link #ULF_WAKE_ALL}.
         *
         * @param operation an opcode ({@link #ulockOpcode}) with {@link #ULF_NO_ERRNO}
         * @param addr the word
         * @param wakeValue a thread for a directed wake; 0 here
         * @return 0, or minus the error number
         */
        static native int __ulock_wake(int operation, long addr, long wakeValue);
    }

    /** {@code __ulock_wait2} (macOS 11 and later), apart because older systems lack it. */
    static final class UlockWait2 {
        /** Not instantiated. */
        private UlockWait2() {
        }

        static {
            bind(UlockWait2.class, ULOCK_BACKEND, "macOS 11 or later for __ulock_wait2", "__ulock_wait2");
        }

        /**
         * Sleeps while the word at {@code addr} holds {@code value}.
         *
         * @param operation an opcode ({@link #ulockOpcode}) with {@link #ULF_NO_ERRNO}
         * @param addr the word, aligned to the opcode's width
         * @param value the expected value, a 4-byte word zero-extended
         * @param timeoutNanos relative, in nanoseconds; 0 waits without a time-out
         * @param value2 used by the unfair-lock opcodes only; 0 here
         * @return the waiters left (&ge; 0), or minus the error number
         */
        static native int __ulock_wait2(int operation, long addr, long value, long timeoutNanos, long value2);
    }

    // ------------------------------------------------------------ errors

    /**
     * The Darwin error numbers the calls above return, as Darwin numbers them (several differ from
     * Linux: {@code ETIMEDOUT} is 60 here, 110 there).
     */
    enum Errno implements OsError {
        /** Any number this table does not list. */
        UNKNOWN(0, "an error number the macOS backends do not know"),
        /** 2: "No such file or directory". */
        ENOENT(2, "nobody waits on the address"),
        /** 3: "No such process". */
        ESRCH(3, "the thread named for a directed wake does not exist"),
        /** 4: "Interrupted system call". */
        EINTR(4, "a signal or an aborted wait ended the call early"),
        /** 12: "Cannot allocate memory". */
        ENOMEM(12, "the kernel could not allocate its wait-queue entry"),
        /** 14: "Bad address". */
        EFAULT(14, "the kernel could not read the word: unmapped, or not resident while it held its lock"),
        /** 22: "Invalid argument". */
        EINVAL(22, "invalid operation, flags, size, alignment, clock or time-out, or a shared word without "
                + "a backing memory object"),
        /** 33: "Numerical argument out of domain". */
        EDOM(33, "the address already has waiters with another width"),
        /** 37: "Operation already in progress". */
        EALREADY(37, "the thread named for a directed wake was not waiting"),
        /** 60: "Operation timed out". */
        ETIMEDOUT(60, "the time-out expired"),
        /** 105: "Previous owner died". */
        EOWNERDEAD(105, "the lock word names no live owner thread (unfair-lock operations)");

        /** The constants indexed by number. */
        private static final Errno[] TABLE = OsError.table(Errno.class);

        /** Darwin's number. */
        private final int code;
        /** What it means for these calls. */
        private final String meaning;

        /**
         * @param code Darwin's number
         * @param meaning what it means for these calls, in one line
         */
        Errno(int code, String meaning) {
            this.code = code;
            this.meaning = meaning;
        }

        /**
         * @param code a Darwin error number
         * @return its constant, or {@link #UNKNOWN}
         */
        static Errno of(int code) {
            return OsError.of(TABLE, code, UNKNOWN);
        }

        @Override
        public int code() {
            return code;
        }

        @Override
        public String meaning() {
            return meaning;
        }
    }
}
