/** The FreeBSD backend of wait-on-address: _umtx_op(2). */
module dev.waitonaddress.freebsd {
    requires dev.waitonaddress;

    provides dev.waitonaddress.spi.Backend with dev.waitonaddress.freebsd.FreeBsdUmtxWaitOnAddress;
}
