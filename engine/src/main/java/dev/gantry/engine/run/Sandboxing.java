package dev.gantry.engine.run;

import org.codehaus.groovy.control.CompilerConfiguration;

/** Puts the pipeline sandbox into a compiler configuration and connects its abort checkpoints. */
final class Sandboxing {
    private Sandboxing() {
    }

    static void configure(CompilerConfiguration cc) {
        // The sandbox (dev.gantry.engine.sandbox) is wired here once it lands.
    }
}
