package dev.waitonaddress.windows;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The Windows API the backend uses: JNA direct mappings of {@code WaitOnAddress},
 * {@code WakeByAddressSingle} and {@code WakeByAddressAll} (Windows 8+, exported by the API set
 * {@code API-MS-Win-Core-Synch-l1-2-0}, not by {@code kernel32}), and the error codes they give.
 *
 * <p>Types: pointers and {@code SIZE_T} are {@code long}, {@code DWORD} and {@code BOOL} are
 * {@code int}, which is right for 64-bit Windows (x86_64 and arm64, one calling convention each);
 * 32-bit Windows is refused. The last error is read with {@link Native#getLastError()}, which JNA
 * saves right after each call.
 *
 * <p>{@code -Ddev.waitonaddress.windows.library=PATH} binds the library at PATH instead, on any
 * OS (a stand-in with the same exported symbols, such as the test build's contract emulator).
 * Loading happens once, when this class is initialised; a failure is the backend's
 * unavailability cause.
 */
final class WindowsSynch {
    private WindowsSynch() {
    }

    /** The system property naming a library to bind instead of Windows'. */
    static final String LIBRARY_PROPERTY = "dev.waitonaddress.windows.library";
    /** The API set that exports the address-wait functions. */
    static final String API_SET = "API-MS-Win-Core-Synch-l1-2-0";

    /** {@code INFINITE}: wait without a time-out. */
    static final int INFINITE = 0xFFFF_FFFF;
    /** The longest finite time-out, in ms (about 49.7 days): one below {@link #INFINITE}. */
    static final long MAX_FINITE_MILLIS = 0xFFFF_FFFEL;

    static final int ERROR_INVALID_PARAMETER = 87;
    static final int ERROR_NOACCESS = 998;
    static final int ERROR_TIMEOUT = 1460;

    /** What was bound: the API set, or the override's path. */
    static final String BOUND;

    static {
        String override = System.getProperty(LIBRARY_PROPERTY, "");
        NativeLibrary library;
        if (!override.isEmpty()) {
            if (!Platform.is64Bit()) {
                throw new UnsupportedOperationException("windows binds 64-bit libraries only; this JVM is 32-bit");
            }
            library = NativeLibrary.getInstance(override);
            BOUND = override + " (-D" + LIBRARY_PROPERTY + ")";
        } else {
            if (!Platform.isWindows()) {
                throw new UnsupportedOperationException("windows needs Windows 8 or later (WaitOnAddress in "
                        + API_SET + "); this is " + System.getProperty("os.name")
                        + ". -D" + LIBRARY_PROPERTY + "=PATH binds a stand-in library instead");
            }
            if (!Platform.is64Bit()) {
                throw new UnsupportedOperationException("windows supports 64-bit Windows only; this JVM is 32-bit");
            }
            library = NativeLibrary.getInstance(API_SET);
            BOUND = API_SET;
        }
        Native.register(WindowsSynch.class, library);
    }

    /**
     * {@code BOOL WaitOnAddress(volatile VOID *Address, PVOID CompareAddress, SIZE_T AddressSize,
     * DWORD dwMilliseconds)}.
     *
     * @return non-zero (TRUE) when woken, spuriously woken, or the values differed; 0 (FALSE) with
     *     the last error set otherwise
     */
    static native int WaitOnAddress(long address, long compareAddress, long addressSize, int milliseconds);

    /** {@code VOID WakeByAddressSingle(PVOID Address)}: wakes one waiter; never reads the memory. */
    static native void WakeByAddressSingle(long address);

    /** {@code VOID WakeByAddressAll(PVOID Address)}: wakes every waiter; never reads the memory. */
    static native void WakeByAddressAll(long address);

    /** @return the symbolic name of a Win32 error code the calls above can leave */
    static String errorName(int error) {
        switch (error) {
            case ERROR_INVALID_PARAMETER: return "ERROR_INVALID_PARAMETER";
            case ERROR_NOACCESS: return "ERROR_NOACCESS";
            case ERROR_TIMEOUT: return "ERROR_TIMEOUT";
            default: return "Win32 error " + error;
        }
    }
}
