package dev.waitonaddress.macos;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import dev.waitonaddress.testing.NativeArtefacts;
import java.io.IOException;

/**
 * Calls a macOS contract emulator's exported functions directly, as C on macOS would, so that the
 * emulator itself can be checked against Apple's and xnu's published behaviour. The errno values
 * are macOS's, written here from the sources (xnu {@code sys/errno.h}), not from the emulator.
 */
final class DarwinEmulator {
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int ENOMEM = 12;
    static final int EFAULT = 14;
    static final int EINVAL = 22;
    static final int ETIMEDOUT = 60;

    /** Linux's ETIMEDOUT: an emulator that leaks host errno values would answer this. */
    static final int LINUX_ETIMEDOUT = 110;

    /** A page below {@code vm.mmap_min_addr}: never mapped. */
    static final long UNMAPPED = 0x1000;

    private final NativeLibrary library;

    private DarwinEmulator(NativeLibrary library) {
        this.library = library;
    }

    /** @param file e.g. {@code "libwoa-macos-os-sync.so"}; skips (strictly: fails) when it was not built */
    static DarwinEmulator load(String file) throws IOException {
        return new DarwinEmulator(NativeLibrary.getInstance(NativeArtefacts.require(file).toString()));
    }

    boolean exports(String symbol) {
        try {
            library.getFunction(symbol);
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    /** The result of one call: its return value and errno right after it. */
    static final class Result {
        final int value;
        final int errno;

        Result(int value, int errno) {
            this.value = value;
            this.errno = errno;
        }

        @Override
        public String toString() {
            return value + (value < 0 ? " errno " + errno : "");
        }
    }

    Result call(String symbol, Object... args) {
        Function f = library.getFunction(symbol);
        Native.setLastError(0);
        int r = f.invokeInt(args);
        return new Result(r, Native.getLastError());
    }

    /** Makes the calling thread's next {@code n} waits fail with the macOS errno {@code errno}. */
    void failNextWaits(int errno, int n) {
        library.getFunction("woa_darwin_fail_next_waits").invokeVoid(new Object[] {errno, n});
    }
}
