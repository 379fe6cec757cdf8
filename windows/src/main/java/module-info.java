/** The Windows backend of wait-on-address: WaitOnAddress / WakeByAddressSingle / WakeByAddressAll. */
module dev.waitonaddress.windows {
    requires dev.waitonaddress;

    provides dev.waitonaddress.spi.Backend with dev.waitonaddress.windows.WindowsWaitOnAddress;
}
