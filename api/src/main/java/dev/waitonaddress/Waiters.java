package dev.waitonaddress;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The engine behind {@link AtomicWait}, {@link NativeAtomicInteger} and {@link NativeAtomicLong}:
 * spin, count in-process waiters, sleep through {@link WaitOnAddress#system()}, and wake only when
 * someone may be asleep.
 *
 * <h2>The waiter table</h2>
 * Addresses hash to one of {@value #BUCKETS} buckets. Each bucket holds, on a cache line of its
 * own, a count of the threads of this process that are about to sleep or asleep on an address of
 * the bucket (PRIVATE scope only): the low 32 bits count 32-bit waiters, the high 32 bits 64-bit
 * ones, so that a wake of either width reads one {@code long}. A PRIVATE wake that finds its half
 * zero returns without a system call: a few nanoseconds.
 *
 * <h2>Why no wake-up is lost (the Dekker problem)</h2>
 * The waiter increments the count with a sequentially consistent read-modify-write and only then
 * has the value compared: by the kernel as it queues the waiter (native widths, behind the
 * kernel's own full barrier), or in Java before sleeping on the proxy. The waker stores
 * the new value and only then reads the count. Each side needs a full (StoreLoad) barrier between
 * its store and its load, or both could read stale data: the waker 0 waiters, the waiter the old
 * value, and the waiter would sleep forever. On the waiter's side the barrier is the atomic
 * increment (plus an explicit {@link VarHandle#fullFence()} before a value read that does not go
 * through a VarHandle). On the waker's side it is the store itself: a volatile (sequentially
 * consistent) store or atomic read-modify-write followed by the volatile read of the count, which
 * the Java memory model keeps in order. A weaker store (lazySet, setRelease, setOpaque, setPlain,
 * a plain JNA or C store) must be followed by {@link VarHandle#fullFence()} before the wake. The
 * fence is not put into the wake itself: it would cost about 10 ns on this hardware, ten times the
 * rest of a wake with no waiter. libstdc++ and libc++ make the same choice (a seq-cst load of the
 * waiter count in {@code notify_one}, no fence).
 *
 * <h2>Widths the OS cannot wait on</h2>
 * Where the backend has no native wait for a width (64 bits on Linux and OpenBSD), waiters sleep
 * on the bucket's 32-bit proxy word, in native memory: a waiter reads the proxy, then compares
 * the value, then sleeps while the proxy is unchanged; a waker that finds waiters of that width
 * increments the proxy, then wakes every sleeper of the proxy (they may wait on other addresses
 * of the bucket: the ones whose value did not change sleep again). Exact in PRIVATE scope;
 * SHARED scope needs the width natively and is refused otherwise.
 *
 * <h2>The rule that makes it exact</h2>
 * Every thread of this process that waits on the word in PRIVATE scope must wait through this
 * layer (a direct {@link WaitOnAddress#await} or a native futex wait is invisible to the count;
 * wake such waiters with {@link WaitOnAddress#wake}, which always asks the kernel). A typed wake
 * ({@link NativeAtomicInteger}, {@link NativeAtomicLong}) reaches waiters of its own width only;
 * {@link AtomicWait}'s wakes reach both. SHARED scope is never counted: a SHARED wake always asks
 * the kernel.
 */
final class Waiters {
    private Waiters() {
    }

    /** The backend every wait and wake goes to. */
    static final WaitOnAddress BACKEND = WaitOnAddress.system();

    private static final Capabilities CAPS = BACKEND.capabilities();
    private static final boolean DIRECT32 = CAPS.width(Width.INT32) == Capabilities.Support.NATIVE;
    private static final boolean DIRECT64 = CAPS.width(Width.INT64) == Capabilities.Support.NATIVE;
    private static final boolean SHARED32 = CAPS.supports(Width.INT32, Scope.SHARED);
    private static final boolean SHARED64 = CAPS.supports(Width.INT64, Scope.SHARED);

    /** Time-outs longer than this (2^62 ns, 146 years) wait forever, as in the SPI. */
    static final long FOREVER_NANOS = 1L << 62;

    /** The default number of spin rounds before sleeping; see {@link AtomicWait#SPINS_PROPERTY}. */
    static final int DEFAULT_SPINS = spinsProperty();

    /** The default when {@code dev.waitonaddress.spins} is not set (measured; see AtomicWait). */
    static final int MEASURED_SPINS = 16;

    private static final int BITS = 8;
    private static final int BUCKETS = 1 << BITS;

    /** Counts, one per 128 bytes (two cache lines: no false sharing, even with adjacent-line prefetch). */
    private static final int STRIDE = 16;
    private static final long[] COUNTS = new long[(BUCKETS + 1) * STRIDE];
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long ONE32 = 1L;
    private static final long ONE64 = 1L << 32;

    /** Proxy words: one 32-bit word per bucket, each on its own 64-byte line of native memory. */
    private static final int PROXY_STRIDE = 64;
    private static final ByteBuffer PROXIES =
            ByteBuffer.allocateDirect((BUCKETS + 1) * PROXY_STRIDE).alignedSlice(PROXY_STRIDE);
    private static final VarHandle PROXY = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final Pointer[] PROXY_POINTERS = new Pointer[BUCKETS];

    static {
        Pointer base = Native.getDirectBufferPointer(PROXIES);
        for (int b = 0; b < BUCKETS; b++) {
            PROXY_POINTERS[b] = base.share((long) b * PROXY_STRIDE);
        }
    }

    private static int spinsProperty() {
        String s = System.getProperty(AtomicWait.SPINS_PROPERTY);
        if (s == null || s.isBlank()) {
            return MEASURED_SPINS;
        }
        try {
            return checkSpins(Integer.parseInt(s.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + AtomicWait.SPINS_PROPERTY + "=" + s
                    + " is not a spin count (a whole number, 0 or more)", e);
        }
    }

    static int checkSpins(int spins) {
        if (spins < 0) {
            throw new IllegalArgumentException("spins " + spins + " is below 0");
        }
        return spins;
    }

    /** @return the bucket of {@code address} (Fibonacci hashing: neighbouring words spread out) */
    static int bucket(long address) {
        return (int) ((address * 0x9E3779B97F4A7C15L) >>> (64 - BITS));
    }

    private static int index(int bucket) {
        return (bucket + 1) * STRIDE;
    }

    /** @return the waiter counts of {@code bucket}: 32-bit waiters low, 64-bit waiters high */
    static long waiters(int bucket) {
        return (long) COUNT.getVolatile(COUNTS, index(bucket));
    }

    /** @return whether a PRIVATE wake of {@code width} may find a waiter (the hot path of every wake) */
    static boolean mayHaveWaiters(int bucket, Width width) {
        long n = waiters(bucket);
        return width == Width.INT64 ? (n >>> 32) != 0 : (int) n != 0;
    }

    /** @return the address of {@code p}, checked: not null, not 0, aligned to {@code bytes} */
    static long address(Pointer p, int bytes) {
        if (p == null) {
            throw new NullPointerException("address");
        }
        return address(Pointer.nativeValue(p), bytes);
    }

    static long address(long a, int bytes) {
        if (a == 0 || (a & (bytes - 1)) != 0) {
            throw badAddress(a, bytes); // out of line: keeps this small enough to inline into every wake
        }
        return a;
    }

    private static IllegalArgumentException badAddress(long a, int bytes) {
        return new IllegalArgumentException(a == 0 ? "address is 0 (NULL)"
                : "address 0x" + Long.toHexString(a) + " is not aligned to " + bytes + " bytes");
    }

    /** @return an absolute deadline on the {@link System#nanoTime()} clock, or {@link Long#MAX_VALUE} for "never" */
    static long deadline(long timeout, java.util.concurrent.TimeUnit unit) {
        long nanos = unit.toNanos(timeout); // NullPointerException for a null unit
        long now = System.nanoTime();
        return nanos > FOREVER_NANOS ? Long.MAX_VALUE : now + Math.max(0, nanos);
    }

    private static boolean passed(long deadline) {
        return deadline != Long.MAX_VALUE && deadline - System.nanoTime() <= 0;
    }

    /** Refuses what the backend cannot do in SHARED scope, before anything else happens. */
    static void checkScope(Width width, Scope scope) {
        if (scope == Scope.PRIVATE) {
            return;
        }
        if (scope == null) {
            throw new NullPointerException("scope");
        }
        if (!(width == Width.INT64 ? SHARED64 : SHARED32)) {
            throw new UnsupportedOperationException(BACKEND.name() + " does not support SHARED scope for " + width
                    + " words" + (width == Width.INT64 && SHARED32
                            ? ": it has no native 64-bit wait, and the in-process proxy word cannot reach other processes"
                                    + " (wait on a 32-bit word instead)"
                            : "") + " (its capabilities: " + CAPS + ")");
        }
    }

    // ------------------------------------------------------------------------------------- reading

    /**
     * Reads the word with at least acquire semantics. {@code word} is the {@link NativeAtomicInteger}
     * or {@link NativeAtomicLong} (volatile VarHandle reads) or a {@link Pointer} (a JNA read,
     * followed by an acquire fence).
     */
    private static long load(Object word, Width width) {
        if (word instanceof NativeAtomicInteger) {
            return ((NativeAtomicInteger) word).get();
        }
        if (word instanceof NativeAtomicLong) {
            return ((NativeAtomicLong) word).get();
        }
        Pointer p = (Pointer) word;
        long v = width == Width.INT64 ? p.getLong(0) : p.getInt(0);
        VarHandle.acquireFence();
        return v;
    }

    // ------------------------------------------------------------------------------------- waiting

    /**
     * Returns once the word differs from {@code old} (spurious wake-ups absorbed), or {@code false}
     * once {@code deadline} has passed. Arguments are checked by the caller, except the scope.
     *
     * @param word what to read the value through (see {@link #load})
     * @param p the word's address as a Pointer, for the backend
     * @param deadline absolute {@link System#nanoTime()} deadline; {@link Long#MAX_VALUE}: none
     */
    static boolean await(Object word, Pointer p, long address, int bucket, Width width, long old, Scope scope,
            int spins, long deadline) throws InterruptedException {
        checkScope(width, scope);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (load(word, width) != old) {
            return true;
        }
        if (passed(deadline)) {
            return false; // a poll
        }
        int pauses = spins - spins / 4; // three quarters pause on the core, the last quarter yields it
        for (int i = 0; i < spins; i++) {
            if (i < pauses) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
            if (load(word, width) != old) {
                return true;
            }
        }
        if (scope == Scope.SHARED) {
            return sleep(word, p, width, old, Scope.SHARED, deadline);
        }
        long one = width == Width.INT64 ? ONE64 : ONE32;
        int i = index(bucket);
        COUNT.getAndAdd(COUNTS, i, one); // seq-cst RMW: the waiter's half of the Dekker handshake
        try {
            if (width == Width.INT64 ? DIRECT64 : DIRECT32) {
                // The kernel compares the value after this increment (and after queueing us), so no
                // second compare is needed here: a waker either saw the count or we see its store.
                return sleep(word, p, width, old, Scope.PRIVATE, deadline);
            }
            return sleepOnProxy(word, bucket, width, old, deadline);
        } finally {
            COUNT.getAndAdd(COUNTS, i, -one);
        }
    }

    private static boolean sleep(Object word, Pointer p, Width width, long old, Scope scope, long deadline)
            throws InterruptedException {
        for (;;) {
            WaitResult r = deadline == Long.MAX_VALUE ? BACKEND.await(p, width, old, scope)
                    : BACKEND.awaitUntil(p, width, old, scope, deadline);
            if (load(word, width) != old) {
                return true;
            }
            if (r == WaitResult.TIMED_OUT) {
                return false; // the backend never reports a time-out early
            }
        }
    }

    private static boolean sleepOnProxy(Object word, int bucket, Width width, long old, long deadline)
            throws InterruptedException {
        Pointer proxy = PROXY_POINTERS[bucket];
        int at = bucket * PROXY_STRIDE;
        for (;;) {
            int seq = (int) PROXY.getVolatile(PROXIES, at);
            // The proxy, then the value: a waker stores the value, then bumps the proxy. If we read
            // the old value, the bump comes after our read of seq, and the kernel's compare of the
            // proxy with seq (after queueing us) or the waker's wake of the proxy catches it.
            VarHandle.fullFence(); // orders the count and proxy reads before a JNA read of the value
            if (load(word, width) != old) {
                return true;
            }
            WaitResult r = deadline == Long.MAX_VALUE ? BACKEND.await(proxy, Width.INT32, seq, Scope.PRIVATE)
                    : BACKEND.awaitUntil(proxy, Width.INT32, seq, Scope.PRIVATE, deadline);
            if (load(word, width) != old) {
                return true;
            }
            if (r == WaitResult.TIMED_OUT) {
                return false;
            }
        }
    }

    // ------------------------------------------------------------------------------------- waking

    /**
     * The slow path of a PRIVATE wake, once {@link #waiters} was found non-zero.
     *
     * @param p the address as a Pointer, or null to make one
     * @param width the waiters' width, or null for both 32- and 64-bit waiters
     */
    static void wakePrivate(Pointer p, long address, int bucket, Width width, int count) {
        long n = waiters(bucket);
        if (width != Width.INT64 && (int) n != 0) {
            wakeWidth(p, address, bucket, Width.INT32, count);
        }
        if (width != Width.INT32 && (n >>> 32) != 0 && (address & 7) == 0) {
            wakeWidth(p, address, bucket, Width.INT64, count);
        }
    }

    private static void wakeWidth(Pointer p, long address, int bucket, Width width, int count) {
        if (width == Width.INT64 ? DIRECT64 : DIRECT32) {
            BACKEND.wake(p != null ? p : new Pointer(address), width, Scope.PRIVATE, count);
        } else {
            PROXY.getAndAdd(PROXIES, bucket * PROXY_STRIDE, 1); // seq-cst: after the caller's store
            BACKEND.wake(PROXY_POINTERS[bucket], Width.INT32, Scope.PRIVATE, WaitOnAddress.ALL);
        }
    }

    /**
     * A SHARED wake: always the kernel (waiters in other processes are not counted).
     *
     * @param width the waiters' width, or null for 32-bit waiters and, where the backend waits on
     *     64 bits across processes, 64-bit ones
     */
    static void wakeShared(Pointer p, long address, Width width, int count) {
        if (width != null) {
            checkScope(width, Scope.SHARED);
        }
        Pointer q = p != null ? p : new Pointer(address);
        if (width != Width.INT64) {
            BACKEND.wake(q, Width.INT32, Scope.SHARED, count);
        }
        if (width == Width.INT64 || (width == null && SHARED64 && (address & 7) == 0)) {
            BACKEND.wake(q, Width.INT64, Scope.SHARED, count);
        }
    }
}
