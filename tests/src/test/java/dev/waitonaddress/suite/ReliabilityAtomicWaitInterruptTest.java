package dev.waitonaddress.suite;

import dev.waitonaddress.AtomicWait;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@link InterruptSuite} for {@link AtomicWait}: a thread blocked in
 * {@code AtomicWait.await} (32- and 64-bit, timed or not, PRIVATE and SHARED) leaves promptly with
 * {@link InterruptedException}, status cleared; and an {@code AtomicWait.wakeOne} racing an
 * interrupt is not lost for the other waiter.
 */
class ReliabilityAtomicWaitInterruptTest extends InterruptSuite {
    @Override
    protected List<WaitOnAddress> backends() {
        return List.of(AtomicWait.backend());
    }

    @Override
    protected List<Way> ways(WaitOnAddress woa) {
        List<Way> out = new ArrayList<>();
        out.add(new Way("AtomicWait.await int", Scope.PRIVATE, Width.INT32,
            (w, p, o) -> AtomicWait.await32(p, 0), (w, p) -> AtomicWait.wakeOne(p)));
        out.add(new Way("timed AtomicWait.await int", Scope.PRIVATE, Width.INT32,
            (w, p, o) -> AtomicWait.await32(p, 0, 1, TimeUnit.HOURS), (w, p) -> AtomicWait.wakeOne(p)));
        out.add(new Way("AtomicWait.await long", Scope.PRIVATE, Width.INT64,
            (w, p, o) -> AtomicWait.await64(p, 0L), (w, p) -> AtomicWait.wakeOne(p)));
        out.add(new Way("timed AtomicWait.await long", Scope.PRIVATE, Width.INT64,
            (w, p, o) -> AtomicWait.await64(p, 0L, 1, TimeUnit.HOURS), (w, p) -> AtomicWait.wakeOne(p)));
        if (woa.capabilities().supports(Width.INT32, Scope.SHARED)) {
            out.add(new Way("AtomicWait.await int SHARED", Scope.SHARED, Width.INT32,
                (w, p, o) -> AtomicWait.await32(p, 0, Scope.SHARED), (w, p) -> AtomicWait.wakeOne(p, Scope.SHARED)));
        }
        return out;
    }
}
