package dev.gantry.engine.cli;

/**
 * Ctrl-C during a local run aborts the build (processes killed, post actions run, report
 * written) instead of killing the JVM outright; a second Ctrl-C exits at once.
 */
final class Interrupts {
    private Interrupts() {
    }

    static void onCtrlC(Runnable abort) {
        try {
            java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> {
                if (once.getAndSet(true)) {
                    Runtime.getRuntime().halt(130);
                }
                abort.run();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // No SIGINT on this platform or in this JVM mode: the default handling stays.
        }
    }
}
