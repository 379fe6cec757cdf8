package dev.waitonaddress.sync;

import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.FutexTrace;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link NoSystemCallUncontendedTest} in a second JVM under strace: one thread runs the
 * uncontended operations of every synchronizer {@code N} times ({@code idle}), or, as the control,
 * {@code N} raw wakes that must each reach the kernel ({@code control}). The loop runs through
 * {@link FutexTrace#runMarked}, which prints its thread's id, warms it up and marks the measured
 * run in the trace; then this prints {@code done}.
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
        FutexTrace.runMarked("uncontended-loop",
                () -> run(control, n, privateMutex, sharedMutex, condition, semaphore, latch, event));
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
