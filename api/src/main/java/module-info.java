/**
 * wait-on-address: block a thread until a word of native memory changes, and wake it from
 * another thread or process. Start at {@link dev.waitonaddress.WaitOnAddress#system()}.
 * {@link dev.waitonaddress.spi} is the contract an OS module implements.
 */
module dev.waitonaddress {
    requires transitive com.sun.jna;

    exports dev.waitonaddress;
    exports dev.waitonaddress.spi;

    uses dev.waitonaddress.spi.Backend;

    provides dev.waitonaddress.spi.Backend with dev.waitonaddress.portable.PortableWaitOnAddress;
}
