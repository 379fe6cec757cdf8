package dev.waitonaddress.bench;

/**
 * Ends a benchmark's child process (exit status 3) when its parent has died without stopping it,
 * so that no child spins or sleeps on forever after a killed run.
 */
final class ParentWatch {
    private ParentWatch() {
    }

    /** Starts a daemon thread that looks for the parent once a second and halts this JVM when it is gone. */
    static void start() {
        Thread watch = new Thread(() -> {
            ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
            while (parent != null && parent.isAlive()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Runtime.getRuntime().halt(3);
        }, "orphan-check");
        watch.setDaemon(true);
        watch.start();
    }
}
