package dev.waitonaddress.bench;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Turn} with its answering side running: a daemon thread of this JVM
 * ({@link #inProcess}) or a second JVM ({@link #crossProcess}, whose main is {@link #main}).
 * {@link #turn} is the measuring side's; {@link #answererCpuNanos()} is the CPU time the answering
 * thread has used so far, for the idle-CPU figures ({@link IdleCpu}). Linux only ({@code /proc}).
 */
abstract class Pair implements AutoCloseable {
    /** Byte offsets in the file both JVMs map: the ball (8 bytes: the counted layout), stop, ready, tid. */
    static final int BALL = 0;
    static final int STOP = 64;
    static final int READY = 128;
    static final int TID = 192;
    static final int FILE_SIZE = 4096;
    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    final String name;
    final Turn turn;
    long pid;
    volatile long tid;

    Pair(String name, Turn turn) {
        this.name = name;
        this.turn = turn;
    }

    /** @return the answering thread's CPU time so far, in ns (from its {@code schedstat}) */
    long answererCpuNanos() throws IOException {
        String s = new String(Files.readAllBytes(Paths.get("/proc", Long.toString(pid), "task", Long.toString(tid),
                "schedstat")), "US-ASCII");
        return Long.parseLong(s.substring(0, s.indexOf(' ')));
    }

    /** @return the calling thread's id in the kernel (its {@code /proc/thread-self}) */
    static long currentTid() throws IOException {
        return Long.parseLong(Files.readSymbolicLink(Paths.get("/proc/thread-self")).getFileName().toString());
    }

    /**
     * Starts the answering side.
     *
     * @param scope {@code inProcess} or {@code crossProcess}
     * @param kind one of {@link Turn#IN_PROCESS} or {@link Turn#CROSS_PROCESS}
     */
    static Pair open(String scope, String kind) throws IOException, InterruptedException {
        switch (scope) {
            case "inProcess":
                return new InProcess(kind);
            case "crossProcess":
                return CrossProcess.start(kind);
            default:
                throw new IllegalArgumentException("no scope " + scope + " (inProcess or crossProcess)");
        }
    }

    /** The answering side is a daemon thread of this JVM. */
    static final class InProcess extends Pair {
        private final Thread thread;
        private volatile boolean stop;
        private volatile Throwable failure;

        InProcess(String kind) throws InterruptedException {
            super("inProcess:" + kind, Turn.inProcess(kind));
            pid = ProcessHandle.current().pid();
            thread = new Thread(() -> {
                try {
                    tid = currentTid();
                    answerUntil(turn, () -> stop);
                } catch (Throwable t) {
                    failure = t;
                    tid = -1;
                }
            }, "woa-bench-answer");
            thread.setDaemon(true);
            thread.start();
            while (tid == 0) {
                Thread.sleep(1);
            }
            check();
        }

        private void check() {
            if (failure != null) {
                throw new IllegalStateException(name + ": the answering thread failed", failure);
            }
        }

        @Override
        public void close() throws Exception {
            stop = true;
            turn.ping(); // the thread receives it, sees stop, answers and ends
            thread.join(TimeUnit.SECONDS.toMillis(10));
            check();
            if (thread.isAlive()) {
                throw new IllegalStateException(name + ": the answering thread did not stop");
            }
        }
    }

    /** The answering side is a second JVM over a file under {@code /dev/shm} both map. */
    static final class CrossProcess extends Pair {
        private final Path file;
        private final ByteBuffer mapped;
        private final Process child;
        private final Path socketPath;
        private final ServerSocketChannel server;
        private final SocketChannel socket;

        static CrossProcess start(String kind) throws IOException, InterruptedException {
            if (!Turn.CROSS_PROCESS.contains(kind)) {
                throw new IllegalArgumentException("no cross-process kind " + kind + "; kinds: " + Turn.CROSS_PROCESS);
            }
            Path file = Files.createTempFile(PeerJvm.sharedDirectory(), "woa-bench-turn-", ".shm");
            Path socketPath = null;
            ServerSocketChannel server = null;
            try {
                ByteBuffer mapped = map(file);
                if (kind.equals("unixSocket")) {
                    socketPath = Files.createTempDirectory("woa-bench-sock-").resolve("s");
                    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                            .bind(UnixDomainSocketAddress.of(socketPath));
                }
                Process child = startChild(kind, file, socketPath);
                SocketChannel socket = awaitReady(child, mapped, server);
                return new CrossProcess(kind, file, mapped, socketPath, server, child, socket);
            } catch (IOException | RuntimeException | InterruptedException e) {
                Files.deleteIfExists(file);
                if (server != null) {
                    server.close();
                    Files.deleteIfExists(socketPath);
                    Files.deleteIfExists(socketPath.getParent());
                }
                throw e;
            }
        }

        private CrossProcess(String kind, Path file, ByteBuffer mapped, Path socketPath, ServerSocketChannel server,
                Process child, SocketChannel socket) {
            super("crossProcess:" + kind, Turn.crossProcess(kind, mapped, child.getInputStream(),
                    child.getOutputStream(), socket));
            this.file = file;
            this.mapped = mapped;
            this.socketPath = socketPath;
            this.server = server;
            this.child = child;
            this.socket = socket;
            this.pid = child.pid();
            this.tid = (long) LONG.getVolatile(mapped, TID);
        }

        private static Process startChild(String kind, Path file, Path socketPath) throws IOException {
            List<String> cmd = PeerJvm.command(Pair.class);
            cmd.add(kind);
            cmd.add(file.toString());
            if (socketPath != null) {
                cmd.add(socketPath.toString());
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
            if (!kind.equals("pipe")) {
                pb.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectInput(ProcessBuilder.Redirect.INHERIT);
            }
            return pb.start();
        }

        private static SocketChannel awaitReady(Process child, ByteBuffer mapped, ServerSocketChannel server)
                throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((int) Turn.INT.getVolatile(mapped, READY) == 0) {
                if (!child.isAlive() || System.nanoTime() > deadline) {
                    child.destroyForcibly();
                    throw new IllegalStateException("the answering JVM did not start (exit "
                            + (child.isAlive() ? "none" : child.exitValue()) + ")");
                }
                Thread.sleep(10);
            }
            return server == null ? null : server.accept(); // the child connected before it was ready
        }

        @Override
        public void close() throws Exception {
            try {
                Turn.INT.setVolatile(mapped, STOP, 1);
                if (child.isAlive()) {
                    turn.ping(); // the child receives it, sees stop, answers and exits
                }
                if (!child.waitFor(10, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                    throw new IllegalStateException(name + ": the answering JVM did not stop");
                }
            } finally {
                if (socket != null) {
                    socket.close();
                    server.close();
                    Files.deleteIfExists(socketPath);
                    Files.deleteIfExists(socketPath.getParent());
                }
                Files.deleteIfExists(file);
            }
        }
    }

    /** Maps {@code file} (grown to {@link #FILE_SIZE}) read-write and shared. */
    static ByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            if (ch.size() < FILE_SIZE) {
                ch.write(ByteBuffer.allocate(1), FILE_SIZE - 1);
            }
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, FILE_SIZE);
        }
    }

    /**
     * The answering JVM of {@link CrossProcess}: {@code KIND FILE [SOCKET]}. Answers every turn
     * until the stop word is set; exits when its parent dies.
     */
    public static void main(String[] args) throws Exception {
        String kind = args[0];
        ByteBuffer mapped = map(Paths.get(args[1]));
        SocketChannel socket = args.length > 2
                ? SocketChannel.open(UnixDomainSocketAddress.of(Paths.get(args[2]))) : null;
        Turn turn = Turn.crossProcess(kind, mapped, new FileInputStream(FileDescriptor.in),
                new FileOutputStream(FileDescriptor.out), socket);
        ParentWatch.start();
        LONG.setVolatile(mapped, TID, currentTid());
        Turn.INT.setVolatile(mapped, READY, 1);
        answerUntil(turn, () -> (int) Turn.INT.getVolatile(mapped, STOP) != 0);
    }

    /**
     * The answering loop: receives each turn, looks at {@code stop} (set before the last ping, so
     * seen once that ping has been received), answers, and returns after answering the last.
     */
    static void answerUntil(Turn turn, java.util.function.BooleanSupplier stop) throws Exception {
        boolean last;
        do {
            turn.receive();
            last = stop.getAsBoolean();
            turn.answer();
        } while (!last);
    }
}
