package dev.waitonaddress.sync;

import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The backends and scopes the synchronizer tests run on: the system backend in PRIVATE scope and,
 * where it can, in SHARED scope (in-process, the robust protocol), and {@code portable} (no
 * requeue, no wake-op: the fallbacks).
 */
final class Configs {
    private Configs() {
    }

    /** One backend and scope. */
    static final class Config {
        final WaitOnAddress futex;
        final Scope scope;

        Config(WaitOnAddress futex, Scope scope) {
            this.futex = futex;
            this.scope = scope;
        }

        /** @return fresh zeroed memory for one synchronizer, on a cache line of its own */
        ByteBuffer memory() {
            return ByteBuffer.allocateDirect(128).alignedSlice(64);
        }

        Mutex mutex() {
            return Mutex.wrap(futex, memory(), 0, scope);
        }

        Semaphore semaphore(int permits) {
            Semaphore s = Semaphore.wrap(futex, memory(), 0, scope);
            if (permits > 0) {
                s.release(permits);
            }
            return s;
        }

        Latch latch(int count) {
            return Latch.wrap(futex, memory(), 0, scope).initialize(count);
        }

        Barrier barrier(int parties) {
            return Barrier.wrap(futex, memory(), 0, scope).initialize(parties);
        }

        Event event() {
            return Event.wrap(futex, memory(), 0, scope);
        }

        /** @return a mutex and a condition of it, in one piece of memory */
        Condition condition() {
            ByteBuffer m = memory();
            return Condition.wrap(Mutex.wrap(futex, m, 0, scope), m, 8);
        }

        @Override
        public String toString() {
            return futex.name() + " " + scope;
        }
    }

    /** @return every configuration available here */
    static Stream<Config> all() {
        List<Config> list = new ArrayList<>();
        WaitOnAddress system = WaitOnAddress.system();
        list.add(new Config(system, Scope.PRIVATE));
        if (system.capabilities().supports(Width.INT32, Scope.SHARED)) {
            list.add(new Config(system, Scope.SHARED));
        }
        if (!system.name().equals("portable")) {
            WaitOnAddress.installed().stream().filter(b -> b.name().equals("portable")).findFirst()
                    .ifPresent(p -> list.add(new Config(p, Scope.PRIVATE)));
        }
        return list.stream();
    }
}
