/**
 * Synchronizers on aligned 32-bit words of native or shared memory, built on
 * {@link dev.waitonaddress.WaitOnAddress}: {@link dev.waitonaddress.sync.Mutex} (with
 * {@link dev.waitonaddress.sync.Condition}), {@link dev.waitonaddress.sync.Semaphore},
 * {@link dev.waitonaddress.sync.Latch}, {@link dev.waitonaddress.sync.Barrier} and
 * {@link dev.waitonaddress.sync.Event}.
 *
 * <p>Each lives on one to three consecutive words at a JNA {@code Pointer} or in a direct or mapped
 * {@code ByteBuffer} at an offset ({@code wrap}), or in memory of its own ({@code allocate}, PRIVATE
 * scope). In {@link dev.waitonaddress.Scope#SHARED} scope the words may lie in a file that several
 * processes map, and each type documents its word protocol (states, transitions, which word is
 * slept on and woken) precisely enough for C or Rust code to take part through raw futex calls;
 * word values are in the platform's byte order. Wrapping never changes the memory: zeroed memory
 * is a free mutex, an idle condition, an empty semaphore, an open latch and an event not set;
 * latches and barriers get their counts from {@code initialize}.
 *
 * <p>Common rules: uncontended operations make no system call; waits end by
 * {@link java.lang.Thread#interrupt()} with {@link java.lang.InterruptedException} and the
 * interrupt status cleared (a wait entered with the status set throws at once); timed waits
 * never return "timed out" before their time-out; time-outs of 2<sup>62</sup> ns or more wait
 * forever. A null argument throws {@link java.lang.NullPointerException}; an address of 0, a
 * misaligned word, a heap or read-only buffer, or a JNA {@code Memory} too small for the words
 * {@link java.lang.IllegalArgumentException}; words that do not fit in a buffer
 * {@link java.lang.IndexOutOfBoundsException}; a scope the backend cannot wait in
 * {@link java.lang.UnsupportedOperationException}. Waits that must notice a dead peer (SHARED
 * mutexes, SHARED semaphores, conditions) sleep at most a re-check interval at a time (see
 * {@link dev.waitonaddress.sync.Mutex}).
 */
package dev.waitonaddress.sync;
