/**
 * wait-on-address: block a thread until a word of native memory changes, and wake it from
 * another thread or process. Start at {@link dev.waitonaddress.WaitOnAddress#system()}.
 */
module dev.waitonaddress {
    requires transitive com.sun.jna;

    exports dev.waitonaddress;
    exports dev.waitonaddress.spi;

    uses dev.waitonaddress.WaitOnAddress;

    provides dev.waitonaddress.WaitOnAddress with dev.waitonaddress.portable.PortableWaitOnAddress;
}
