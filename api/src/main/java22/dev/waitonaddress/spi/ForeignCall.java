package dev.waitonaddress.spi;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.Arrays;
import java.util.Collections;

/**
 * {@link NativeCall} as a {@code java.lang.foreign} downcall whose linker captures {@code errno}
 * into per-thread memory. A record, so that the JIT trusts its final field: a call through a
 * {@code static final} instance inlines the downcall.
 *
 * @param handle the downcall, adapted to take the capture memory and seven {@code long}s
 */
record ForeignCall(MethodHandle handle) implements NativeCall {
    /** The layout of the state the linker captures. */
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    /** Where {@code errno} is in it. */
    private static final long ERRNO_OFFSET = STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    /** Per-thread capture memory: no allocation per call. */
    private static final ThreadLocal<MemorySegment> CAPTURED =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(STATE));

    /**
     * Builds the call; see {@link NativeCall#find}.
     *
     * @param library the library, or null for the C library
     * @param symbol the function's name
     * @param arity its number of arguments
     * @param firstVariadic the index of its first variadic argument, or -1
     * @return the call
     * @throws UnsupportedOperationException where {@code java.lang.foreign} refuses it
     */
    @SuppressWarnings("restricted")
    static ForeignCall of(String library, String symbol, int arity, int firstVariadic) {
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup lookup = library == null ? linker.defaultLookup()
                    : SymbolLookup.libraryLookup(library, Arena.global());
            MemorySegment address = lookup.find(symbol).orElseThrow(() -> new UnsupportedOperationException(
                    "no " + symbol + " in " + (library == null ? "the C library" : library)));
            ValueLayout[] arguments = new ValueLayout[arity];
            Arrays.fill(arguments, JAVA_LONG);
            FunctionDescriptor descriptor = FunctionDescriptor.of(JAVA_LONG, arguments);
            Linker.Option capture = Linker.Option.captureCallState("errno");
            MethodHandle h = firstVariadic < 0 ? linker.downcallHandle(address, descriptor, capture)
                    : linker.downcallHandle(address, descriptor, capture, Linker.Option.firstVariadicArg(firstVariadic));
            // unused trailing arguments are dropped, so every call has the one shape of invoke
            h = MethodHandles.dropArguments(h, 1 + arity,
                    Collections.nCopies(NativeCall.MAX_ARGUMENTS - arity, long.class));
            return new ForeignCall(h);
        } catch (UnsupportedOperationException e) {
            throw e;
        } catch (RuntimeException | Error e) { // IllegalCallerException (native access denied), IllegalArgumentException
            throw new UnsupportedOperationException("java.lang.foreign refuses " + symbol + ": " + e, e);
        }
    }

    @Override
    public long invoke(long a1, long a2, long a3, long a4, long a5, long a6, long a7) {
        try {
            return (long) handle.invokeExact(CAPTURED.get(), a1, a2, a3, a4, a5, a6, a7);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("a downcall throws no checked exception", t);
        }
    }

    @Override
    public int lastError() {
        return CAPTURED.get().get(JAVA_INT, ERRNO_OFFSET);
    }

    @Override
    public String describe() {
        return "java.lang.foreign";
    }
}
