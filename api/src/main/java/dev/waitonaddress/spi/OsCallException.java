package dev.waitonaddress.spi;

/**
 * An OS answer that no rule of the backend expects. The policy turns it into the public
 * {@code dev.waitonaddress.WaitOnAddressException} with the same backend, call and code.
 */
public final class OsCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The backend's name. */
    private final String backend;
    /** The OS call, e.g. {@code "futex(FUTEX_WAIT)"}. */
    private final String call;
    /** The OS's code. */
    private final int code;
    /** Its symbolic name and meaning. */
    private final String codeName;

    /**
     * An exception for an answer of {@code call} that no rule of the backend expects.
     *
     * @param backend the backend's name
     * @param call the OS call
     * @param code the OS's code (errno, or a Win32 error code)
     * @param codeName its symbolic name, with its meaning
     */
    public OsCallException(String backend, String call, int code, String codeName) {
        super(backend + ": " + call + " failed with " + codeName + " (" + code + ")", null, false, false);
        this.backend = backend;
        this.call = call;
        this.code = code;
        this.codeName = codeName;
    }

    /** {@return the backend's name} */
    public String backend() {
        return backend;
    }

    /** {@return the OS call that failed} */
    public String call() {
        return call;
    }

    /** {@return the OS's code} */
    public int code() {
        return code;
    }

    /** {@return the code's symbolic name, with its meaning} */
    public String codeName() {
        return codeName;
    }
}
