package dev.waitonaddress.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import com.sun.jna.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code syscall(2)} with six arguments through a {@code java.lang.foreign} downcall (JDK 22+),
 * with {@code errno} captured by the linker right after the call. Where the downcall cannot be
 * made (native access denied with {@code --illegal-native-access=deny}, no {@code syscall}
 * symbol) it falls back to JNA's direct mapping, as the Java 11 version of this class does.
 */
final class SystemCall {
    private SystemCall() {
    }

    private static final MethodHandle SYSCALL;
    private static final long ERRNO_OFFSET;
    /** Per-thread memory for the captured {@code errno}: no allocation per call. */
    private static final ThreadLocal<MemorySegment> CAPTURED;

    private static final String PATH;

    static {
        MethodHandle handle = null;
        long offset = 0;
        ThreadLocal<MemorySegment> captured = null;
        String path;
        try {
            Linker linker = Linker.nativeLinker();
            MemorySegment symbol = linker.defaultLookup().find("syscall")
                    .orElseThrow(() -> new UnsatisfiedLinkError("no syscall in the C library"));
            StructLayout state = Linker.Option.captureStateLayout();
            offset = state.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
            handle = linker.downcallHandle(symbol,
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                            JAVA_LONG, JAVA_LONG),
                    Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
            captured = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(state));
            path = "java.lang.foreign downcall";
        } catch (RuntimeException | Error e) { // IllegalCallerException, UnsatisfiedLinkError, …
            handle = null;
            path = "JNA direct mapping (java.lang.foreign refused: " + e + ")";
        }
        SYSCALL = handle;
        ERRNO_OFFSET = offset;
        CAPTURED = captured;
        PATH = path;
    }

    /** @return how this class calls the kernel, for diagnostics */
    static String path() {
        return PATH;
    }

    /**
     * @return the system call's result when it succeeded, or {@code -errno} when it failed (the
     *     calls used here never return a negative value on success)
     */
    static long call(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
        if (SYSCALL == null) {
            long r = LinuxFutex.syscall(number, a1, a2, a3, a4, a5, a6);
            return r == -1 ? -Native.getLastError() : r;
        }
        MemorySegment state = CAPTURED.get();
        long r;
        try {
            r = (long) SYSCALL.invokeExact(state, number, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw new AssertionError("syscall downcall failed", t); // a downcall of this shape throws nothing
        }
        return r == -1 ? -state.get(JAVA_INT, ERRNO_OFFSET) : r;
    }
}
