/** The Linux backend of wait-on-address: futex(2), futex_waitv(2). */
module dev.waitonaddress.linux {
    requires dev.waitonaddress;

    provides dev.waitonaddress.spi.Backend with dev.waitonaddress.linux.LinuxFutexWaitOnAddress;
}
