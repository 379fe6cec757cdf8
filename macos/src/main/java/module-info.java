/** The macOS backends of wait-on-address: os_sync_wait_on_address (macOS 14.4+) and __ulock (10.15+). */
module dev.waitonaddress.macos {
    requires dev.waitonaddress;

    provides dev.waitonaddress.spi.Backend with
            dev.waitonaddress.macos.MacOsSyncWaitOnAddress,
            dev.waitonaddress.macos.MacOsUlockWaitOnAddress;
}
