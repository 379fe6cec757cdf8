package dev.waitonaddress.suite;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.waitonaddress.Capabilities;
import dev.waitonaddress.Capabilities.Support;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;
import dev.waitonaddress.testing.SharedMemory;
import java.util.ArrayList;
import java.util.List;

/** The (width, scope) pairs a backend accepts, and words to wait on for each. */
final class Combos {
    private Combos() {
    }

    /** A width and scope a backend accepts. */
    static final class Combo {
        final Width width;
        final Scope scope;

        Combo(Width width, Scope scope) {
            this.width = width;
            this.scope = scope;
        }

        @Override
        public String toString() {
            return width + "/" + scope;
        }
    }

    static List<Combo> of(WaitOnAddress woa) {
        Capabilities caps = woa.capabilities();
        List<Combo> out = new ArrayList<>();
        for (Scope s : Scope.values()) {
            for (Width w : Width.values()) {
                if (caps.supports(w, s)) {
                    out.add(new Combo(w, s));
                }
            }
        }
        return out;
    }

    /** @return whether {@code awaitAny} takes words of {@code scope} on this backend */
    static boolean awaitAny(WaitOnAddress woa, Scope scope) {
        Capabilities caps = woa.capabilities();
        return caps.awaitAny() != Support.NONE && (scope == Scope.PRIVATE || caps.awaitAny() == Support.NATIVE)
                && caps.supports(Width.INT32, scope);
    }

    /** Zeroed words of both scopes; the memory lives as long as this object (keep it reachable). */
    static final class Words implements AutoCloseable {
        private final Memory block;
        private final SharedMemory shared;
        private int nextPrivate;
        private int nextShared;
        private final int slots;

        Words(int slots, boolean withShared) throws Exception {
            this.slots = slots;
            block = new Memory(8L * slots);
            block.clear();
            shared = withShared ? SharedMemory.create("woa-words", 8 * slots) : null;
        }

        synchronized Pointer next(Scope scope) {
            if (scope == Scope.PRIVATE) {
                if (nextPrivate >= slots) {
                    throw new IllegalStateException("out of words");
                }
                return block.share(8L * nextPrivate++);
            }
            if (nextShared >= slots) {
                throw new IllegalStateException("out of words");
            }
            return shared.pointer().share(8L * nextShared++);
        }

        @Override
        public void close() throws Exception {
            if (shared != null) {
                shared.close();
            }
            block.close();
        }
    }
}
