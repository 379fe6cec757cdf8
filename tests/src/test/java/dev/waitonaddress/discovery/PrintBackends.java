package dev.waitonaddress.discovery;

import dev.waitonaddress.WaitOnAddress;

/** Run in a child JVM: prints the chosen backend, or the error that choosing it gave. */
public final class PrintBackends {
    private PrintBackends() {
    }

    public static void main(String[] args) {
        for (WaitOnAddress b : WaitOnAddress.installed()) {
            System.out.println("installed " + b.name() + " " + b.isAvailable());
        }
        try {
            System.out.println("system " + WaitOnAddress.system().name());
        } catch (IllegalStateException e) {
            System.out.println("error " + e.getMessage().replace(System.lineSeparator(), " | "));
        }
    }
}
