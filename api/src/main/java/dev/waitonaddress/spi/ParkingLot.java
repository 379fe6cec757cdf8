package dev.waitonaddress.spi;

import com.sun.jna.Pointer;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitResult;
import dev.waitonaddress.WaitTarget;
import dev.waitonaddress.Width;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-process engine behind emulated widths, emulated {@code awaitAny} and the
 * {@code portable} backend: waiters queue per address in a fixed table of locked buckets and park
 * with {@link LockSupport}.
 *
 * <p>Exactness: a waiter compares the value under its bucket's lock and queues before it unlocks;
 * {@link #wake} takes the same lock. So a waker that changed the value before calling
 * {@code wake} either finds the waiter queued or the waiter finds the new value. This holds when
 * every waker of the address in this process goes through the library (no other process or
 * native code can see this queue: PRIVATE scope only).
 *
 * <p>The values are read with JNA from the caller's {@link Pointer}: the address must be readable
 * for the duration of the call.
 */
final class ParkingLot {
    static final ParkingLot INSTANCE = new ParkingLot();

    private static final int BUCKETS = 256; // power of two

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
        Node head;
        Node tail;

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

    /** One thread's entry in one bucket: the thread waits on {@code address} as target {@code index}. */
    private static final class Node {
        final long address;
        final Parker parker;
        final int index;
        Node prev;
        Node next;
        boolean linked; // guarded by the bucket's lock

        Node(long address, Parker parker, int index) {
            this.address = address;
            this.parker = parker;
            this.index = index;
        }
    }

    /** One waiting thread. {@code state}: WAITING, CANCELLED, or the index it was woken at. */
    private static final class Parker extends AtomicInteger {
        private static final long serialVersionUID = 1L;
        static final int WAITING = -1;
        static final int CANCELLED = -2;
        final Thread thread = Thread.currentThread();

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

    private static int index(long address) {
        return (int) ((address * 0x9E3779B97F4A7C15L) >>> 56) & (BUCKETS - 1);
    }

    private Bucket bucket(long address) {
        return buckets[index(address)];
    }

    private static boolean matches(Pointer p, Width width, long expected) {
        long value;
        switch (width) {
            case INT8: value = p.getByte(0); break;
            case INT16: value = p.getShort(0); break;
            case INT32: value = p.getInt(0); break;
            case INT64: value = p.getLong(0); break;
            default: throw new AssertionError(width);
        }
        return ((value ^ expected) & width.mask()) == 0;
    }

    /** Waits on one word. */
    WaitResult await(Pointer p, Width width, long expected, boolean timed, long deadline)
            throws InterruptedException {
        long address = Pointer.nativeValue(p);
        Bucket b = bucket(address);
        Parker parker = new Parker();
        Node node = new Node(address, parker, 0);
        b.lock();
        try {
            queued.incrementAndGet();
            VarHandle.fullFence();
            if (!matches(p, width, expected)) {
                queued.decrementAndGet();
                return WaitResult.MISMATCH;
            }
            b.link(node);
        } finally {
            b.unlock();
        }
        Node[] nodes = {node};
        int r = park(parker, nodes, timed, deadline);
        return r >= 0 ? WaitResult.WOKEN : WaitResult.TIMED_OUT;
    }

    /** Waits on several words; returns the index woken or found changed, or TIMED_OUT. */
    int awaitAny(List<WaitTarget> targets, boolean timed, long deadline) throws InterruptedException {
        int n = targets.size();
        Parker parker = new Parker();
        Node[] nodes = new Node[n];
        Bucket[] locks = new Bucket[n];
        for (int i = 0; i < n; i++) {
            nodes[i] = new Node(Pointer.nativeValue(targets.get(i).address()), parker, i);
            locks[i] = bucket(nodes[i].address);
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
                if (!matches(t.address(), t.width(), t.expected())) {
                    queued.decrementAndGet();
                    return i;
                }
            }
            for (int i = 0; i < n; i++) {
                locks[i].link(nodes[i]);
            }
        } finally {
            for (int i = order.length - 1; i >= 0; i--) {
                order[i].unlock();
            }
        }
        return park(parker, nodes, timed, deadline);
    }

    /** The buckets of {@code nodes}, each once, in ascending index: the one order every locker uses. */
    private Bucket[] distinctInLockOrder(Node[] nodes) {
        int[] indices = new int[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            indices[i] = index(nodes[i].address);
        }
        int[] distinct = Arrays.stream(indices).sorted().distinct().toArray();
        Bucket[] order = new Bucket[distinct.length];
        for (int i = 0; i < distinct.length; i++) {
            order[i] = buckets[distinct[i]];
        }
        return order;
    }

    /** Parks until claimed, cancelled by deadline or interrupt. Returns the index or TIMED_OUT. */
    private int park(Parker parker, Node[] nodes, boolean timed, long deadline) throws InterruptedException {
        try {
            for (;;) {
                int state = parker.get();
                if (state >= 0) {
                    return state;
                }
                if (Thread.interrupted()) {
                    if (!parker.cancel()) {
                        // woken at the same moment: hand the wake-up on before leaving
                        wake(nodes[parker.get()].address, 1);
                    }
                    throw new InterruptedException();
                }
                if (timed) {
                    long remaining = AbstractWaitOnAddress.remainingNanos(deadline);
                    if (remaining <= 0) {
                        if (parker.cancel()) {
                            return WaitOnAddress.TIMED_OUT;
                        }
                        continue;
                    }
                    LockSupport.parkNanos(this, remaining);
                } else {
                    LockSupport.park(this);
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
     * Wakes up to {@code count} threads queued on {@code address}, of any width.
     *
     * @return how many were woken
     */
    int wake(long address, int count) {
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
                if (n.address == address) {
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
