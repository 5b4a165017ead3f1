package dev.gantry.engine.run;

import dev.gantry.engine.sandbox.ApprovalPolicy;
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
        SandboxRuntime.setApprovalPolicySource(Sandboxing::approvalPolicy);
    }

    private Sandboxing() {
    }

    static void configure(CompilerConfiguration cc) {
        Sandbox.configure(cc);
    }

    /** The approvals of the build running on this thread, told which script ran the rejected code; null outside builds. */
    private static ApprovalPolicy approvalPolicy() {
        FlowContext ctx = FlowContext.currentOrNull();
        if (ctx == null) {
            return null;
        }
        ApprovalPolicy base = ctx.run.service(ApprovalPolicy.class).orElse(null);
        if (base == null) {
            return null;
        }
        String script = ctx.run.scriptName();
        return new ApprovalPolicy() {
            @Override
            public boolean isApproved(String signature) {
                return base.isApproved(signature);
            }

            @Override
            public void rejected(String signature, boolean approvable) {
                // The script's frame on this thread's stack names the line that asked (shown on the approvals page).
                String where = ScriptRunner.where(script);
                int colon = where.lastIndexOf(':');
                int line = where.isEmpty() || colon < 0 ? 0 : Integer.parseInt(where.substring(colon + 1, where.length() - 1));
                base.rejected(signature, approvable, script, line);
            }
        };
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
