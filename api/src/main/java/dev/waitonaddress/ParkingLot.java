package dev.waitonaddress;

import com.sun.jna.Pointer;
import dev.waitonaddress.internal.Deadlines;
import dev.waitonaddress.internal.Words;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-process engine behind emulated widths, emulated {@code awaitAny} and the
 * {@code portable} backend: waiters queue per address and width in a fixed table of locked
 * buckets and park with {@link LockSupport}.
 *
 * <p>Exactness: a waiter compares the value under its bucket's lock and queues before it unlocks;
 * {@link #wake} takes the same lock. So a waker that changed the value before calling
 * {@code wake} either finds the waiter queued or the waiter finds the new value. This holds when
 * every waker of the address in this process goes through the library (no other process or
 * native code can see this queue: PRIVATE scope only).
 *
 * <p>A wake reaches only waiters of its own width: a 32-bit wake of an address does not take a
 * 64-bit waiter of the same address, so the count it returns is true and no wake-up is lost.
 *
 * <p>The values are read with JNA from the caller's {@link Pointer}: the address must be readable
 * for the duration of the call.
 */
final class ParkingLot {
    /** The one parking lot of the process, shared by every backend. */
    static final ParkingLot INSTANCE = new ParkingLot();

    /** The result of a park that timed out. */
    static final int TIMED_OUT = -1;

    private static final int BITS = 8;
    private static final int BUCKETS = 1 << BITS;

    private final Bucket[] buckets = new Bucket[BUCKETS];
    /** Threads queued anywhere: lets {@link #wake} skip all locking when no one waits. */
    private final AtomicInteger queued = new AtomicInteger();

    private ParkingLot() {
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] = new Bucket();
        }
    }

    /** One queue of waiters, for every address that hashes here. */
    private static final class Bucket extends ReentrantLock {
        private static final long serialVersionUID = 1L;
        transient Node head;
        transient Node tail;

        void link(Node n) {
            n.prev = tail;
            if (tail == null) {
                head = n;
            } else {
                tail.next = n;
            }
            tail = n;
            n.linked = true;
        }

        void unlink(Node n) {
            if (!n.linked) {
                return;
            }
            if (n.prev == null) {
                head = n.next;
            } else {
                n.prev.next = n.next;
            }
            if (n.next == null) {
                tail = n.prev;
            } else {
                n.next.prev = n.prev;
            }
            n.prev = null;
            n.next = null;
            n.linked = false;
        }
    }

    /** One thread's entry in one bucket: the thread waits on a word as target {@code index}. */
    private static final class Node {
        final long address;
        final int bytes;
        final Parker parker;
        final int index;
        Node prev;
        Node next;
        boolean linked; // guarded by the bucket's lock

        Node(long address, int bytes, Parker parker, int index) {
            this.address = address;
            this.bytes = bytes;
            this.parker = parker;
            this.index = index;
        }
    }

    /** One waiting thread. Its value: WAITING, CANCELLED, or the index it was woken at. */
    private static final class Parker extends AtomicInteger {
        private static final long serialVersionUID = 1L;
        static final int WAITING = -1;
        static final int CANCELLED = -2;
        final transient Thread thread = Thread.currentThread();

        Parker() {
            super(WAITING);
        }

        boolean claim(int index) {
            return compareAndSet(WAITING, index);
        }

        boolean cancel() {
            return compareAndSet(WAITING, CANCELLED);
        }
    }

    private Bucket bucket(long address) {
        return buckets[Words.bucket(address, BITS)];
    }

    /**
     * Waits on one word.
     *
     * @param p the word, readable
     * @param bytes its width
     * @param expected the value to sleep on
     * @param deadline see {@link Deadlines}
     * @return {@link WaitResult#MISMATCH}, {@link WaitResult#WOKEN} or {@link WaitResult#TIMED_OUT}
     * @throws InterruptedException if interrupted while parked; a wake-up taken at that moment is passed on
     */
    WaitResult await(Pointer p, int bytes, long expected, long deadline) throws InterruptedException {
        long address = Pointer.nativeValue(p);
        Bucket b = bucket(address);
        Parker parker = new Parker();
        Node node = new Node(address, bytes, parker, 0);
        b.lock();
        try {
            queued.incrementAndGet();
            VarHandle.fullFence();
            if (!Words.holds(p, bytes, expected)) {
                queued.decrementAndGet();
                return WaitResult.MISMATCH;
            }
            b.link(node);
        } finally {
            b.unlock();
        }
        return park(parker, new Node[] {node}, deadline) >= 0 ? WaitResult.WOKEN : WaitResult.TIMED_OUT;
    }

    /**
     * Waits on several words.
     *
     * @param targets the words, readable
     * @param deadline see {@link Deadlines}
     * @return the index woken or found changed, or {@link #TIMED_OUT}
     * @throws InterruptedException if interrupted while parked; a wake-up taken at that moment is passed on
     */
    int awaitAny(List<WaitTarget> targets, long deadline) throws InterruptedException {
        int n = targets.size();
        Parker parker = new Parker();
        Node[] nodes = new Node[n];
        for (int i = 0; i < n; i++) {
            WaitTarget t = targets.get(i);
            nodes[i] = new Node(Pointer.nativeValue(t.address()), t.width().bytes(), parker, i);
        }
        Bucket[] order = distinctInLockOrder(nodes);
        for (Bucket b : order) {
            b.lock();
        }
        try {
            queued.incrementAndGet();
            VarHandle.fullFence();
            for (int i = 0; i < n; i++) {
                WaitTarget t = targets.get(i);
                if (!Words.holds(t.address(), nodes[i].bytes, t.expected())) {
                    queued.decrementAndGet();
                    return i;
                }
            }
            for (Node node : nodes) {
                bucket(node.address).link(node);
            }
        } finally {
            for (int i = order.length - 1; i >= 0; i--) {
                order[i].unlock();
            }
        }
        return park(parker, nodes, deadline);
    }

    /** The buckets of {@code nodes}, each once, in ascending index: the one order every locker uses. */
    private Bucket[] distinctInLockOrder(Node[] nodes) {
        int[] distinct = Arrays.stream(nodes).mapToInt(n -> Words.bucket(n.address, BITS)).sorted().distinct()
                .toArray();
        Bucket[] order = new Bucket[distinct.length];
        for (int i = 0; i < distinct.length; i++) {
            order[i] = buckets[distinct[i]];
        }
        return order;
    }

    /** Parks until claimed, or cancelled by the deadline or an interrupt. */
    private int park(Parker parker, Node[] nodes, long deadline) throws InterruptedException {
        try {
            for (;;) {
                int state = parker.get();
                if (state >= 0) {
                    return state;
                }
                if (Thread.interrupted()) {
                    if (!parker.cancel()) {
                        // woken at the same moment: hand the wake-up on before leaving
                        Node woken = nodes[parker.get()];
                        wake(woken.address, woken.bytes, 1);
                    }
                    throw new InterruptedException();
                }
                if (deadline == Deadlines.NEVER) {
                    LockSupport.park(this);
                    continue;
                }
                long remaining = Deadlines.remaining(deadline);
                if (remaining > 0) {
                    LockSupport.parkNanos(this, remaining);
                } else if (parker.cancel()) {
                    return TIMED_OUT;
                }
            }
        } finally {
            if (nodes.length > 1 || parker.get() < 0) { // a lone node that was woken is unlinked already
                unlinkAll(nodes);
            }
            queued.decrementAndGet();
        }
    }

    private void unlinkAll(Node[] nodes) {
        for (Node node : nodes) {
            Bucket b = bucket(node.address);
            b.lock();
            try {
                b.unlink(node);
            } finally {
                b.unlock();
            }
        }
    }

    /**
     * Wakes up to {@code count} threads queued on {@code address} with width {@code bytes}.
     *
     * @param address the word
     * @param bytes the waiters' width
     * @param count how many at most
     * @return how many were woken
     */
    int wake(long address, int bytes, int count) {
        VarHandle.fullFence(); // order the caller's store to the word before the read of queued
        if (queued.get() == 0) {
            return 0;
        }
        Bucket b = bucket(address);
        int woken = 0;
        b.lock();
        try {
            Node n = b.head;
            while (n != null && woken < count) {
                Node next = n.next;
                if (n.address == address && n.bytes == bytes) {
                    b.unlink(n);
                    if (n.parker.claim(n.index)) {
                        LockSupport.unpark(n.parker.thread);
                        woken++;
                    }
                }
                n = next;
            }
        } finally {
            b.unlock();
        }
        return woken;
    }
}
