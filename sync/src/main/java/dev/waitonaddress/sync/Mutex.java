package dev.waitonaddress.sync;

import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WakeOp;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * A mutual-exclusion lock on one aligned 32-bit word of native or shared memory: the futex lock of
 * "Futexes Are Tricky" in {@link Scope#PRIVATE} scope, and a lock that records its owning process
 * and survives that process's death in {@link Scope#SHARED} scope. Not reentrant.
 *
 * <h2>Word protocol, PRIVATE scope</h2>
 * The word holds {@link #FREE} (0), {@link #LOCKED} (1: held, nobody asleep) or
 * {@link #CONTENDED} (2: held, threads may be asleep on the word).
 * <ul>
 *   <li>lock: compare-and-set 0 to 1; if that fails, spin a few rounds re-trying it, then
 *       exchange in 2 until the exchange returns 0, sleeping on the word while it holds 2
 *       ({@code FUTEX_WAIT(word, 2)}) between exchanges. A thread returning from a
 *       {@link Condition} wait always takes the lock as 2.</li>
 *   <li>unlock: exchange in 0; if the old value was 2, wake one sleeper of the word.</li>
 * </ul>
 *
 * <h2>Word protocol, SHARED scope (robust)</h2>
 * The low 30 bits ({@link #OWNER_MASK}) hold the process id of the holder (0: free); bit 31
 * ({@link #WAITERS_BIT}) says threads of some process may be asleep on the word; bit 30
 * ({@link #OWNER_DIED_BIT}) says the holder took the lock over from a dead owner and has not yet
 * declared the protected state repaired. {@link #NOT_RECOVERABLE} ({@code 0x7fffffff}) marks a lock
 * that must not be used any more. Let {@code P} be the caller's process id:
 * <ul>
 *   <li>lock: compare-and-set 0 to {@code P}. Otherwise loop: if the word is 0, compare-and-set it
 *       to {@code P | WAITERS} (taken); if it is {@code NOT_RECOVERABLE}, fail; if the waiters bit
 *       is clear, compare-and-set it on and start over; else sleep on the word with the value seen,
 *       for at most the re-check interval. Whenever a re-check interval has passed since the last
 *       check, test whether the process in the owner field still lives; if it does not,
 *       compare-and-set the value seen to {@code P | WAITERS | OWNER_DIED}: the lock is taken, and
 *       its state is inconsistent.</li>
 *   <li>unlock: if the owner-died bit is set, store {@code NOT_RECOVERABLE} and wake every sleeper;
 *       else exchange in 0 and, if the old value had the waiters bit, wake one sleeper.</li>
 *   <li>repair: the holder clears the owner-died bit ({@link #markConsistent()}).</li>
 * </ul>
 * A sleeper never sleeps longer than the re-check interval ({@value #DEFAULT_RECHECK_MILLIS} ms, or
 * {@code -D}{@value #RECHECK_PROPERTY}{@code =MILLIS}, 1 to 60000) before it looks at the word again.
 * So a waiter takes over from a dead holder at most one interval (plus the time to check) after
 * the death, and a wake-up taken by a process that died before it could use it delays the others
 * by at most one interval. While the holder lives, each waiter checks on it once per interval,
 * no more. A process is dead for this purpose when {@code kill(pid, 0)} reports no such process,
 * or (Linux) {@code /proc/<pid>/stat} shows a zombie. C or Rust code taking part must follow the
 * same steps with {@code FUTEX_WAIT} and {@code FUTEX_WAKE} without {@code FUTEX_PRIVATE_FLAG},
 * including the bounded sleeps.
 *
 * <p>Why one word with the process id, and no thread id: the owner must be read and replaced in
 * one atomic step, or a death between two stores leaves a lock that no one can attribute. A
 * process, not a thread, is what dies without unlocking: a Java thread that ends while holding a
 * lock keeps it held, as with {@link java.util.concurrent.locks.ReentrantLock}; and a virtual
 * thread has no stable OS thread id to record. Within its process, the holding thread is known to
 * this object. Limits: every process must see the others' process ids (one PID namespace), and a
 * dead owner's id reused by a new process before a waiter checks makes the lock look held by a
 * live process until that one ends.
 *
 * <h2>As a {@link Lock}</h2>
 * {@link #lock()}, {@link #lockInterruptibly()}, {@link #tryLock()} and
 * {@link #tryLock(long, TimeUnit)} keep the {@code Lock} contracts, with these differences: the
 * lock is not reentrant (a holder that locks again deadlocks, or its {@code tryLock} returns
 * false); it is not fair (a thread that arrives may take the lock before a sleeper); an
 * {@link #unlock()} by a thread that did not lock it through this object throws
 * {@link IllegalMonitorStateException}; {@link #newCondition()} works in PRIVATE scope only (SHARED:
 * {@link Condition#wrap(Mutex, Pointer)}); and a SHARED lock may refuse with
 * {@link NotRecoverableException}. Waits end by interrupt with {@link InterruptedException} and
 * the interrupt status cleared; a timed wait never returns before its time-out. Thread-safe.
 */
public final class Mutex implements Lock {
    /** Bytes of memory a mutex occupies: one 32-bit word. */
    public static final int BYTES = 4;
    /** PRIVATE word value: free. */
    public static final int FREE = 0;
    /** PRIVATE word value: held, nobody asleep. */
    public static final int LOCKED = 1;
    /** PRIVATE word value: held, threads may be asleep on the word. */
    public static final int CONTENDED = 2;
    /** SHARED word: the bits that hold the owner's process id. */
    public static final int OWNER_MASK = Owners.PID_MASK;
    /** SHARED word: threads may be asleep on the word. */
    public static final int WAITERS_BIT = 0x8000_0000;
    /** SHARED word: the holder took over from a dead owner and has not repaired the state yet. */
    public static final int OWNER_DIED_BIT = 0x4000_0000;
    /** SHARED word value: the lock must not be used any more. */
    public static final int NOT_RECOVERABLE = 0x7fff_ffff;
    /** The system property with the re-check interval of SHARED waits, in milliseconds. */
    public static final String RECHECK_PROPERTY = Owners.RECHECK_PROPERTY;
    /** The default re-check interval of SHARED waits, in milliseconds. */
    public static final long DEFAULT_RECHECK_MILLIS = Owners.DEFAULT_RECHECK_MILLIS;

    /** Rounds a contended lock spins, watching the word, before it sleeps. */
    private static final int SPINS = 64;

    /** The word. */
    final Words words;
    /** Whether the SHARED (robust) protocol applies. */
    private final boolean robust;
    /** The value a lock stores on the fast path: 1, or this process's id. */
    private final int lockedValue;
    /** The thread that holds the lock through this object; written by the holder only. */
    private Thread owner;

    /**
     * @param words the word
     * @throws UnsupportedOperationException in SHARED scope, if this process's id does not fit in 30 bits
     */
    private Mutex(Words words) {
        this.words = words;
        this.robust = words.scope == Scope.SHARED;
        if (robust && Owners.SELF == 0) {
            throw new UnsupportedOperationException("a SHARED Mutex records the process id in 30 bits; this"
                    + " process's id " + ProcessHandle.current().pid() + " does not fit");
        }
        this.lockedValue = robust ? Owners.SELF : LOCKED;
    }

    /** {@return a new, free mutex in memory of its own, PRIVATE scope, on {@link WaitOnAddress#system()}} */
    public static Mutex allocate() {
        return new Mutex(Words.allocate(WaitOnAddress.system(), 1, "Mutex"));
    }

    /**
     * Views the word at {@code address} as a mutex, without changing it (0 is a free mutex).
     *
     * @param address the word's address, aligned to 4 bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use the lock
     * @return the mutex, on {@link WaitOnAddress#system()}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the address is 0 or misaligned, or is a JNA
     *     {@code Memory} smaller than {@link #BYTES}
     * @throws UnsupportedOperationException if the backend cannot wait on 32-bit words in
     *     {@code scope}, or (SHARED) this process's id does not fit in 30 bits
     */
    public static Mutex wrap(Pointer address, Scope scope) {
        return wrap(WaitOnAddress.system(), address, scope);
    }

    /**
     * As {@link #wrap(Pointer, Scope)}, waiting and waking through {@code futex}.
     *
     * @param futex the backend that waits and wakes
     * @param address the word's address, aligned to 4 bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use the lock
     * @return the mutex
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the address is 0 or misaligned, or is a JNA
     *     {@code Memory} smaller than {@link #BYTES}
     * @throws UnsupportedOperationException if {@code futex} cannot wait on 32-bit words in
     *     {@code scope}, or (SHARED) this process's id does not fit in 30 bits
     */
    public static Mutex wrap(WaitOnAddress futex, Pointer address, Scope scope) {
        return new Mutex(Words.of(futex, address, scope, 1, "Mutex"));
    }

    /**
     * Views the word at {@code offset} of a direct or mapped buffer as a mutex, without changing
     * it (0 is a free mutex). The mutex keeps the buffer reachable.
     *
     * @param buffer a direct or mapped, writable buffer
     * @param offset the byte offset of the word from the buffer's index 0; its address must be
     *     aligned to 4 bytes
     * @param scope {@link Scope#SHARED} when other processes map the memory and use the lock
     * @return the mutex, on {@link WaitOnAddress#system()}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the word does not lie within the buffer's limit
     * @throws UnsupportedOperationException if the backend cannot wait on 32-bit words in
     *     {@code scope}, or (SHARED) this process's id does not fit in 30 bits
     */
    public static Mutex wrap(ByteBuffer buffer, int offset, Scope scope) {
        return wrap(WaitOnAddress.system(), buffer, offset, scope);
    }

    /**
     * As {@link #wrap(ByteBuffer, int, Scope)}, waiting and waking through {@code futex}.
     *
     * @param futex the backend that waits and wakes
     * @param buffer a direct or mapped, writable buffer
     * @param offset the byte offset of the word from the buffer's index 0
     * @param scope {@link Scope#SHARED} when other processes map the memory and use the lock
     * @return the mutex
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException for a heap or read-only buffer, or a misaligned word
     * @throws IndexOutOfBoundsException if the word does not lie within the buffer's limit
     * @throws UnsupportedOperationException if {@code futex} cannot wait on 32-bit words in
     *     {@code scope}, or (SHARED) this process's id does not fit in 30 bits
     */
    public static Mutex wrap(WaitOnAddress futex, ByteBuffer buffer, int offset, Scope scope) {
        return new Mutex(Words.of(futex, buffer, offset, scope, 1, "Mutex"));
    }

    // ------------------------------------------------------------------------------ Lock

    /**
     * Takes the lock, sleeping while another thread or process holds it. Interrupts do not end
     * the wait; the interrupt status is set again when it returns.
     *
     * @throws NotRecoverableException if the SHARED lock is marked not recoverable
     */
    @Override
    public void lock() {
        if (words.compareAndSet(0, FREE, lockedValue)) {
            owner = Thread.currentThread();
            return;
        }
        acquireUninterruptibly(false);
    }

    /**
     * Takes the lock, sleeping while another thread or process holds it, unless interrupted.
     *
     * @throws InterruptedException if the thread is interrupted on entry or while it sleeps (the
     *     interrupt status is cleared)
     * @throws NotRecoverableException if the SHARED lock is marked not recoverable
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (words.compareAndSet(0, FREE, lockedValue)) {
            owner = Thread.currentThread();
            return;
        }
        acquire(false, 0, false);
    }

    /**
     * Takes the lock if it is free, without waiting. It does not check whether a SHARED holder
     * is dead: only waiting calls do.
     *
     * @return whether the lock was taken
     * @throws NotRecoverableException if the SHARED lock is marked not recoverable
     */
    @Override
    public boolean tryLock() {
        for (;;) {
            int v = words.get(0);
            if (v != FREE) {
                if (robust && v == NOT_RECOVERABLE) {
                    throw notRecoverable();
                }
                return false;
            }
            if (words.compareAndSet(0, FREE, lockedValue)) {
                owner = Thread.currentThread();
                return true;
            }
        }
    }

    /**
     * Takes the lock, sleeping at most {@code timeout} while another thread or process holds it.
     * A time-out of zero or less does not sleep; 2<sup>62</sup> ns or more waits forever.
     *
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return whether the lock was taken; false only once the time-out has passed
     * @throws InterruptedException if the thread is interrupted on entry or while it sleeps (the
     *     interrupt status is cleared)
     * @throws NullPointerException if {@code unit} is null
     * @throws NotRecoverableException if the SHARED lock is marked not recoverable
     */
    @Override
    public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Words.nanos(timeout, unit);
        long start = System.nanoTime();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (tryLock()) {
            return true;
        }
        if (nanos == 0) {
            return false;
        }
        return nanos < 0 ? acquire(false, 0, false) : acquire(true, start + nanos, false);
    }

    /**
     * Releases the lock and wakes one sleeper if there may be one. In SHARED scope, releasing a
     * lock whose state was not declared repaired after an owner's death ({@link #isConsistent()}
     * false) marks it not recoverable instead and wakes every sleeper.
     *
     * @throws IllegalMonitorStateException if the calling thread did not take the lock through
     *     this object, or (SHARED) the word names another process as the holder
     */
    @Override
    public void unlock() {
        if (owner != Thread.currentThread()) {
            throw notHeld("unlock");
        }
        if (robust) {
            unlockRobust();
            return;
        }
        owner = null;
        if (words.getAndSet(0, FREE) == CONTENDED) {
            words.wake(0, 1);
        }
    }

    /**
     * The SHARED protocol's unlock, by the holder.
     *
     * @throws IllegalMonitorStateException if the word names another process as the holder
     */
    private void unlockRobust() {
        int v = words.get(0);
        if ((v & OWNER_MASK) != Owners.SELF) {
            throw new IllegalMonitorStateException("the word of this SHARED mutex names process "
                    + (v & OWNER_MASK) + " as its holder, not this process (" + Owners.SELF + "): " + words);
        }
        owner = null;
        if ((v & OWNER_DIED_BIT) != 0) {
            words.set(0, NOT_RECOVERABLE);
            words.wake(0, WaitOnAddress.ALL);
            return;
        }
        if ((words.getAndSet(0, FREE) & WAITERS_BIT) != 0) {
            words.wake(0, 1);
        }
    }

    /**
     * A new condition of this lock, on a word of its own in PRIVATE scope. For a SHARED mutex,
     * the condition's words must lie in the shared memory: use {@link Condition#wrap(Mutex, Pointer)}
     * or {@link Condition#wrap(Mutex, ByteBuffer, int)}.
     *
     * @return a condition whose {@code signalAll} requeues where the backend can
     * @throws UnsupportedOperationException if this mutex is SHARED
     */
    @Override
    public Condition newCondition() {
        if (robust) {
            throw new UnsupportedOperationException("a condition of a SHARED mutex needs words in the shared memory:"
                    + " use Condition.wrap(mutex, address)");
        }
        return new Condition(this, Words.allocate(words.futex, 2, "Condition"));
    }

    // ------------------------------------------------------------------------------ queries

    /**
     * Whether some thread or process holds the lock now: a snapshot, which may be out of date when
     * it returns. A lock marked not recoverable counts as held.
     *
     * @return whether the lock is held
     */
    public boolean isLocked() {
        return words.get(0) != FREE;
    }

    /** {@return whether the calling thread holds the lock through this object} */
    public boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /**
     * Tells a holder of a SHARED lock whether the previous owner died holding it: after a lock
     * call returns, false means "the previous owner died; repair the shared state, then call
     * {@link #markConsistent()}" (POSIX {@code EOWNERDEAD}). It stays false while holders keep
     * dying before repairing. Always true in PRIVATE scope.
     *
     * @return false if the word carries the owner-died bit or the lock is marked not recoverable
     */
    public boolean isConsistent() {
        if (!robust) {
            return true;
        }
        int v = words.get(0);
        return (v & OWNER_DIED_BIT) == 0;
    }

    /**
     * Declares the state this lock protects repaired after an owner's death
     * ({@code pthread_mutex_consistent}), so that {@link #unlock()} frees the lock instead of
     * marking it not recoverable. Does nothing if the state is consistent.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock through
     *     this object
     */
    public void markConsistent() {
        checkHeld("markConsistent");
        if (robust) {
            words.getAndBitwiseAnd(0, ~OWNER_DIED_BIT);
        }
    }

    /** {@return whether the SHARED lock is marked not recoverable (always false in PRIVATE scope)} */
    public boolean isNotRecoverable() {
        return robust && words.get(0) == NOT_RECOVERABLE;
    }

    /** {@return the scope of the word's waits and wakes} */
    public Scope scope() {
        return words.scope;
    }

    /** {@return the address of the word} */
    public Pointer pointer() {
        return words.pointer(0);
    }

    @Override
    public String toString() {
        Thread o = owner;
        return "Mutex[" + words + (o == null ? "" : ", held here by " + o.getName()) + "]";
    }

    // ------------------------------------------------------------------------------ internals

    /**
     * @param what the operation, for the message
     * @throws IllegalMonitorStateException unless the calling thread holds the lock through this object
     */
    private void checkHeld(String what) {
        if (owner != Thread.currentThread()) {
            throw notHeld(what);
        }
    }

    /**
     * @param what the operation, for the message
     * @return the exception of a caller that does not hold the lock
     */
    private IllegalMonitorStateException notHeld(String what) {
        return new IllegalMonitorStateException(what + ": the calling thread " + Thread.currentThread().getName()
                + " does not hold this mutex (through this object): " + this);
    }

    /** @return the exception of an attempt on a lock marked not recoverable */
    private NotRecoverableException notRecoverable() {
        return new NotRecoverableException("this SHARED mutex is marked not recoverable (a holder released it"
                + " after an owner's death without markConsistent()): " + words);
    }

    /**
     * Takes the lock in the slow path, ignoring interrupts but setting the status again after.
     *
     * @param contended take it in the contended state
     */
    private void acquireUninterruptibly(boolean contended) {
        boolean interrupted = false;
        for (;;) {
            try {
                acquire(false, 0, contended);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The slow path of every lock call.
     *
     * @param timed whether {@code deadline} applies
     * @param deadline on the clock of {@link System#nanoTime()}
     * @param contended take the lock in the contended state (after a condition wait: requeued
     *     sleepers may be on the word)
     * @return true when taken; false only if {@code timed} and the deadline has passed
     * @throws InterruptedException if the thread is interrupted while it sleeps
     */
    private boolean acquire(boolean timed, long deadline, boolean contended) throws InterruptedException {
        boolean taken = robust ? acquireRobust(timed, deadline, contended) : acquirePrivate(timed, deadline, contended);
        if (taken) {
            owner = Thread.currentThread();
        }
        return taken;
    }

    /**
     * The PRIVATE protocol's slow path: spin a little, then exchange in 2 and sleep on 2.
     *
     * @param timed whether {@code deadline} applies
     * @param deadline on the clock of {@link System#nanoTime()}
     * @param contended take the lock in the contended state
     * @return true when taken; false only if {@code timed} and the deadline has passed
     * @throws InterruptedException if the thread is interrupted while it sleeps
     */
    private boolean acquirePrivate(boolean timed, long deadline, boolean contended) throws InterruptedException {
        int locked = contended ? CONTENDED : LOCKED;
        for (int i = 0; i < SPINS; i++) {
            int v = words.get(0);
            if (v == FREE) {
                if (words.compareAndSet(0, FREE, locked)) {
                    return true;
                }
            }
            // Keep watching even while others sleep (2): a short critical section ends within the
            // spin. Taking the word from 0 to 1 then is safe: a sleeper that the last unlock woke
            // exchanges in 2 before it sleeps again, so our unlock wakes it; and every unlock of 2
            // makes a system call, which taking it as 2 here would add to every handoff.
            Thread.onSpinWait();
        }
        for (;;) {
            if (words.getAndSet(0, CONTENDED) == FREE) {
                return true;
            }
            if (timed) {
                if (Words.passed(deadline)) {
                    return false;
                }
                words.awaitUntil(0, CONTENDED, deadline);
            } else {
                words.await(0, CONTENDED);
            }
        }
    }

    /**
     * The SHARED protocol's slow path: spin a little, then set the waiters bit and sleep in
     * slices, checking on the owner once per re-check interval.
     *
     * @param timed whether {@code deadline} applies
     * @param deadline on the clock of {@link System#nanoTime()}
     * @param contended take the lock with the waiters bit set
     * @return true when taken; false only if {@code timed} and the deadline has passed
     * @throws InterruptedException if the thread is interrupted while it sleeps
     * @throws NotRecoverableException if the lock is marked not recoverable
     */
    private boolean acquireRobust(boolean timed, long deadline, boolean contended) throws InterruptedException {
        int self = Owners.SELF;
        int taken = contended ? self | WAITERS_BIT : self;
        for (int i = 0; i < SPINS; i++) {
            int v = words.get(0);
            if (v == FREE) {
                if (words.compareAndSet(0, FREE, taken)) {
                    return true;
                }
            } else if ((v & WAITERS_BIT) != 0 || v == NOT_RECOVERABLE) {
                break;
            }
            Thread.onSpinWait();
        }
        long lastCheck = System.nanoTime();
        for (;;) {
            int v = words.get(0);
            if (v == FREE) {
                // others may sleep on the word: keep the waiters bit so that our unlock wakes one
                if (words.compareAndSet(0, FREE, self | WAITERS_BIT)) {
                    return true;
                }
                continue;
            }
            if (v == NOT_RECOVERABLE) {
                throw notRecoverable();
            }
            if ((v & WAITERS_BIT) == 0) {
                if (!words.compareAndSet(0, v, v | WAITERS_BIT)) {
                    continue;
                }
                v |= WAITERS_BIT;
            }
            if (timed && Words.passed(deadline)) {
                return false;
            }
            long now = System.nanoTime();
            if (now - lastCheck >= Owners.RECHECK_NANOS) {
                lastCheck = now;
                int pid = v & OWNER_MASK;
                if (pid != self && Owners.isDead(pid)) {
                    if (words.compareAndSet(0, v, self | WAITERS_BIT | OWNER_DIED_BIT)) {
                        return true; // inconsistent: isConsistent() tells the caller
                    }
                    continue;
                }
            }
            words.awaitSliced(0, v, timed, deadline, Owners.RECHECK_NANOS - (now - lastCheck));
        }
    }

    // ------------------------------------------------------------------------------ for Condition

    /** Takes the lock after a condition wait, in the contended state, ignoring interrupts. */
    void lockAfterWait() {
        if (!robust && words.compareAndSet(0, FREE, CONTENDED)) {
            owner = Thread.currentThread();
            return;
        }
        acquireUninterruptibly(true);
    }

    /** The holder marks the word contended, so that its unlock wakes a sleeper moved onto the word. */
    void markContended() {
        if (robust) {
            words.getAndBitwiseOr(0, WAITERS_BIT);
        } else {
            words.set(0, CONTENDED);
        }
    }

    /**
     * @param what the operation, for the message
     * @throws IllegalMonitorStateException unless the calling thread holds the lock through this object
     */
    void checkHeldForCondition(String what) {
        checkHeld(what);
    }

    /** @return whether waits on the word must be bounded by the re-check interval */
    boolean robust() {
        return robust;
    }

    /**
     * Releases the lock and wakes {@code wakeCount} sleepers of {@code other} in one system call
     * ({@link WaitOnAddress#wakeOp}): the word becomes 0 and, if it was contended, one of its
     * sleepers is woken too.
     *
     * @param other the word whose sleepers to wake
     * @param wakeCount how many of them
     * @return false, having done nothing, where the backend has no native wake-op for these words
     *     or the SHARED state awaits repair (then the caller unlocks the ordinary way)
     */
    boolean unlockWakingOther(Pointer other, int wakeCount) {
        checkHeld("unlock");
        if (!words.futex.capabilities().wakeOp() || !words.nativeWidth()) {
            return false;
        }
        WakeOp op;
        if (robust) {
            int v = words.get(0);
            if ((v & OWNER_MASK) != Owners.SELF || (v & OWNER_DIED_BIT) != 0) {
                return false; // unlock() reports or marks it
            }
            op = WakeOp.of(WakeOp.Operation.SET, 0, WakeOp.Comparison.LT, 0); // waiters bit = sign bit
        } else {
            op = WakeOp.of(WakeOp.Operation.SET, 0, WakeOp.Comparison.GT, LOCKED);
        }
        owner = null;
        words.futex.wakeOp(other, words.pointer(0), words.scope, wakeCount, 1, op);
        words.keepAlive();
        return true;
    }
}
