package dev.waitonaddress;

/** Who may wake a waiter. */
public enum Scope {
    /**
     * Waiters and wakers are threads of this process. The fastest form; the address may be any
     * memory of this process.
     */
    PRIVATE,
    /**
     * Waiters and wakers may be in different processes that map the same memory (a file mapped
     * with {@code FileChannel.map}, POSIX shared memory). Each side must use SHARED. Backends whose
     * OS cannot do this (Windows) refuse it with {@link UnsupportedOperationException}.
     */
    SHARED
}
