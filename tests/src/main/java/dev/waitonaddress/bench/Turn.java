package dev.waitonaddress.bench;

import dev.waitonaddress.NativeAtomicInteger;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * One way of handing a turn between two parties, as the alternatives benchmarks compare them:
 * the measured side calls {@link #ping()} (hand the turn over, wait until it comes back), the
 * answering side loops on {@link #receive()} (wait for the turn) and {@link #answer()} (hand it
 * back), and may look at a stop flag in between. Both sides of one kind run the same code, in two
 * threads of one JVM or in two JVMs (see {@link Pair}).
 *
 * <p>Kinds in one JVM: {@link #IN_PROCESS}; across two JVMs: {@link #CROSS_PROCESS}. Word kinds
 * use the 32-bit word at offset 0 of a buffer (a mapped file across JVMs): the ball, 1 while the
 * answering side has the turn.
 */
abstract class Turn {
    /** Kinds between two threads of one JVM. */
    static final List<String> IN_PROCESS =
            Arrays.asList("atomic", "lockSupport", "waitNotify", "lockCondition", "synchronousQueue", "spin");
    /** Kinds between two JVMs. */
    static final List<String> CROSS_PROCESS =
            Arrays.asList("counted", "spi", "unixSocket", "pipe", "agrona", "spin");

    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** Hands the turn to the answering side; returns once it has come back. */
    abstract void ping() throws Exception;

    /** The answering side: waits for the turn. */
    abstract void receive() throws Exception;

    /** The answering side: hands the turn back, after {@link #receive()}. */
    abstract void answer() throws Exception;

    /**
     * A turn between two threads of this JVM.
     *
     * @param kind one of {@link #IN_PROCESS}
     */
    static Turn inProcess(String kind) {
        switch (kind) {
            case "atomic":
                return new Atomic(NativeAtomicInteger.allocate());
            case "lockSupport":
                return new Park();
            case "waitNotify":
                return new Monitor();
            case "lockCondition":
                return new LockCondition();
            case "synchronousQueue":
                return new Queue();
            case "spin":
                return new Spin(ByteBuffer.allocateDirect(128).alignedSlice(64));
            default:
                throw new IllegalArgumentException("no in-process kind " + kind + "; kinds: " + IN_PROCESS);
        }
    }

    /**
     * One side of a turn between two JVMs over a mapped word (word kinds) or a byte stream.
     *
     * @param kind one of {@link #CROSS_PROCESS}
     * @param mapped the mapping both JVMs share; the ball is its first word
     * @param in this side's reading end of the pipe pair ({@code pipe} only, else null)
     * @param out this side's writing end of the pipe pair ({@code pipe} only, else null)
     * @param socket this side's connected socket ({@code unixSocket} only, else null)
     */
    static Turn crossProcess(String kind, ByteBuffer mapped, InputStream in, OutputStream out,
            SocketChannel socket) {
        switch (kind) {
            case "counted":
                return new Atomic(NativeAtomicInteger.wrapShared(mapped, 0));
            case "spi":
                return new Spi(mapped);
            case "agrona":
                return new Agrona(mapped);
            case "spin":
                return new Spin(mapped);
            case "pipe":
                return new Stream(in, out);
            case "unixSocket":
                return new Socket(socket);
            default:
                throw new IllegalArgumentException("no cross-process kind " + kind + "; kinds: " + CROSS_PROCESS);
        }
    }

    /** A kind over a ball word: the pinger stores 1, the ponger 0, each then signals the other. */
    abstract static class OnWord extends Turn {
        final ByteBuffer buffer;

        OnWord(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        final int ball() {
            return (int) INT.getVolatile(buffer, 0);
        }

        final void ball(int value) {
            INT.setVolatile(buffer, 0, value);
        }

        /** Lets a waiter of the other side see the store just made. */
        abstract void signal();

        /** Returns once the ball is no longer {@code value}. */
        abstract void waitWhile(int value) throws InterruptedException;

        @Override
        final void ping() throws InterruptedException {
            ball(1);
            signal();
            waitWhile(1);
        }

        @Override
        final void receive() throws InterruptedException {
            waitWhile(0);
        }

        @Override
        final void answer() {
            ball(0);
            signal();
        }
    }

    /** {@code NativeAtomicInteger}: spins, then sleeps; a wake asks the OS only when someone sleeps. */
    static final class Atomic extends Turn {
        private final NativeAtomicInteger word;

        Atomic(NativeAtomicInteger word) {
            this.word = word;
        }

        @Override
        void ping() throws InterruptedException {
            word.set(1);
            word.wakeOne();
            while (word.get() == 1) {
                word.await(1);
            }
        }

        @Override
        void receive() throws InterruptedException {
            while (word.get() == 0) {
                word.await(0);
            }
        }

        @Override
        void answer() {
            word.set(0);
            word.wakeOne();
        }
    }

    /** The SPI in SHARED scope: no spinning, every wait sleeps and every wake is a system call. */
    static final class Spi extends OnWord {
        private final WaitOnAddress futex = WaitOnAddress.system();
        private final Pointer pointer;

        Spi(ByteBuffer buffer) {
            super(buffer);
            pointer = Native.getDirectBufferPointer(buffer);
        }

        @Override
        void signal() {
            futex.wakeOne(pointer, Width.INT32, Scope.SHARED);
        }

        @Override
        void waitWhile(int value) throws InterruptedException {
            while (ball() == value) {
                futex.await(pointer, Width.INT32, value, Scope.SHARED);
            }
        }
    }

    /** A busy spin on the word: the waiting side never leaves its core. */
    static final class Spin extends OnWord {
        Spin(ByteBuffer buffer) {
            super(buffer);
        }

        @Override
        void signal() {
        }

        @Override
        void waitWhile(int value) {
            while (ball() == value) {
                Thread.onSpinWait();
            }
        }
    }

    /** Agrona's {@link BackoffIdleStrategy} (its defaults: spins, yields, then parks 1 µs to 1 ms). */
    static final class Agrona extends OnWord {
        private final BackoffIdleStrategy idle = new BackoffIdleStrategy();

        Agrona(ByteBuffer buffer) {
            super(buffer);
        }

        @Override
        void signal() {
        }

        @Override
        void waitWhile(int value) {
            idle.reset();
            while (ball() == value) {
                idle.idle();
            }
        }
    }

    /** {@link LockSupport#park} / {@link LockSupport#unpark} over a volatile field. */
    static final class Park extends Turn {
        private volatile int ball;
        private volatile Thread pinger;
        private volatile Thread ponger;

        @Override
        void ping() {
            pinger = Thread.currentThread();
            ball = 1;
            LockSupport.unpark(ponger);
            while (ball == 1) {
                LockSupport.park(this);
            }
        }

        @Override
        void receive() {
            ponger = Thread.currentThread();
            while (ball == 0) {
                LockSupport.park(this);
            }
        }

        @Override
        void answer() {
            ball = 0;
            LockSupport.unpark(pinger);
        }
    }

    /** {@code synchronized}, {@link Object#wait()} and {@link Object#notify()}. */
    static final class Monitor extends Turn {
        private int ball;

        @Override
        synchronized void ping() throws InterruptedException {
            ball = 1;
            notify();
            while (ball == 1) {
                wait();
            }
        }

        @Override
        synchronized void receive() throws InterruptedException {
            while (ball == 0) {
                wait();
            }
        }

        @Override
        synchronized void answer() {
            ball = 0;
            notify();
        }
    }

    /** {@link ReentrantLock} and one {@link Condition}. */
    static final class LockCondition extends Turn {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private int ball;

        @Override
        void ping() throws InterruptedException {
            lock.lock();
            try {
                ball = 1;
                changed.signal();
                while (ball == 1) {
                    changed.await();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        void receive() throws InterruptedException {
            lock.lock();
            try {
                while (ball == 0) {
                    changed.await();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        void answer() {
            lock.lock();
            try {
                ball = 0;
                changed.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Two {@link SynchronousQueue}s: one carries the turn there, the other back. */
    static final class Queue extends Turn {
        private static final Object TURN = new Object();
        private final SynchronousQueue<Object> there = new SynchronousQueue<>();
        private final SynchronousQueue<Object> back = new SynchronousQueue<>();

        @Override
        void ping() throws InterruptedException {
            there.put(TURN);
            back.take();
        }

        @Override
        void receive() throws InterruptedException {
            there.take();
        }

        @Override
        void answer() throws InterruptedException {
            back.put(TURN);
        }
    }

    /** One byte each way: {@link #send()} hands the turn over, {@link #receive()} waits for it. */
    abstract static class OnBytes extends Turn {
        abstract void send() throws IOException;

        @Override
        abstract void receive() throws IOException;

        @Override
        final void ping() throws IOException {
            send();
            receive();
        }

        @Override
        final void answer() throws IOException {
            send();
        }
    }

    /** One byte each way over a pipe pair (the answering JVM's standard input and output). */
    static final class Stream extends OnBytes {
        private final InputStream in;
        private final OutputStream out;

        Stream(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        @Override
        void send() throws IOException {
            out.write(1);
            out.flush();
        }

        @Override
        void receive() throws IOException {
            if (in.read() < 0) {
                throw new EOFException("the other side closed the pipe");
            }
        }
    }

    /** One byte each way over a connected, blocking Unix-domain {@link SocketChannel}. */
    static final class Socket extends OnBytes {
        private final SocketChannel channel;
        private final ByteBuffer one = ByteBuffer.allocateDirect(1);

        Socket(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        void send() throws IOException {
            one.clear();
            while (one.hasRemaining()) {
                channel.write(one);
            }
        }

        @Override
        void receive() throws IOException {
            one.clear();
            while (one.hasRemaining()) {
                if (channel.read(one) < 0) {
                    throw new EOFException("the other side closed the socket");
                }
            }
        }
    }
}
