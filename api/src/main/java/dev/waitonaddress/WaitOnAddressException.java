package dev.waitonaddress;

/**
 * An error the operating system returned that the library does not expect and cannot recover
 * from. Carries the backend's name and the OS error code (errno, or a Win32 error code) with its
 * symbolic name.
 */
public class WaitOnAddressException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The name of the backend that failed. */
    private final String backend;
    /** The OS error code. */
    private final int errorCode;
    /** The symbolic name of the code. */
    private final String errorName;

    /**
     * An exception for {@code operation} of {@code backend} that failed with the OS error
     * {@code errorCode}, without a cause.
     *
     * @param backend the backend's {@link WaitOnAddress#name()}
     * @param operation what was attempted, e.g. {@code "futex FUTEX_WAIT"}
     * @param errorCode the OS error code
     * @param errorName its symbolic name, e.g. {@code "EINVAL"}
     */
    public WaitOnAddressException(String backend, String operation, int errorCode, String errorName) {
        this(backend, operation, errorCode, errorName, null);
    }

    /**
     * An exception for {@code operation} of {@code backend} that failed with the OS error
     * {@code errorCode}, caused by what the backend reported.
     *
     * @param backend the backend's {@link WaitOnAddress#name()}
     * @param operation what was attempted, e.g. {@code "futex FUTEX_WAIT"}
     * @param errorCode the OS error code
     * @param errorName its symbolic name, e.g. {@code "EINVAL"}
     * @param cause what the backend reported, or null
     */
    public WaitOnAddressException(String backend, String operation, int errorCode, String errorName,
            Throwable cause) {
        super(backend + ": " + operation + " failed with " + errorName + " (" + errorCode + ")", cause);
        this.backend = backend;
        this.errorCode = errorCode;
        this.errorName = errorName;
    }

    /** {@return the name of the backend that failed} */
    public String backend() {
        return backend;
    }

    /** {@return the OS error code: errno on POSIX systems, the last error on Windows} */
    public int errorCode() {
        return errorCode;
    }

    /** {@return the symbolic name of {@link #errorCode()}, e.g. {@code "EFAULT"}} */
    public String errorName() {
        return errorName;
    }
}
