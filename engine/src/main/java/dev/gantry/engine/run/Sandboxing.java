package dev.gantry.engine.run;

import dev.gantry.engine.sandbox.Sandbox;
import dev.gantry.engine.sandbox.SandboxRuntime;
import org.codehaus.groovy.control.CompilerConfiguration;

/**
 * Puts the pipeline sandbox into a compiler configuration and connects its checkpoints (every
 * loop iteration, closure and method of pipeline code) to the build's cancellation scopes, so an
 * aborted or timed-out script stops even in a loop that calls no step.
 */
final class Sandboxing {
    static {
        SandboxRuntime.setCheckpointHandler(Sandboxing::checkpoint);
    }

    private Sandboxing() {
    }

    static void configure(CompilerConfiguration cc) {
        Sandbox.configure(cc);
    }

    private static void checkpoint() {
        FlowContext ctx = FlowContext.currentOrNull();
        if (ctx != null) {
            ctx.checkCancelled();
        } else if (Thread.currentThread().isInterrupted()) {
            throw new dev.gantry.api.step.FlowInterruptedException(dev.gantry.api.Result.ABORTED, "interrupted");
        }
    }
}
