/**
 * All of wait-on-address: the API (module {@code dev.waitonaddress}) and the backend of every
 * operating system. An aggregator: it exports nothing of its own. An application that reads it
 * reads the API; the backends it requires are resolved with it, so a module path or a runtime
 * image made with {@code jlink --add-modules dev.waitonaddress.all} holds every backend, and
 * {@code dev.waitonaddress.WaitOnAddress#system()} picks the one for the running OS.
 */
module dev.waitonaddress.all {
    requires transitive dev.waitonaddress;
    requires transitive dev.waitonaddress.linux;
    requires transitive dev.waitonaddress.windows;
    requires transitive dev.waitonaddress.macos;
    requires transitive dev.waitonaddress.openbsd;
    requires transitive dev.waitonaddress.freebsd;
}
