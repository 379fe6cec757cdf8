package dev.waitonaddress.spi;

/**
 * An OS result code as a backend's error enum declares it: the OS's own number, its symbolic name
 * ({@link Enum#name()}) and a one-line meaning.
 */
public interface OsError {
    /** {@return the OS's number for it (errno, or a Win32 error code)} */
    int code();

    /** {@return the symbolic name, e.g. {@code "EAGAIN"}} */
    String name();

    /** {@return what it means, in one line} */
    String meaning();

    /**
     * Builds the lookup table of an error enum once, for {@link #of(Enum[], int, Enum)}: no
     * allocation and no search per call, since some codes (a mismatch, a time-out) are hot.
     *
     * @param <E> the error enum
     * @param type the backend's error enum; codes must be 0 to 65535
     * @return an array indexed by code
     */
    static <E extends Enum<E> & OsError> E[] table(Class<E> type) {
        int max = 0;
        for (E e : type.getEnumConstants()) {
            if (e.code() < 0 || e.code() > 0xFFFF) {
                throw new IllegalArgumentException(type.getName() + "." + e.name() + " has code " + e.code());
            }
            max = Math.max(max, e.code());
        }
        @SuppressWarnings("unchecked")
        E[] table = (E[]) java.lang.reflect.Array.newInstance(type, max + 1);
        for (E e : type.getEnumConstants()) {
            if (table[e.code()] == null) {
                table[e.code()] = e;
            }
        }
        return table;
    }

    /**
     * Looks an OS error code up in a table made by {@link #table(Class)}, without allocating.
     *
     * @param <E> the error enum
     * @param table made by {@link #table(Class)}
     * @param code an OS error code
     * @param unknown the constant returned for codes the table does not list
     * @return the constant with that code, or {@code unknown}
     */
    static <E extends Enum<E> & OsError> E of(E[] table, int code, E unknown) {
        E e = code >= 0 && code < table.length ? table[code] : null;
        return e != null ? e : unknown;
    }

    /**
     * Makes the exception for an OS answer that no rule of the backend expects.
     *
     * @param backend the backend's name
     * @param call the OS call, e.g. {@code "futex(FUTEX_WAIT)"}
     * @param code the raw code (kept even when the enum does not know it)
     * @param error its constant
     * @return the exception for a result no rule of the backend expects
     */
    static OsCallException unexpected(String backend, String call, int code, OsError error) {
        return new OsCallException(backend, call, code, error.name() + " (" + error.meaning() + ")");
    }
}
