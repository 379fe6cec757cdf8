/**
 * Synchronizers on words of native or shared memory: {@link dev.waitonaddress.sync.Mutex},
 * {@link dev.waitonaddress.sync.Condition}, {@link dev.waitonaddress.sync.Semaphore},
 * {@link dev.waitonaddress.sync.Latch}, {@link dev.waitonaddress.sync.Barrier} and
 * {@link dev.waitonaddress.sync.Event}, built on the public API of {@code dev.waitonaddress}.
 */
module dev.waitonaddress.sync {
    requires transitive dev.waitonaddress;

    exports dev.waitonaddress.sync;
}
