package dev.waitonaddress.sync;

import dev.waitonaddress.Scope;
import dev.waitonaddress.testing.SharedMemory;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The second (third, fourth) JVM of the cross-process synchronizer tests. Maps the file named by
 * its first argument ({@link CrossProcessSyncTest#SIZE} bytes); the SHARED mutex is at offset 0,
 * a plain 64-bit counter at {@link CrossProcessSyncTest#COUNTER}.
 * <pre>
 *   SyncChild FILE count THREADS N   THREADS threads each lock, increment, unlock N times; print "done"
 *   SyncChild FILE hold              lock; print "locked"; sleep until killed
 *   SyncChild FILE wait              print "waiting"; lock; print "locked consistent=B"; repair; unlock
 * </pre>
 * Ends itself if its parent dies.
 */
public final class SyncChild {
    private SyncChild() {
    }

    public static void main(String[] args) throws Exception {
        SharedMemory shm = SharedMemory.open(Paths.get(args[0]), CrossProcessSyncTest.SIZE);
        MappedByteBuffer buf = shm.buffer();
        buf.order(ByteOrder.nativeOrder());
        Mutex m = Mutex.wrap(buf, 0, Scope.SHARED);
        Thread orphanCheck = new Thread(() -> {
            ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
            while (parent != null && parent.isAlive()) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Runtime.getRuntime().halt(3);
        }, "orphan-check");
        orphanCheck.setDaemon(true);
        orphanCheck.start();
        switch (args[1]) {
            case "count": {
                int threads = Integer.parseInt(args[2]);
                int n = Integer.parseInt(args[3]);
                List<Thread> ts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Thread th = new Thread(() -> {
                        for (int i = 0; i < n; i++) {
                            m.lock();
                            try {
                                buf.putLong(CrossProcessSyncTest.COUNTER, buf.getLong(CrossProcessSyncTest.COUNTER) + 1);
                            } finally {
                                m.unlock();
                            }
                        }
                    });
                    ts.add(th);
                    th.start();
                }
                for (Thread th : ts) {
                    th.join();
                }
                System.out.println("done");
                break;
            }
            case "hold":
                m.lock();
                System.out.println("locked");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
                break;
            case "wait":
                System.out.println("waiting");
                System.out.flush();
                m.lock();
                System.out.println("locked consistent=" + m.isConsistent());
                m.markConsistent();
                m.unlock();
                break;
            default:
                throw new IllegalArgumentException(args[1]);
        }
        System.out.flush();
    }
}
