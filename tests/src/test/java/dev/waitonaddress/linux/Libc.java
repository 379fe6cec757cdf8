package dev.waitonaddress.linux;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The few libc calls the Linux tests use to make memory of each kind the kernel's futex tests use. */
interface Libc extends Library {
    Libc INSTANCE = Native.load("c", Libc.class);

    int PROT_READ = 1;
    int PROT_WRITE = 2;
    int MAP_SHARED = 0x01;
    int MAP_PRIVATE = 0x02;
    int MAP_ANONYMOUS = 0x20;
    long PAGE = 4096;

    Pointer mmap(Pointer address, long length, int prot, int flags, int fd, long offset);

    int munmap(Pointer address, long length);

    /** @return a fresh anonymous mapping of one page, never touched by this process */
    static Pointer anonymousPage(int flags) {
        Pointer p = INSTANCE.mmap(null, PAGE, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);
        if (Pointer.nativeValue(p) == -1) {
            throw new IllegalStateException("mmap failed: errno " + Native.getLastError());
        }
        return p;
    }
}
