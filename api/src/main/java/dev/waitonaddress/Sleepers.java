package dev.waitonaddress;

import dev.waitonaddress.internal.Words;
import dev.waitonaddress.spi.Backend;

/**
 * Where the sleepers of one backend that can requeue may sleep, so that an interrupt reaches a
 * sleeper that a requeue has moved. The interrupter of a thread wakes the words the thread went to
 * sleep on; after a requeue the thread sleeps on another word, which that wake does not reach. So
 * every native 32-bit wait of this process registers its words here for the time it sleeps
 * ({@link #enter}, {@link #leave}), and every requeue made through the library in this process
 * ({@link #requeue}) adds its target to each sleeper registered on its source word, and registers
 * the sleeper on the target as well, so that a later requeue from the target follows it again.
 * The sleeper's interrupter wakes those targets too ({@link Sleeper#movedTo}).
 *
 * <p>Why nothing is lost:
 * <ul>
 *   <li>A sleeper registers before it enters the OS's wait, and a requeue adds its target after the
 *       OS's requeue has returned, so every sleeper the OS moved is found (or has left already).</li>
 *   <li>The interrupter asks for the targets on every round until the sleeper leaves, so a requeue
 *       that happens after it first looked is seen on a later round.</li>
 *   <li>A requeue holds the locks of its two words' stripes across the OS's requeue and its
 *       bookkeeping, so a requeue from a word that an earlier requeue moved sleepers to cannot run
 *       in between that OS call and the registration of those sleepers on the word.</li>
 *   <li>A target is added only to the wait it was found in (an epoch per wait) while it lasts, and
 *       a sleeper that leaves takes its registrations away under its own lock, so nothing is left
 *       behind: the table holds as many entries as there are sleepers and words they were moved
 *       to, nothing more.</li>
 * </ul>
 * Over-approximation is harmless: a target added to a sleeper that was woken rather than moved, or
 * that was not on the word at all, costs at most a spurious wake-up if the sleeper is interrupted
 * (which every waiter allows for), and a target whose memory was freed is only ever woken, which
 * never touches memory.
 *
 * <p>What cannot be seen: a requeue that another process makes on SHARED words, or that native code
 * makes with its own system calls. An interrupt reaches a sleeper moved that way only at the next
 * wake of the word it was moved to.
 *
 * <p>Locks, always taken in this order: a requeue's stripe locks (lower index first), a sleeper's
 * lock, a stripe's list lock. None is held across a call into other code except the OS's requeue.
 */
final class Sleepers {
    /** The table has 2<sup>BITS</sup> stripes. */
    private static final int BITS = 7;

    private final Stripe[] stripes = new Stripe[1 << BITS];

