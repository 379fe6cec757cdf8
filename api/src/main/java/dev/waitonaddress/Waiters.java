package dev.waitonaddress;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.waitonaddress.internal.Checks;
import dev.waitonaddress.internal.Deadlines;
import dev.waitonaddress.internal.Refusals;
import dev.waitonaddress.internal.Words;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The engine behind {@link AtomicWait}, {@link NativeAtomicInteger} and {@link NativeAtomicLong}:
 * spin, count in-process waiters, sleep through one backend, and wake only when someone may be
 * asleep. One instance per backend: {@link #system()} over {@link WaitOnAddress#system()} serves
 * the static methods, {@link AtomicWait#over} makes others.
 *
 * <h2>The waiter table</h2>
 * Addresses hash to one of {@value #BUCKETS} buckets. Each bucket holds, on a cache line of its
 * own, a count of the threads of this process that are about to sleep or asleep on an address of
 * the bucket through this instance (PRIVATE scope only): the low 32 bits count 32-bit waiters,
 * the high 32 bits 64-bit ones, so that a wake of either width reads one {@code long}. A PRIVATE
 * wake that finds its half zero returns without a system call.
 *
 * <h2>Why no wake-up is lost (the Dekker problem)</h2>
 * The waiter increments the count with a sequentially consistent read-modify-write and only then
 * has the value compared: by the kernel as it queues the waiter (native widths, behind the
 * kernel's own full barrier), or in Java before sleeping on the proxy. The waker stores the new
 * value and only then reads the count. Each side needs a full (StoreLoad) barrier between its
 * store and its load, or both could read stale data: the waker 0 waiters, the waiter the old
 * value, and the waiter would sleep forever. On the waiter's side the barrier is the atomic
 * increment (plus an explicit {@link VarHandle#fullFence()} before a value read that does not go
 * through a VarHandle). On the waker's side it is the store itself: a volatile (sequentially
 * consistent) store or atomic read-modify-write followed by the volatile read of the count, which
 * the Java memory model keeps in order. A weaker store (lazySet, setRelease, setOpaque, setPlain,
 * a plain JNA or C store) must be followed by {@link VarHandle#fullFence()} before the wake; the
 * fence is not put into the wake itself, so that a wake with nobody waiting stays a single read
 * (the choice of libstdc++ and libc++ too: a seq-cst load of the waiter count, no fence).
 *
 * <h2>Widths the OS cannot wait on</h2>
 * Where the backend has no native wait for a width, waiters sleep on the bucket's 32-bit proxy
 * word, in native memory: a waiter reads the proxy, then compares the value, then sleeps while
 * the proxy is unchanged; a waker that finds waiters of that width increments the proxy, then
 * wakes every sleeper of the proxy (they may wait on other addresses of the bucket: the ones
 * whose value did not change sleep again). Exact in PRIVATE scope; SHARED scope needs the width
 * natively and is refused otherwise.
 *
 * <h2>The rule that makes it exact</h2>
 * Every thread of this process that waits on the word in PRIVATE scope must wait through this
 * instance (a direct {@link WaitOnAddress#await} or a native futex wait is invisible to the
 * count; wake such waiters with {@link WaitOnAddress#wake}, which always asks the OS). A typed
 * wake ({@link NativeAtomicInteger}, {@link NativeAtomicLong}) reaches waiters of its own width
 * only; {@link AtomicWait}'s wakes reach both. SHARED scope is not counted here: a SHARED wake
 * asks the OS, except on a {@link NativeWord} in the counted layout ({@code wrapShared}), whose
 * waiter count lives in the shared mapping beside the value (raised before the kernel compares,
 * lowered after; the waker reads it after its store).
 */
final class Waiters {
    /** The default number of spin rounds before sleeping; see {@link AtomicWait#SPINS_PROPERTY}. */
    static final int DEFAULT_SPINS = spinsProperty();

    /** The spin rounds when {@code dev.waitonaddress.spins} is not set. */
    static final int STANDARD_SPINS = 16;

    /** How long a spinning wait goes on yielding the processor before it sleeps, in ns; see {@link AtomicWait#YIELD_MICROS_PROPERTY}. */
    static final long YIELD_NANOS = yieldMicrosProperty() * 1000;

    /** The yielding time when {@code dev.waitonaddress.yieldMicros} is not set, in µs. */
    static final int STANDARD_YIELD_MICROS = 50;

    private static final int BITS = 8;
    private static final int BUCKETS = 1 << BITS;

    /** Counts, one per 128 bytes (two cache lines: no false sharing, even with adjacent-line prefetch). */
    private static final int STRIDE = 16;
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long ONE32 = 1L;
    private static final long ONE64 = 1L << 32;

    /** Proxy words: one 32-bit word per bucket, each on its own 64-byte line of native memory. */
    private static final int PROXY_STRIDE = 64;
    private static final VarHandle PROXY = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** The instance over {@link WaitOnAddress#system()}, made on first use. */
    private static final class SystemDefault {
        static final Waiters DEFAULT = new Waiters(WaitOnAddress.system());
    }

    private final WaitOnAddress backend;
    private final Capabilities caps;
    private final boolean direct32;
    private final boolean direct64;
    private final boolean shared32;
    private final boolean shared64;
    private final long[] counts = new long[(BUCKETS + 1) * STRIDE];
    private final ByteBuffer proxies =
            ByteBuffer.allocateDirect((BUCKETS + 1) * PROXY_STRIDE).alignedSlice(PROXY_STRIDE);
    private final Pointer[] proxyPointers = new Pointer[BUCKETS];

    /** @param backend every wait and wake of this instance goes to it */
    Waiters(WaitOnAddress backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.caps = backend.capabilities();
        this.direct32 = caps.width(Width.INT32) == Capabilities.Support.NATIVE;
        this.direct64 = caps.width(Width.INT64) == Capabilities.Support.NATIVE;
        this.shared32 = caps.supports(Width.INT32, Scope.SHARED);
        this.shared64 = caps.supports(Width.INT64, Scope.SHARED);
        Pointer base = Native.getDirectBufferPointer(proxies);
        for (int b = 0; b < BUCKETS; b++) {
            proxyPointers[b] = base.share((long) b * PROXY_STRIDE);
        }
    }

    /** @return the instance over {@link WaitOnAddress#system()} */
    static Waiters system() {
        return SystemDefault.DEFAULT;
    }

    /** @return the backend every wait and wake goes to */
    WaitOnAddress backend() {
        return backend;
    }

    private static long yieldMicrosProperty() {
        return wholeNumberProperty(AtomicWait.YIELD_MICROS_PROPERTY, STANDARD_YIELD_MICROS, "a number of microseconds");
    }

    private static int spinsProperty() {
        return wholeNumberProperty(AtomicWait.SPINS_PROPERTY, STANDARD_SPINS, "a spin count");
    }

    /**
     * @param name a system property
     * @param standard its value when it is not set
     * @param what what it counts, for the message
     * @return its value, a whole number from 0 to {@link Integer#MAX_VALUE}
     * @throws IllegalArgumentException naming the property, for any other value
     */
    private static int wholeNumberProperty(String name, int standard, String what) {
        String s = System.getProperty(name);
        if (s == null || s.isBlank()) {
            return standard;
        }
        try {
            return Checks.atLeast(name, Integer.parseInt(s.trim()), 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + name + "=" + s + " is not " + what
                    + " (a whole number, 0 to " + Integer.MAX_VALUE + ")", e);
        }
    }

    /**
     * @param address an address
     * @return its bucket
     */
    static int bucket(long address) {
        return Words.bucket(address, BITS);
    }

    private static int index(int bucket) {
        return (bucket + 1) * STRIDE;
    }

    /** @return the waiter counts of {@code bucket}: 32-bit waiters low, 64-bit waiters high */
    private long waiters(int bucket) {
        return (long) COUNT.getVolatile(counts, index(bucket));
    }

    /** @return whether a PRIVATE wake of {@code width} may find a waiter (the hot path of every wake) */
    boolean mayHaveWaiters(int bucket, Width width) {
        long n = waiters(bucket);
        return width == Width.INT64 ? (n >>> 32) != 0 : (int) n != 0;
    }

    /** Refuses what the backend cannot do in SHARED scope, before anything else happens. */
    void checkScope(Width width, Scope scope) {
        if (scope == Scope.PRIVATE) {
            return;
        }
        Objects.requireNonNull(scope, "scope");
        if (!(width == Width.INT64 ? shared64 : shared32)) {
            throw Refusals.unsupported(backend.name(), Refusals.shared(width.bytes(), shared32 || shared64), caps);
        }
    }

    // ------------------------------------------------------------------------------------- waiting

    /**
     * Reads the word with at least acquire semantics: through {@code word} (volatile VarHandle
     * reads), or where it is null through {@code p} (a JNA read, then an acquire fence).
     */
    private static long load(NativeWord word, Pointer p, Width width) {
        if (word != null) {
            return word.bits();
        }
        long v = Words.read(p, width.bytes());
        VarHandle.acquireFence();
        return v;
    }

    /**
     * Waits on a word given by a pointer: checks it, then {@link #await(NativeWord, Pointer, long,
     * int, Width, long, Scope, int, long)}.
     *
     * @param p the word
     * @param width its width
     * @param old the value to wait past, sign-extended
     * @param scope its scope
     * @param spins spin rounds, 0 or more
     * @param deadline see {@link Deadlines}
     * @return true once the word differs, false once the deadline has passed
     * @throws InterruptedException if interrupted on entry or while waiting
     */
    boolean await(Pointer p, Width width, long old, Scope scope, int spins, long deadline)
            throws InterruptedException {
        long a = Checks.address(p, width.bytes());
        return await(null, p, a, bucket(a), width, old, scope, Checks.atLeast("spins", spins, 0), deadline);
    }

    /**
     * Returns once the word differs from {@code old} (spurious wake-ups absorbed), or
     * {@code false} once {@code deadline} has passed. Arguments are checked by the caller, except
     * the scope.
     *
     * @param word what to read the value through, or null to read it through {@code p}
     * @param p the word's address as a Pointer, for the backend
     * @param address the same, as a number
     * @param bucket its bucket
     * @param width its width
     * @param old the value to wait past, sign-extended
     * @param scope its scope
     * @param spins spin rounds
     * @param deadline see {@link Deadlines}
     * @return true once the word differs, false once the deadline has passed
     * @throws InterruptedException if interrupted on entry or while waiting
     */
    boolean await(NativeWord word, Pointer p, long address, int bucket, Width width, long old, Scope scope,
            int spins, long deadline) throws InterruptedException {
        checkScope(width, scope);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (load(word, p, width) != old) {
            return true;
        }
        if (Deadlines.passed(deadline)) {
            return false; // a poll
        }
        if (spins > 0 && spin(word, p, width, old, spins, deadline)) {
            return true;
        }
        if (scope == Scope.SHARED) {
            if (word == null || !word.counted()) {
                return sleep(word, p, width, old, Scope.SHARED, deadline);
            }
            // The counted SHARED layout: the same handshake as the table below, with the count in
            // the mapping, so that a waker in any process sees it.
            word.raiseCount(); // seq-cst RMW, then the kernel compares the value
            try {
                return sleep(word, p, width, old, Scope.SHARED, deadline);
            } finally {
                word.lowerCount();
            }
        }
        long one = width == Width.INT64 ? ONE64 : ONE32;
        int i = index(bucket);
        COUNT.getAndAdd(counts, i, one); // seq-cst RMW: the waiter's half of the Dekker handshake
        try {
            if (width == Width.INT64 ? direct64 : direct32) {
                // The kernel compares the value after this increment (and after queueing us), so no
                // second compare is needed here: a waker either saw the count or we see its store.
                return sleep(word, p, width, old, Scope.PRIVATE, deadline);
            }
            return sleepOnProxy(word, p, bucket, width, old, deadline);
        } finally {
            COUNT.getAndAdd(counts, i, -one);
        }
    }

    /**
     * Pauses on the processor for {@code spins} rounds, then gives it away ({@link Thread#yield()},
     * once at least) until {@link #YIELD_NANOS} have passed, re-reading the word after each: a peer
     * that answers within microseconds, or that was held up for a moment, is caught without a sleep
     * and a wake; on a saturated processor the first yield lasts a time slice and ends the spin.
     * The yields also end at {@code deadline}, so a short time-out is not stretched by them.
     *
     * @return true once the word differs from {@code old}, false if it still holds it after all
     */
    private static boolean spin(NativeWord word, Pointer p, Width width, long old, int spins, long deadline) {
        for (int i = 0; i < spins; i++) {
            Thread.onSpinWait();
            if (load(word, p, width) != old) {
                return true;
            }
        }
        if (YIELD_NANOS == 0) {
            return false;
        }
        long start = System.nanoTime();
        do {
            Thread.yield();
            if (load(word, p, width) != old) {
                return true;
            }
        } while (System.nanoTime() - start < YIELD_NANOS && !Deadlines.passed(deadline));
        return false;
    }

    private boolean sleep(NativeWord word, Pointer p, Width width, long old, Scope scope, long deadline)
            throws InterruptedException {
        for (;;) {
            WaitResult r = wait(p, width, old, scope, deadline);
            if (load(word, p, width) != old) {
                return true;
            }
            if (r == WaitResult.TIMED_OUT) {
                return false; // the backend never reports a time-out early
            }
        }
    }

    private boolean sleepOnProxy(NativeWord word, Pointer p, int bucket, Width width, long old, long deadline)
            throws InterruptedException {
        Pointer proxy = proxyPointers[bucket];
        int at = bucket * PROXY_STRIDE;
        for (;;) {
            int seq = (int) PROXY.getVolatile(proxies, at);
            // The proxy, then the value: a waker stores the value, then bumps the proxy. If we read
            // the old value, the bump comes after our read of seq, and the kernel's compare of the
            // proxy with seq (after queueing us) or the waker's wake of the proxy catches it.
            VarHandle.fullFence(); // orders the count and proxy reads before a JNA read of the value
            if (load(word, p, width) != old) {
                return true;
            }
            WaitResult r = wait(proxy, Width.INT32, seq, Scope.PRIVATE, deadline);
            if (load(word, p, width) != old) {
                return true;
            }
            if (r == WaitResult.TIMED_OUT) {
                return false;
            }
        }
    }

    private WaitResult wait(Pointer p, Width width, long expected, Scope scope, long deadline)
            throws InterruptedException {
        return deadline == Deadlines.NEVER ? backend.await(p, width, expected, scope)
                : backend.awaitUntil(p, width, expected, scope, deadline);
    }

    // ------------------------------------------------------------------------------------- waking

    /**
     * A wake of {@link AtomicWait}: waiters of both widths. SHARED always asks the OS; PRIVATE
     * makes a system call only when a thread waits in the address's bucket.
     *
     * @param p the address as a Pointer, or null to make one
     * @param address the address, checked
     * @param scope the scope
     * @param count how many to wake
     */
    void wake(Pointer p, long address, Scope scope, int count) {
        if (scope == Scope.SHARED) {
            wakeShared(p, address, null, count);
            return;
        }
        Objects.requireNonNull(scope, "scope");
        int b = bucket(address);
        if (waiters(b) != 0) {
            wakePrivate(p, address, b, null, count);
        }
    }

    /**
     * A typed wake: waiters of {@code width} only.
     *
     * @param p the address as a Pointer
     * @param address the same, as a number
     * @param bucket its bucket
     * @param width the waiters' width
     * @param scope the scope
     * @param count how many to wake
     */
    void wake(Pointer p, long address, int bucket, Width width, Scope scope, int count) {
        if (scope == Scope.SHARED) {
            wakeShared(p, address, width, count);
        } else if (mayHaveWaiters(bucket, width)) {
            wakePrivate(p, address, bucket, width, count);
        }
    }

    /**
     * The slow path of a PRIVATE wake, once the bucket's count was found non-zero.
     *
     * @param width the waiters' width, or null for both 32- and 64-bit waiters
     */
    private void wakePrivate(Pointer p, long address, int bucket, Width width, int count) {
        long n = waiters(bucket);
        if (width != Width.INT64 && (int) n != 0) {
            wakeWidth(p, address, bucket, Width.INT32, count);
        }
        if (width != Width.INT32 && (n >>> 32) != 0 && (address & 7) == 0) {
            wakeWidth(p, address, bucket, Width.INT64, count);
        }
    }

    private void wakeWidth(Pointer p, long address, int bucket, Width width, int count) {
        if (width == Width.INT64 ? direct64 : direct32) {
            backend.wake(p != null ? p : new Pointer(address), width, Scope.PRIVATE, count);
        } else {
            PROXY.getAndAdd(proxies, bucket * PROXY_STRIDE, 1); // seq-cst: after the caller's store
            backend.wake(proxyPointers[bucket], Width.INT32, Scope.PRIVATE, WaitOnAddress.ALL);
        }
    }

    /**
     * A SHARED wake: always the OS (waiters in other processes are not counted).
     *
     * @param width the waiters' width, or null for 32-bit waiters and, where the backend waits on
     *     64 bits across processes, 64-bit ones
     */
    private void wakeShared(Pointer p, long address, Width width, int count) {
        if (width != null) {
            checkScope(width, Scope.SHARED);
        }
        Pointer q = p != null ? p : new Pointer(address);
        if (width != Width.INT64) {
            backend.wake(q, Width.INT32, Scope.SHARED, count);
        }
        if (width == Width.INT64 || (width == null && shared64 && (address & 7) == 0)) {
            backend.wake(q, Width.INT64, Scope.SHARED, count);
        }
    }
}
