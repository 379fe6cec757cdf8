package dev.waitonaddress.sync;

/**
 * Thrown by an attempt to take a SHARED {@link Mutex} that is marked not recoverable: a holder
 * took it over from a dead owner and released it without {@link Mutex#markConsistent()}, so the
 * state it protects is presumed broken (POSIX {@code ENOTRECOVERABLE}). Every later attempt, and
 * every waiter asleep at the time, gets this exception; the lock can be used again only after the
 * processes that share it have agreed to start over and one of them stores 0 into its word.
 */
public class NotRecoverableException extends IllegalStateException {
    /** The serialized form's version. */
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an attempt on a lock marked not recoverable.
     *
     * @param message what was refused, and on which word
     */
    public NotRecoverableException(String message) {
        super(message);
    }
}
