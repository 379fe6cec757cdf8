package dev.waitonaddress.failfast;

import dev.waitonaddress.NativeSupport;
import dev.waitonaddress.WaitOnAddress;

/**
 * Run in a child JVM by {@link NativeSupportTest}: prints the system backend, then what
 * {@link NativeSupport#ensureAvailability()} did: {@code OK} or {@code REFUSED <message>}.
 */
public final class NativeSupportChild {
    private NativeSupportChild() {
    }

    public static void main(String[] args) {
        String system;
        try {
            system = WaitOnAddress.system().name();
        } catch (IllegalStateException e) { // nothing available: not even portable, when JNA cannot load
            system = "none";
        }
        System.out.println("SYSTEM " + system);
        System.out.println("MODULE " + NativeSupport.class.getModule());
        try {
            NativeSupport.ensureAvailability();
            System.out.println("OK");
        } catch (IllegalStateException e) {
            System.out.println("REFUSED " + e.getMessage().replace('\n', ' '));
            if (NativeSupport.isAvailable() || !NativeSupport.unavailabilityCause().isPresent()) {
                System.out.println("INCONSISTENT isAvailable()/unavailabilityCause()");
            }
        }
    }
}
