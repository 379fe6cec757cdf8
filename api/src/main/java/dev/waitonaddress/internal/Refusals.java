package dev.waitonaddress.internal;

/** The wording of every refusal: what a backend cannot do, and a backend that cannot run here. */
public final class Refusals {
    private Refusals() {
    }

    /**
     * Words the refusal of an operation the backend cannot do.
     *
     * @param backend the backend's name
     * @param what what it cannot do, e.g. {@code "requeue"}
     * @param capabilities what it can do, for the message
     * @return the refusal
     */
    public static UnsupportedOperationException unsupported(String backend, String what, Object capabilities) {
        return new UnsupportedOperationException(
                backend + " does not support " + what + " (its capabilities: " + capabilities + ")");
    }

    /**
     * Words what is refused when a SHARED wait asks for a width the backend cannot wait on across
     * processes.
     *
     * @param bytes the width of the refused SHARED wait
     * @param anyShared whether the backend waits across processes on some other width
     * @return what is refused, for {@link #unsupported}
     */
    public static String shared(int bytes, boolean anyShared) {
        return anyShared
                ? "SHARED scope for " + Words.widthName(bytes) + " words: it waits on them in-process only, which"
                        + " cannot reach other processes (wait across processes on a width it waits on natively)"
                : "SHARED scope (waits across processes)";
    }

    /**
     * Words the refusal of every call to a backend that cannot run here.
     *
     * @param backend the backend's name
     * @param cause why it cannot run
     * @return the refusal of any call
     */
    public static IllegalStateException unavailable(String backend, Throwable cause) {
        return new IllegalStateException(backend + " is not available here: " + cause, cause);
    }
}
