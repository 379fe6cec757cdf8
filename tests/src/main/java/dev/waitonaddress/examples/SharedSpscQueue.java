package dev.waitonaddress.examples;

import dev.waitonaddress.NativeAtomicInteger;
import dev.waitonaddress.Scope;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * A bounded single-producer single-consumer queue of {@code long} messages in memory shared by
 * two processes (a file mapped by both), that blocks in the kernel when it is full or empty: an
 * example of {@link NativeAtomicInteger} in {@link Scope#SHARED} scope.
 *
 * <p>Layout, each field on its own 64-byte line: {@code head} (the consumer's next sequence
 * number), {@code tail} (the producer's next), the two "sleeping" flags, then the slots. Sequence
 * numbers are 32-bit and wrap around, which is fine while the capacity is at most 2<sup>30</sup>;
 * 32 bits also make the words waitable across processes on every OS with a shared futex (Linux
 * has no 64-bit futex, so a 64-bit SHARED wait is refused there).
 *
 * <p>A SHARED wake is a system call every time (the library cannot count the waiters of other
 * processes), so each side raises a "sleeping" flag before it sleeps, and the other side wakes
 * only when the flag is up. The order makes that safe: the sleeper writes its flag (a volatile
 * write) and then re-reads the index; the other side writes the index (a volatile write) and
 * then reads the flag. Volatile accesses are sequentially consistent, so at least one of them
 * sees the other's write: no wake-up is lost, and the kernel compares the index again as the
 * sleeper goes to sleep.
 *
 * <p>One thread in one process may call {@link #put}, one thread (in this or another process)
 * {@link #take}. A zero-filled mapping is an empty queue.
 */
public final class SharedSpscQueue {
    private static final int LINE = 64;
    private static final int HEADER = 4 * LINE;

    private final int capacity;
    private final ByteBuffer slots;
    private final NativeAtomicInteger head;
    private final NativeAtomicInteger tail;
    private final NativeAtomicInteger consumerSleeping;
    private final NativeAtomicInteger producerSleeping;

    private SharedSpscQueue(ByteBuffer memory, int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity > (1 << 30)) {
            throw new IllegalArgumentException("capacity " + capacity + " is not a power of two up to 2^30");
        }
        if (memory.capacity() < bytesFor(capacity)) {
            throw new IllegalArgumentException("a queue of " + capacity + " needs " + bytesFor(capacity)
                    + " bytes; the buffer has " + memory.capacity());
        }
        this.capacity = capacity;
        this.head = NativeAtomicInteger.wrap(memory, 0, Scope.SHARED);
        this.tail = NativeAtomicInteger.wrap(memory, LINE, Scope.SHARED);
        this.consumerSleeping = NativeAtomicInteger.wrap(memory, 2 * LINE, Scope.SHARED);
        this.producerSleeping = NativeAtomicInteger.wrap(memory, 3 * LINE, Scope.SHARED);
        this.slots = memory.duplicate().order(ByteOrder.nativeOrder());
    }

    /** @return the bytes a queue of {@code capacity} messages takes */
    public static int bytesFor(int capacity) {
        return HEADER + 8 * capacity;
    }

    /**
     * @param memory a mapped (or direct) buffer of at least {@link #bytesFor}{@code (capacity)}
     *     bytes, starting on a 64-byte boundary (a mapping starts on a page), shared by both sides
     * @param capacity a power of two
     */
    public static SharedSpscQueue over(ByteBuffer memory, int capacity) {
        return new SharedSpscQueue(memory, capacity);
    }

    /** Maps {@code file} (made large enough if it is not) and views it as a queue. */
    public static SharedSpscQueue map(Path file, int capacity) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer memory = ch.map(FileChannel.MapMode.READ_WRITE, 0, bytesFor(capacity));
            return over(memory, capacity);
        }
    }

    private int slot(int sequence) {
        return HEADER + 8 * (sequence & (capacity - 1));
    }

    /** Appends {@code message}, sleeping while the queue is full. Producer side only. */
    public void put(long message) throws InterruptedException {
        int t = tail.getPlain(); // only the producer writes tail
        int h = head.get();
        if (t - h == capacity) {
            awaitChange(head, h, producerSleeping); // head only moves forward: any change frees a slot
        }
        slots.putLong(slot(t), message);
        tail.set(t + 1); // volatile: publishes the slot, then (below) the flag is read after it
        if (consumerSleeping.get() != 0) {
            tail.wakeOne();
        }
    }

    /** Removes and returns the oldest message, sleeping while the queue is empty. Consumer side only. */
    public long take() throws InterruptedException {
        int h = head.getPlain(); // only the consumer writes head
        int t = tail.get();
        if (t == h) {
            awaitChange(tail, h, consumerSleeping);
        }
        long message = slots.getLong(slot(h));
        head.set(h + 1);
        if (producerSleeping.get() != 0) {
            head.wakeOne();
        }
        return message;
    }

    /** @return the number of messages in the queue, at some moment during the call */
    public int size() {
        return tail.get() - head.get();
    }

    /** Sleeps until {@code word} no longer holds {@code seen}, with {@code sleeping} raised meanwhile. */
    private static void awaitChange(NativeAtomicInteger word, int seen, NativeAtomicInteger sleeping)
            throws InterruptedException {
        sleeping.set(1); // first announce, then re-read: see the class comment
        try {
            while (word.get() == seen) {
                word.await(seen); // spins briefly, then sleeps while the word holds seen
            }
        } finally {
            sleeping.set(0);
        }
    }

    /**
     * Runs one side: {@code produce FILE CAPACITY COUNT} puts 1..COUNT; {@code consume FILE
     * CAPACITY COUNT} takes COUNT messages, checks that they are 1..COUNT in order, and prints
     * their sum. Start both, in two JVMs, on the same file.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: SharedSpscQueue produce|consume FILE CAPACITY COUNT");
            System.exit(2);
        }
        SharedSpscQueue q = map(Paths.get(args[1]), Integer.parseInt(args[2]));
        long count = Long.parseLong(args[3]);
        if (args[0].equals("produce")) {
            for (long i = 1; i <= count; i++) {
                q.put(i);
            }
            System.out.println("produced " + count);
        } else {
            long sum = 0;
            for (long i = 1; i <= count; i++) {
                long m = q.take();
                if (m != i) {
                    throw new IllegalStateException("message " + i + " was " + m);
                }
                sum += m;
            }
            System.out.println("consumed " + count + ", sum " + sum);
        }
    }
}
