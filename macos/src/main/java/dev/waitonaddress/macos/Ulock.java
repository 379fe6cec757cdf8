package dev.waitonaddress.macos;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * JNA direct mappings of xnu's private {@code __ulock_wait} / {@code __ulock_wake} system call
 * wrappers in libSystem ({@code sys/ulock.h}, macOS 10.12+; the 64-bit and shared opcodes since
 * 10.15), and of {@code __ulock_wait2} (macOS 11+) in {@link Wait2}, bound separately because it may
 * be missing. Not variadic: fixed-arity mappings are right on arm64 and x86_64.
 *
 * <p>Contract (xnu {@code bsd/kern/sys_ulock.c}): wait returns the waiters left (&ge; 0) when woken
 * or when the value differed; with {@link #ULF_NO_ERRNO} an error comes back as a negative errno
 * instead of -1 and errno. The kernel compares a 4-byte word, zero-extended, with the whole 64-bit
 * {@code value}. Wake with no waiter fails with ENOENT.
 */
final class Ulock {
    private Ulock() {
    }

    static final String BACKEND = "macos-ulock";

    /** Operation bits [7, 0]: the opcode. */
    static final int UL_COMPARE_AND_WAIT = 1;
    static final int UL_COMPARE_AND_WAIT_SHARED = 3;
    static final int UL_COMPARE_AND_WAIT64 = 5;
    static final int UL_COMPARE_AND_WAIT64_SHARED = 6;
    /** Wake flag (bits [15, 8]): wake every waiter, not one. */
    static final int ULF_WAKE_ALL = 0x0000_0100;
    /** Generic flag (bits [31, 24]): return -errno instead of -1 and errno. */
    static final int ULF_NO_ERRNO = 0x0100_0000;

    static {
        Native.register(Ulock.class, library());
    }

    private static NativeLibrary library() {
        NativeLibrary lib = DarwinLibrary.load(BACKEND);
        for (String symbol : new String[] {"__ulock_wait", "__ulock_wake"}) {
            try {
                lib.getFunction(symbol);
            } catch (UnsatisfiedLinkError e) {
                UnsatisfiedLinkError missing = new UnsatisfiedLinkError(symbol + " is missing from "
                        + DarwinLibrary.describe(BACKEND));
                missing.initCause(e);
                throw missing;
            }
        }
        return lib;
    }

    /** @param timeoutMicros relative, in microseconds (unsigned 32 bits); 0 waits forever */
    static native int __ulock_wait(int operation, long addr, long value, int timeoutMicros);

    /** @param wakeValue a thread port for ULF_WAKE_THREAD; 0 otherwise */
    static native int __ulock_wake(int operation, long addr, long wakeValue);

    /** {@code __ulock_wait2} (macOS 11+): nanosecond time-outs. Initialisation fails where it is missing. */
    static final class Wait2 {
        private Wait2() {
        }

        static {
            NativeLibrary lib = DarwinLibrary.load(BACKEND);
            lib.getFunction("__ulock_wait2");
            Native.register(Wait2.class, lib);
        }

        /**
         * @param timeoutNanos relative, in nanoseconds; 0 waits forever
         * @param value2 only for unfair-lock opcodes; 0 here
         */
        static native int __ulock_wait2(int operation, long addr, long value, long timeoutNanos, long value2);
    }
}
