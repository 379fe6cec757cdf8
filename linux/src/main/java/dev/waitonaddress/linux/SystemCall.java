package dev.waitonaddress.linux;

import com.sun.jna.Native;

/**
 * {@code syscall(2)} with six arguments, the one native call of the backend. This version uses
 * JNA's direct mapping ({@link LinuxFutex#syscall}); on JDK 22 and later the multi-release jar
 * replaces it with a {@code java.lang.foreign} downcall (in {@code META-INF/versions/22}), which
 * costs about a third as much per call here (measured with the benchmarks in {@code tests}).
 */
final class SystemCall {
    private SystemCall() {
    }

    /** @return how this class calls the kernel, for diagnostics */
    static String path() {
        return "JNA direct mapping";
    }

    /**
     * @return the system call's result when it succeeded, or {@code -errno} when it failed (the
     *     calls used here never return a negative value on success)
     */
    static long call(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
        long r = LinuxFutex.syscall(number, a1, a2, a3, a4, a5, a6);
        return r == -1 ? -Native.getLastError() : r;
    }
}
