package dev.gantry.api.step;

import dev.gantry.api.build.NodeLease;
import dev.gantry.api.build.RunControl;
import dev.gantry.api.workspace.Workspace;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Everything a step call can reach: the console, the environment, the workspace, its body, the
 * run it belongs to, and services. One instance per call; valid only during
 * {@link Step#run}. Methods are called on the step's own thread unless stated otherwise.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface StepContext {

    /** The call's deterministic id, e.g. {@code stage[Build]/3}: stable across replays. */
    String id();

    /** The console log, attributed to this step. */
    Console console();

    /**
     * The environment a process started by this step gets: the node's base environment, the
     * pipeline's and stages' {@code environment}, parameters and {@code withEnv} overrides.
     * Immutable; never null.
     */
    Map<String, String> environment();

    /** Whether the step runs inside a node (a workspace exists). */
    boolean hasWorkspace();

    /**
     * The current directory on the current node, as a workspace.
     *
     * @throws StepFailedException naming the step and saying to wrap it in {@code node} or an
     *     {@code agent}, when there is none
     */
    Workspace workspace();

    /** The body the step was called with, or null. */
    Body body();

    /** The run this call belongs to: results, parameters, identity. */
    RunControl run();

    /**
     * Allocates a node matching {@code labelExpression} (null or empty: any) and a workspace on it,
     * waiting as long as needed; the lease must be closed when the body that uses it is done.
     *
     * @param customWorkspace a workspace path instead of the default (relative to the node's root), or null
     */
    NodeLease allocateNode(String labelExpression, String customWorkspace) throws InterruptedException;

    /**
     * Runs branches concurrently, each on its own virtual thread, and waits for all.
     * With {@code failFast}, the first failing branch cancels the others (their result ABORTED).
     *
     * @return each branch's value by name
     * @throws RuntimeException the first branch failure, after every branch ended
     */
    Map<String, Object> parallel(Map<String, Body> branches, boolean failFast);

    /** A new cancellation scope nested in the current one. */
    Cancellation newCancellation();

    /** Throws {@link FlowInterruptedException} if the current scope was cancelled; else returns. */
    void checkInterrupted();

    /**
     * A service of the engine or of a plugin, by type: for example
     * {@link dev.gantry.api.build.StashStore}, {@link dev.gantry.api.build.ArtifactStore},
     * {@link dev.gantry.api.build.TestResults}, {@link dev.gantry.api.build.InputHandler},
     * {@link dev.gantry.api.build.ScriptLoader}, {@link dev.gantry.api.build.BuildTrigger}. Empty
     * when this run has no such service (a local run has no {@code BuildTrigger}, for example).
     */
    <T> Optional<T> service(Class<T> type);
}