    Sleepers() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Stripe(i);
        }
    }

    /** One requeue call, made while the bookkeeping's locks are held. */
    interface Call {
        /** @return what {@link Backend#requeue} answered */
        int requeue();
    }

    /** Wakes sleepers of a word; must not throw. */
    interface WordWaker {
        /**
         * Wakes sleepers of a word (how many is the implementation's choice).
         *
         * @param address the word
         * @param bytes its width
         * @param shared whether it is a cross-process word
         */
        void wake(long address, int bytes, boolean shared);
    }

    /** A part of the table: the sleepers' entries whose words hash here. */
    private static final class Stripe {
        final int index;
        /** Held across a requeue from or to a word of this stripe, with the OS call. */
        final Object requeueLock = new Object();
        /** The entries of this stripe; guarded by {@code this}. */
        Entry head;

        Stripe(int index) {
            this.index = index;
        }

        synchronized void link(Entry e) {
            e.stripe = this;
            e.prev = null;
            e.next = head;
            if (head != null) {
                head.prev = e;
            }
            head = e;
        }

        synchronized void unlink(Entry e) {
            if (e.prev != null) {
                e.prev.next = e.next;
            } else {
                head = e.next;
            }
            if (e.next != null) {
                e.next.prev = e.prev;
            }
            e.prev = null;
            e.next = null;
            e.stripe = null;
        }
    }

    /** One word a sleeper may sleep on, as an entry of a stripe. */
    private static final class Entry {
        final Sleeper sleeper;
        long address;
        boolean shared;
        /** The sleeper's wait this entry belongs to. */
        long epoch;
        /** Where it is linked, or null; written under the stripe's lock, read by the owner. */
        Stripe stripe;
        Entry prev;
        Entry next;
        /** The next word the same wait was moved to. */
        Entry nextMoved;

        Entry(Sleeper sleeper) {
            this.sleeper = sleeper;
        }
    }

    /**
     * One thread's registration, reused by each of its waits. The entries of the words it went to
     * sleep on are written by the thread only; the rest is guarded by the sleeper's lock.
     */
    static final class Sleeper {
        private Entry[] words = new Entry[0];
        private int registered;
        /** Counts the thread's waits; guarded by {@code this}. */
        private long epoch;
        /** Whether a wait is registered now; guarded by {@code this}. */
        private boolean active;
        /** The words requeues moved this wait to, newest first; guarded by {@code this}. */
        private Entry moved;

        /**
         * Wakes every word a requeue may have moved the current wait to; nothing if it has left.
         *
         * @param waker what wakes a word
         */
        void movedTo(WordWaker waker) {
            long[] addresses;
            boolean[] shared;
            synchronized (this) {
                if (!active || moved == null) {
                    return;
                }
                int n = 0;
                for (Entry e = moved; e != null; e = e.nextMoved) {
                    n++;
                }
                addresses = new long[n];
                shared = new boolean[n];
                n = 0;
                for (Entry e = moved; e != null; e = e.nextMoved) {
                    addresses[n] = e.address;
                    shared[n++] = e.shared;
                }
            }
            for (int i = 0; i < addresses.length; i++) {
                waker.wake(addresses[i], 4, shared[i]);
            }
        }

        /** Adds a target to the wait {@code epoch} if it still lasts; under the requeue's locks. */
        private void addMoved(long epoch, long to, boolean isShared, Stripe stripe) {
            synchronized (this) {
                if (!active || this.epoch != epoch) {
                    return; // it has left (and perhaps waits again elsewhere): nothing to follow
                }
                for (Entry e = moved; e != null; e = e.nextMoved) {
                    if (e.address == to && e.shared == isShared) {
                        return;
                    }
                }
                Entry e = new Entry(this);
                e.address = to;
                e.shared = isShared;
                e.epoch = epoch;
                stripe.link(e);
                e.nextMoved = moved;
                moved = e;
            }
        }
    }

    private Stripe stripe(long address) {
        return stripes[Words.bucket(address, BITS)];
    }

    /**
     * Registers the words of a wait that is about to sleep in the OS: the 32-bit ones, which are
     * the only ones a requeue moves. Called by the sleeping thread before it arms its interruptor.
     *
     * @param s the thread's registration
     * @param count how many words
     * @param addresses their addresses
     * @param bytes their widths
     * @param shared their scopes
     */
    void enter(Sleeper s, int count, long[] addresses, int[] bytes, boolean[] shared) {
        if (s.words.length < count) { // before the wait starts, so that a failure here leaves nothing to undo
            Entry[] grown = new Entry[Math.max(count, 2 * s.words.length)];
            System.arraycopy(s.words, 0, grown, 0, s.words.length);
            for (int i = s.words.length; i < grown.length; i++) {
                grown[i] = new Entry(s);
            }
            s.words = grown;
        }
        long epoch;
        synchronized (s) {
            epoch = ++s.epoch;
            s.active = true;
        }
        s.registered = 0;
        try {
            for (int i = 0; i < count; i++) {
                if (bytes[i] == 4) {
                    Entry e = s.words[s.registered];
                    e.address = addresses[i];
                    e.shared = shared[i];
                    e.epoch = epoch;
                    stripe(e.address).link(e);
                    s.registered++;
                }
            }
        } catch (RuntimeException | Error e) {
            leave(s, null); // leaves nothing linked behind
            throw e;
        }
    }

    /**
     * Takes away the registrations of the thread's wait, once it has left the OS: no requeue adds
     * to it afterwards. Called by the sleeping thread after it has disarmed its interruptor.
     *
     * @param s the thread's registration
     * @param passOn null; or, for a wait that leaves by interrupt after it may have been woken,
     *     what passes one wake-up on at each word a requeue moved it to (the wake-up it may have
     *     taken there belongs to another sleeper of that word)
     */
    void leave(Sleeper s, WordWaker passOn) {
        Entry moved;
        synchronized (s) {
            s.active = false;
            moved = s.moved;
            s.moved = null;
        }
        for (int i = 0; i < s.registered; i++) {
            Entry e = s.words[i];
            e.stripe.unlink(e);
        }
        s.registered = 0;
        for (Entry e = moved; e != null; e = e.nextMoved) {
            e.stripe.unlink(e);
        }
        if (passOn != null) {
            for (Entry e = moved; e != null; e = e.nextMoved) {
                passOn.wake(e.address, 4, e.shared); // a wake-up taken there, by a waiter that leaves
            }
        }
    }

    /**
     * Makes a requeue and remembers where it moved the sleepers of {@code from}.
     *
     * @param from the word whose sleepers are moved
     * @param to the word they are moved to
     * @param shared the requeue's scope
     * @param moves whether the call may move anyone (a requeue count above 0)
     * @param call the OS's requeue
     * @return what it answered
     */
    int requeue(long from, long to, boolean shared, boolean moves, Call call) {
        Stripe a = stripe(from);
        Stripe b = stripe(to);
        Stripe first = a.index <= b.index ? a : b;
        Stripe second = first == a ? b : a;
        synchronized (first.requeueLock) {
            synchronized (second.requeueLock) {
                int r = call.requeue();
                if (moves && r != 0 && r != Backend.REQUEUE_MISMATCH) {
                    moved(a, from, to, shared, b);
                }
                return r;
            }
        }
    }

    /** Adds {@code to} to every wait registered on {@code from}, and registers them on {@code to}. */
    private static void moved(Stripe a, long from, long to, boolean shared, Stripe b) {
        Sleeper[] found = null;
        long[] epochs = null;
        int n = 0;
        synchronized (a) {
            for (Entry e = a.head; e != null; e = e.next) {
                if (e.address != from) {
                    continue;
                }
                if (found == null || n == found.length) {
                    int size = found == null ? 4 : 2 * n;
                    found = found == null ? new Sleeper[size] : java.util.Arrays.copyOf(found, size);
                    epochs = epochs == null ? new long[size] : java.util.Arrays.copyOf(epochs, size);
                }
                found[n] = e.sleeper;
                epochs[n++] = e.epoch;
            }
        }
        for (int i = 0; i < n; i++) {
            found[i].addMoved(epochs[i], to, shared, b);
        }
    }
}
