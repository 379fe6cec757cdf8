package dev.waitonaddress.linux;

import com.sun.jna.Memory;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.WaitTarget;
import dev.waitonaddress.Width;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run in a second JVM (with futex_waitv turned off, or under an emulator that lacks it): prints
 * the {@code awaitAny} capability and the backend's own account of it, then proves the in-process
 * {@code awaitAny} works, and prints {@code OK}.
 */
public final class WaitvFallbackMain {
    public static void main(String[] args) throws Exception {
        WaitOnAddress futex = WaitOnAddress.system();
        System.out.println("backend " + futex);
        System.out.println("awaitAny " + futex.capabilities().awaitAny() + " " + futex.capabilities().maxAwaitAnyTargets());
        Memory m = new Memory(16);
        m.clear();
        List<WaitTarget> targets = List.of(WaitTarget.ofInt(m, 0, Scope.PRIVATE), WaitTarget.ofInt(m.share(4), 0,
                Scope.PRIVATE), WaitTarget.ofInt(m.share(8), 0, Scope.PRIVATE));
        check(futex.awaitAny(targets, 1, TimeUnit.MILLISECONDS) == WaitOnAddress.AWAIT_ANY_TIMED_OUT, "time-out");
        AtomicInteger got = new AtomicInteger(-5);
        Thread waiter = new Thread(() -> {
            try {
                got.set(futex.awaitAny(targets, 30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                got.set(-6);
            }
        });
        waiter.start();
        Thread.sleep(50);
        m.setInt(8, 1);
        futex.wakeAll(m.share(8), Width.INT32, Scope.PRIVATE);
        waiter.join(30_000);
        check(got.get() == 2, "woken index 2, got " + got.get());
        check(futex.awaitAny(targets) == 2, "found changed");
        System.out.println("OK");
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            System.out.println("FAILED: " + what);
            System.exit(1);
        }
    }
}
