package dev.waitonaddress.suite;

import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.Width;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One futex word carrying a sequence number, for handoffs that detect lost wake-ups instead of
 * hanging on them. A writer {@link #publish publishes} sequence {@code s+1} (store, then wake,
 * then records that the wake has completed); a waiter {@link #awaitChange awaits} a change from
 * {@code s} with timed waits of {@link #DETECT_NANOS}. A wait that times out although the value
 * has changed and the wake for that change completed more than {@link #GRACE_NANOS} earlier is a
 * <em>lost wake-up</em>: the store preceded the wake, so either the waiter's compare saw the new
 * value or the wake found it asleep. It is counted (and the waiter carries on, so one loss does
 * not hang the run). Valid only where every waiter of the word must be woken by the wake used:
 * {@code wakeAll}, or {@code wakeOne} with a single waiter.
 */
final class Word {
    /** A waiter re-checks for a lost wake-up this often. */
    static final long DETECT_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("woa.stress.detectMillis", 1_500));
    /** How long after a completed wake a waiter may still be on its way out of a timed-out wait. */
    static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    final WaitOnAddress woa;
    final Pointer p;
    final Width width;
    final Scope scope;
    final String name;
    private final AtomicLong wokenSeq = new AtomicLong(Long.MIN_VALUE);
    private volatile long wokenAt;

    Word(WaitOnAddress woa, Pointer p, Width width, Scope scope, String name) {
        this.woa = woa;
        this.p = p;
        this.width = width;
        this.scope = scope;
        this.name = name;
    }

    /** @return {@code seq} as the value the word holds: its low bits, sign-extended */
    long truncate(long seq) {
        switch (width) {
            case INT8: return (byte) seq;
            case INT16: return (short) seq;
            case INT32: return (int) seq;
            default: return seq;
        }
    }

    /** @return how many sequence numbers the word has moved on from {@code seq} (less than 2^bits) */
    long advance(long seq) {
        long diff = read() - truncate(seq);
        return width == Width.INT64 ? diff : diff & width.mask();
    }

    long read() {
        switch (width) {
            case INT8: return p.getByte(0);
            case INT16: return p.getShort(0);
            case INT32: return p.getInt(0);
            default: return p.getLong(0);
        }
    }

    void write(long v) {
        switch (width) {
            case INT8: p.setByte(0, (byte) v); break;
            case INT16: p.setShort(0, (short) v); break;
            case INT32: p.setInt(0, (int) v); break;
            default: p.setLong(0, v);
        }
    }

    /** Stores {@code seq}, wakes one or all waiters, and records that the wake has completed. */
    void publish(long seq, boolean all) {
        write(truncate(seq));
        if (all) {
            woa.wakeAll(p, width, scope);
        } else {
            woa.wakeOne(p, width, scope);
        }
        wakeDone(seq);
    }

    /** Records that every wake owed for {@code seq} has completed (for wakes made elsewhere). */
    void wakeDone(long seq) {
        wokenAt = System.nanoTime();
        wokenSeq.accumulateAndGet(seq, Math::max);
    }

    /** @return whether a timed-out wait on {@code seq} that returned at {@code now} missed a wake-up */
    boolean missed(long seq, long now) {
        return read() != truncate(seq) && wokenSeq.get() > seq && now - wokenAt > GRACE_NANOS;
    }

    /** Waits until the word no longer holds {@code seq}. */
    void awaitChange(long seq, Tally tally) throws InterruptedException {
        long expected = truncate(seq);
        while (read() == expected) {
            WaitResult r = woa.await(p, width, expected, scope, DETECT_NANOS, TimeUnit.NANOSECONDS);
            if (r == WaitResult.TIMED_OUT) {
                tally.lostIf(missed(seq, System.nanoTime()), this + " waiting on " + seq);
            }
        }
    }

    @Override
    public String toString() {
        return name + "@" + woa.name() + "/" + width + "/" + scope;
    }
}
