package dev.waitonaddress.windows;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.waitonaddress.spi.NativeBinding;
import dev.waitonaddress.spi.OsError;

/**
 * The Windows API the {@code windows} backend calls: JNA direct mappings of {@code WaitOnAddress},
 * {@code WakeByAddressSingle} and {@code WakeByAddressAll} (Windows 8 and later, exported by the
 * API set {@code API-MS-Win-Core-Synch-l1-2-0}, not by {@code kernel32}), their constants, and the
 * Win32 error codes {@code WaitOnAddress} leaves.
 *
 * <p>Types: pointers and {@code SIZE_T} are {@code long}, {@code DWORD} and {@code BOOL} are
 * {@code int}, which is right for 64-bit Windows (x86_64 and arm64, one calling convention each);
 * {@link NativeBinding#load} refuses a 32-bit JVM. The last error is read with
 * {@link Native#getLastError()}, which JNA saves right after each call.
 *
 * <p>The library is bound when this class is initialised, by {@link NativeBinding#load}: the API
 * set on Windows, or the stand-in named by {@code -Ddev.waitonaddress.windows.library=PATH} on any
 * OS. A failure there fails the initialisation; the backend reports it as its unavailability cause.
 */
final class WindowsAbi {
    /** The API set that exports the address-wait functions. */
    static final String API_SET = "API-MS-Win-Core-Synch-l1-2-0";

    /** {@code INFINITE}: the {@code dwMilliseconds} of a wait without a time-out. */
    static final int INFINITE = 0xFFFF_FFFF;

    /** The longest finite {@code dwMilliseconds}, one below {@link #INFINITE} (about 49.7 days). */
    static final long MAX_FINITE_MILLIS = 0xFFFF_FFFEL;

    static {
        Native.register(WindowsAbi.class, NativeBinding.load(WindowsWaitOnAddress.NAME, Platform.isWindows(),
                API_SET, "Windows 8 or later (WaitOnAddress in " + API_SET + ")"));
    }

    /** Not instantiated. */
    private WindowsAbi() {
    }

    /**
     * {@code BOOL WaitOnAddress(volatile VOID *Address, PVOID CompareAddress, SIZE_T AddressSize,
     * DWORD dwMilliseconds)}: sleeps while the {@code AddressSize} bytes at {@code Address} equal
     * those at {@code CompareAddress}.
     *
     * @param address the word
     * @param compareAddress memory holding the value the word is compared with
     * @param addressSize the width in bytes: 1, 2, 4 or 8
     * @param milliseconds the time-out, or {@link #INFINITE}
     * @return non-zero (TRUE) when woken, woken spuriously, or the values differed; 0 (FALSE) with
     *     the last error set otherwise
     */
    static native int WaitOnAddress(long address, long compareAddress, long addressSize, int milliseconds);

    /**
     * {@code VOID WakeByAddressSingle(PVOID Address)}: wakes one thread waiting on
     * {@code Address}, if any; never reads the memory and reports nothing.
     *
     * @param address the word
     */
    static native void WakeByAddressSingle(long address);

    /**
     * {@code VOID WakeByAddressAll(PVOID Address)}: wakes every thread waiting on {@code Address};
     * never reads the memory and reports nothing.
     *
     * @param address the word
     */
    static native void WakeByAddressAll(long address);

    /** The Win32 error codes a FALSE from {@code WaitOnAddress} can leave as the last error. */
    enum Win32Error implements OsError {
        /** Any code not listed here; 0 is {@code ERROR_SUCCESS}, which a failing call never leaves. */
        UNKNOWN(0, "a Win32 error code this backend does not list"),
        /** A parameter Windows rejects: for {@code WaitOnAddress}, a size other than 1, 2, 4 or 8. */
        ERROR_INVALID_PARAMETER(87, "the parameter is incorrect"),
        /**
         * The word could not be read. Real Windows raises an access violation instead; a stand-in
         * library (the test build's contract emulator) answers this code.
         */
        ERROR_NOACCESS(998, "invalid access to memory location"),
        /** The time-out passed with the value still equal. */
        ERROR_TIMEOUT(1460, "the operation returned because the time-out period expired");

        /** The OS's number. */
        private final int code;
        /** The one-line meaning. */
        private final String meaning;

        /**
         * @param code the OS's number
         * @param meaning what it means, in one line
         */
        Win32Error(int code, String meaning) {
            this.code = code;
            this.meaning = meaning;
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
