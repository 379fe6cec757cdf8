package dev.waitonaddress.linux;

import com.sun.jna.Pointer;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.SharedMemory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Paths;

/**
 * The Java side of a word shared between processes, used by the tests in this JVM and, as a
 * {@code main}, by a second JVM. It uses only the public API and the SHARED scope.
 *
 * <pre>
 *   SharedWordPeer FILE OFFSET wait EXPECTED        print "ready 0xADDRESS", sleep while the word
 *                                                   holds EXPECTED, print "woken V"
 *   SharedWordPeer FILE OFFSET pingpong FIRST LAST  as {@link #pingPong}; print "done ROUNDS"
 * </pre>
 */
public final class SharedWordPeer {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final WaitOnAddress futex;
    private final ByteBuffer buffer;
    private final int offset;
    private final Pointer word;

    SharedWordPeer(WaitOnAddress futex, SharedMemory memory, int offset) {
        this.futex = futex;
        this.buffer = memory.buffer();
        this.offset = offset;
        this.word = memory.pointer().share(offset);
    }

    Pointer word() {
        return word;
    }

    int get() {
        return (int) INT.getVolatile(buffer, offset);
    }

    void set(int value) {
        INT.setVolatile(buffer, offset, value);
    }

    /** Sleeps while the word holds {@code expected}; @return the value found */
    int waitWhile(int expected) throws InterruptedException {
        int v;
        while ((v = get()) == expected) {
            futex.await(word, Width.INT32, expected, Scope.SHARED);
        }
        return v;
    }

    /** Stores {@code value} and wakes every waiter; @return how many were woken */
    int storeAndWakeAll(int value) {
        set(value);
        return futex.wakeAll(word, Width.INT32, Scope.SHARED);
    }

    /**
     * Hands the word back and forth: for n = first, first + 2, ... below last, sleeps until the
     * word holds n, then stores n + 1 and wakes one waiter.
     *
     * @return the rounds played
     */
    int pingPong(int first, int last) throws InterruptedException {
        int rounds = 0;
        for (int n = first; n < last; n += 2) {
            int v;
            while ((v = get()) != n) {
                futex.await(word, Width.INT32, v, Scope.SHARED);
            }
            set(n + 1);
            futex.wakeOne(word, Width.INT32, Scope.SHARED);
            rounds++;
        }
        return rounds;
    }

    public static void main(String[] args) throws Exception {
        int offset = Integer.parseInt(args[1]);
        SharedMemory memory = SharedMemory.open(Paths.get(args[0]), offset + 4);
        WaitOnAddress futex = WaitOnAddress.system();
        if (!futex.name().equals("linux-futex")) {
            System.err.println("the child JVM chose " + futex + ", not linux-futex");
            System.exit(5);
        }
        SharedWordPeer peer = new SharedWordPeer(futex, memory, offset);
        switch (args[2]) {
            case "wait":
                System.out.println("ready 0x" + Long.toHexString(Pointer.nativeValue(peer.word())));
                System.out.flush();
                System.out.println("woken " + peer.waitWhile(Integer.parseInt(args[3])));
                break;
            case "pingpong":
                System.out.println("done " + peer.pingPong(Integer.parseInt(args[3]), Integer.parseInt(args[4])));
                break;
            default:
                System.err.println("unknown mode " + args[2]);
                System.exit(2);
        }
        System.out.flush();
    }
}
