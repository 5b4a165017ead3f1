package dev.gantry.api.agent;

import java.util.Map;
import org.apiguardian.api.API;

/**
 * Work a plugin contributes to agents: a named kind of task that a step on the controller sends
 * to the node of a workspace with {@link NodeTasks#run}, and that runs there, on the agent (or in
 * the controller's built-in agent). Arguments and the result are plain JSON values: {@code null},
 * {@link Boolean}, {@link Number}, {@link String}, and {@link java.util.List} or {@link Map} of those.
 *
 * <p><b>Lifecycle and threading.</b> Handlers are found with {@link java.util.ServiceLoader} on
 * the agent's class path ({@code META-INF/services/dev.gantry.api.agent.TaskHandler}) when the
 * agent starts; one instance serves every task, so it must be stateless and thread-safe.
 * {@link #run} is called on a thread of its own, once per task; it may block, and must return
 * promptly once that thread is interrupted (how a cancelled task reaches it).
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface TaskHandler {

    /**
     * The name tasks ask for, unique among the handlers of an agent; by convention prefixed with
     * the plugin's id ({@code docker.build}). Never null; the same on every call.
     */
    String name();

    /**
     * Runs one task.
     *
     * @param arguments what the step sent; never null, immutable
     * @param context the task's workspace and log
     * @return the result the step receives; may be null
     * @throws Exception any failure; its message reaches the step as an {@link java.io.IOException}
     */
    Object run(Map<String, Object> arguments, TaskContext context) throws Exception;
}
