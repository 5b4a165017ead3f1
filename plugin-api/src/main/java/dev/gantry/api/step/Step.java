package dev.gantry.api.step;

import dev.gantry.api.extension.GantryExtensionPoint;
import org.apiguardian.api.API;

/**
 * A pipeline step: what a {@code Jenkinsfile} may call by name ({@code echo}, {@code sh}, ...).
 * Built-in steps and plugin steps are implemented the same way, through this interface: the
 * engine's own through {@code META-INF/services}, a plugin's as a class annotated with
 * {@code @org.pf4j.Extension} (see {@link dev.gantry.api.support.SimpleStep} for the short way).
 * A plugin step whose name is taken already (by a built-in step or an earlier plugin) is left out
 * with a warning naming both.
 *
 * <p><b>Lifecycle and threading.</b> One instance serves every build: it must be stateless and
 * thread-safe. {@link #descriptor()} is read once, when the step library is assembled.
 * {@link #run} is called on the thread of the script (or parallel branch) that called the step,
 * once per call, after the arguments were bound and checked against the descriptor. It may block
 * (a virtual thread runs it); it must return promptly once the thread is interrupted, which is
 * how aborts and timeouts reach it, and then call {@link StepContext#checkInterrupted()}.
 *
 * <p><b>Durability.</b> A step without a body has its outcome journaled before the script sees
 * it: when a build is resumed after a controller restart, the journaled outcome is returned
 * without calling {@code run} again. Values returned must therefore be journal-friendly:
 * {@code null}, {@link Boolean}, {@link Number}, {@link String}, and {@link java.util.List} or
 * {@link java.util.Map} of those.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Step extends GantryExtensionPoint {

    /** The step's name, parameters, body and help. Never null; the same on every call. */
    StepDescriptor descriptor();

    /**
     * Executes one call of the step.
     *
     * @param context the calling build's context: console, environment, workspace, body, ...
     * @param arguments the bound arguments, already converted to the declared types
     * @return the value the script sees; may be null
     * @throws StepFailedException to fail with a message and no stack trace (like Jenkins'
     *     {@code AbortException}); any other exception fails the step with its stack trace
     * @throws FlowInterruptedException when the build was aborted or timed out
     */
    Object run(StepContext context, StepArguments arguments) throws Exception;
}
