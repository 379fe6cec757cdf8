/** The OpenBSD backend of wait-on-address: futex(2). */
module dev.waitonaddress.openbsd {
    requires dev.waitonaddress;

    provides dev.waitonaddress.spi.Backend with dev.waitonaddress.openbsd.OpenBsdFutexWaitOnAddress;
}
