package dev.waitonaddress.macos;

import static dev.waitonaddress.macos.OsSync.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.Width;

/**
 * The {@code macos-os-sync} backend: Apple's public futex API, {@code os_sync_wait_on_address},
 * {@code os_sync_wait_on_address_with_timeout} (clock {@code OS_CLOCK_MACH_ABSOLUTE_TIME}, relative
 * nanoseconds) and {@code os_sync_wake_by_address_any} / {@code _all} in libSystem, macOS 14.4 and
 * later. 4- and 8-byte words, PRIVATE and SHARED ({@code OS_SYNC_*_SHARED}: memory mapped by several
 * processes). Available when libSystem has the four symbols (probed, not inferred from the OS
 * version); before 14.4, {@code macos-ulock} serves. The results are read as
 * {@link DarwinWaitOnAddress} describes.
 *
 * <p>{@code -Ddev.waitonaddress.macos-os-sync.library=PATH} binds a library with the same symbols
 * instead of libSystem, on any OS (the contract emulator in the tests).
 */
public final class MacOsSyncWaitOnAddress extends DarwinWaitOnAddress {
    /** The name. */
    public static final String NAME = BACKEND;
    /** The priority: the native backend of macOS 14.4+. */
    public static final int PRIORITY = 100;

    private static final Throwable UNAVAILABILITY = probe();

    /** Made by {@link java.util.ServiceLoader}. */
    public MacOsSyncWaitOnAddress() {
        super(NAME, PRIORITY, UNAVAILABILITY);
    }

    /** Binds the library, then makes one harmless call: a private wake of a word nobody waits on. */
    private static Throwable probe() {
        Throwable notHere = DarwinLibrary.notHere(NAME, "os_sync_wait_on_address in libSystem, macOS 14.4+");
        if (notHere != null) {
            return notHere;
        }
        try (Memory word = new Memory(8)) {
            word.clear();
            int r = os_sync_wake_by_address_any(Pointer.nativeValue(word), 4, OS_SYNC_WAKE_BY_ADDRESS_NONE);
            int errno = Native.getLastError();
            if (r == -1 && errno == DarwinErrno.ENOENT) {
                return null;
            }
            return new UnsupportedOperationException("os_sync_wake_by_address_any of a word nobody waits on "
                    + "answered " + r + (r < 0 ? " with " + DarwinErrno.name(errno) : "") + ", not ENOENT, in "
                    + DarwinLibrary.describe(NAME));
        } catch (Throwable t) { // the library or a symbol is missing, or JNA cannot load
            return t;
        }
    }

    private static int flags(Scope scope) {
        return scope == Scope.SHARED ? OS_SYNC_WAIT_ON_ADDRESS_SHARED : OS_SYNC_WAIT_ON_ADDRESS_NONE;
    }

    @Override
    int waitCall(long address, Width width, long value, Scope scope, long timeoutNanos) {
        int r = timeoutNanos == 0
                ? os_sync_wait_on_address(address, value, width.bytes(), flags(scope))
                : os_sync_wait_on_address_with_timeout(address, value, width.bytes(), flags(scope),
                        OS_CLOCK_MACH_ABSOLUTE_TIME, timeoutNanos);
        return r >= 0 ? r : -Native.getLastError();
    }

    @Override
    int wakeCall(long address, Width width, Scope scope, boolean all) {
        int flags = scope == Scope.SHARED ? OS_SYNC_WAKE_BY_ADDRESS_SHARED : OS_SYNC_WAKE_BY_ADDRESS_NONE;
        int r = all ? os_sync_wake_by_address_all(address, width.bytes(), flags)
                : os_sync_wake_by_address_any(address, width.bytes(), flags);
        return r >= 0 ? r : -Native.getLastError();
    }

    @Override
    String waitFunction(boolean timed) {
        return timed ? "os_sync_wait_on_address_with_timeout" : "os_sync_wait_on_address";
    }

    @Override
    String wakeFunction(boolean all) {
        return all ? "os_sync_wake_by_address_all" : "os_sync_wake_by_address_any";
    }
}
