package dev.waitonaddress.suite;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/** {@code mmap}/{@code munmap} of anonymous pages, to unmap a waiter's word the instant it wakes (Linux). */
final class Mmap {
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 0x01;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    static final long PAGE = 4096;
    static final boolean AVAILABLE;

    static {
        boolean ok = false;
        if (Platform.isLinux()) {
            try {
                Native.register(Mmap.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
                ok = true;
            } catch (Throwable t) {
                ok = false;
            }
        }
        AVAILABLE = ok;
    }

    private Mmap() {
    }

    private static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    private static native int munmap(long addr, long length);

    /** @return a zeroed page, {@code MAP_SHARED} (usable with SHARED scope) or private */
    static Pointer map(boolean shared) {
        long a = mmap(0, PAGE, PROT_READ | PROT_WRITE, (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
        if (a == -1) {
            throw new IllegalStateException("mmap failed: errno " + Native.getLastError());
        }
        return new Pointer(a);
    }

    static void unmap(Pointer p) {
        if (munmap(Pointer.nativeValue(p), PAGE) != 0) {
            throw new IllegalStateException("munmap failed: errno " + Native.getLastError());
        }
    }
}
