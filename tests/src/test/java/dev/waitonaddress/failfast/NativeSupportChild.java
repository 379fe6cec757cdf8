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
        System.out.println("SYSTEM " + WaitOnAddress.system().name());
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
