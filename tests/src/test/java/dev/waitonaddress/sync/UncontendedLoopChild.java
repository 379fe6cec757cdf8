package dev.waitonaddress.sync;

import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link NoSystemCallUncontendedTest} in a second JVM under strace: one thread runs the
 * uncontended operations of every synchronizer {@code N} times ({@code idle}), or, as the control,
 * {@code N} raw wakes that must each reach the kernel ({@code control}). Prints
 * {@code tid=<the loop thread's Linux thread id>} and {@code done}; the measured loop runs after
 * a warm-up between two {@code readlink("/proc/thread-self")} calls that mark it in the trace.
 */
public final class UncontendedLoopChild {
    private UncontendedLoopChild() {
    }

    public static void main(String[] args) throws Exception {
        boolean control = args[0].equals("control");
        int n = Integer.parseInt(args[1]);
        Mutex privateMutex = Mutex.allocate();
        Mutex sharedMutex = Mutex.wrap(ByteBuffer.allocateDirect(64), 0, Scope.SHARED);
        Condition condition = privateMutex.newCondition();
        Semaphore semaphore = Semaphore.allocate(1);
        Latch latch = Latch.allocate(0);
        Event event = Event.allocate();
        Thread loop = new Thread(() -> {
            try {
                Path self = Paths.get("/proc/thread-self");
                String tid = Files.readSymbolicLink(self).getFileName().toString();
                System.out.println("tid=" + tid);
                System.out.flush();
                for (int warm = 0; warm < 5; warm++) {
                    run(control, n, privateMutex, sharedMutex, condition, semaphore, latch, event);
                }
                Thread.sleep(300);
                Files.readSymbolicLink(self); // marker: the measured loop begins
                run(control, n, privateMutex, sharedMutex, condition, semaphore, latch, event);
                Files.readSymbolicLink(self); // marker: it ended
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, "uncontended-loop");
        loop.start();
        loop.join();
        System.out.println("done");
    }

    private static void run(boolean control, int n, Mutex privateMutex, Mutex sharedMutex, Condition condition,
            Semaphore semaphore, Latch latch, Event event) throws InterruptedException {
        if (control) {
            WaitOnAddress futex = WaitOnAddress.system();
            for (int k = 0; k < n; k++) {
                futex.wakeOne(privateMutex.pointer(), Width.INT32, Scope.PRIVATE);
            }
            return;
        }
        for (int k = 0; k < n; k++) {
            privateMutex.lock();
            condition.signal();
            condition.signalAll();
            privateMutex.unlock();
            if (!privateMutex.tryLock(1, TimeUnit.SECONDS)) {
                throw new AssertionError("the mutex is free");
            }
            privateMutex.unlock();
            sharedMutex.lock();
            sharedMutex.unlock();
            semaphore.acquire();
            semaphore.release();
            if (!semaphore.tryAcquire(1, TimeUnit.SECONDS)) {
                throw new AssertionError("a permit is free");
            }
            semaphore.release();
            latch.initialize(1);
            latch.countDown();
            latch.await();
            event.set();
            event.await();
            event.reset();
        }
    }
}
