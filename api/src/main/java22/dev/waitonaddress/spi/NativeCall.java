package dev.waitonaddress.spi;

/**
 * A C function of up to seven {@code long} arguments returning {@code long}, called through a
 * {@code java.lang.foreign} downcall with the C {@code errno} captured right after the call: the
 * JDK 22+ fast path a backend may take for its hottest call instead of its JNA direct mapping.
 *
 * <p>The api jar is a multi-release jar. This is the version for JDK 22 and later, in
 * {@code META-INF/versions/22}: {@link #find} builds the downcall (the base version, for JDK 11
 * to 21, returns null and the backend keeps its JNA mapping). A backend reads the result of
 * {@link #find} once into a {@code static final} field and tests it for null on each call, so
 * that the JIT keeps one of the two paths.
 *
 * <p>Instances are thread-safe; {@link #lastError()} is per thread.
 */
public interface NativeCall {
    /** The most arguments a function called this way takes. */
    int MAX_ARGUMENTS = 7;

    /**
     * Looks a C function up and builds the call.
     *
     * @param library the library to look {@code symbol} up in, as {@code dlopen} takes it (a path
     *     or a file name), or null for the C library the JVM is linked with
     * @param symbol the function's name
     * @param arity how many {@code long} arguments the function takes, 0 to {@link #MAX_ARGUMENTS}
     * @param firstVariadic the index of its first variadic argument, or -1 when it is not variadic
     * @return the call, or null where {@code java.lang.foreign} is not available: a JDK before 22,
     *     or the api classes not loaded from the multi-release jar
     * @throws IllegalArgumentException if {@code arity} or {@code firstVariadic} is out of range
     * @throws UnsupportedOperationException where {@code java.lang.foreign} is available but
     *     refuses this call: native access denied to the api module, the library or symbol missing
     */
    static NativeCall find(String library, String symbol, int arity, int firstVariadic) {
        checkShape(symbol, arity, firstVariadic);
        return ForeignCall.of(library, symbol, arity, firstVariadic);
    }

    /**
     * The checks of {@link #find}, the same in every version.
     *
     * @param symbol the function's name
     * @param arity its number of arguments
     * @param firstVariadic the index of its first variadic argument, or -1
     */
    private static void checkShape(String symbol, int arity, int firstVariadic) {
        if (symbol == null || symbol.isEmpty()) {
            throw new IllegalArgumentException("symbol is " + (symbol == null ? "null" : "empty"));
        }
        if (arity < 0 || arity > MAX_ARGUMENTS) {
            throw new IllegalArgumentException(symbol + ": arity " + arity + " is not 0 to " + MAX_ARGUMENTS);
        }
        if (firstVariadic < -1 || firstVariadic > arity) {
            throw new IllegalArgumentException(symbol + ": first variadic argument " + firstVariadic
                    + " is not -1 or 0 to " + arity);
        }
    }

    /**
     * Calls the function with its first {@code arity} arguments; the rest are ignored. Blocks for
     * as long as the function does.
     *
     * @param a1 the first argument
     * @param a2 the second argument
     * @param a3 the third argument
     * @param a4 the fourth argument
     * @param a5 the fifth argument
     * @param a6 the sixth argument
     * @param a7 the seventh argument
     * @return what the function returned
     */
    long invoke(long a1, long a2, long a3, long a4, long a5, long a6, long a7);

    /**
     * Reads the {@code errno} the calling thread's last {@link #invoke} left.
     *
     * @return that {@code errno}
     */
    int lastError();

    /**
     * Says how the call is made, for diagnostics.
     *
     * @return e.g. {@code "java.lang.foreign"}
     */
    String describe();
}
