package dev.gantry.api.task;

import dev.gantry.api.extension.GantryExtensionPoint;
import dev.gantry.api.step.Console;
import dev.gantry.api.workspace.Workspace;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Work a plugin does on an agent, next to the workspace, rather than on the controller: the
 * controller side of a plugin step sends a task of {@link #taskType()} with plain JSON
 * arguments; the agent runs it with the handler from the same plugin and sends the JSON result
 * back. Agents fetch the jars of plugins that contribute handlers from the controller (verified
 * by SHA-256, cached by checksum) and load them with PF4J, so a handler must depend on nothing
 * but {@code plugin-api} and its own libraries.
 *
 * <p><b>Lifecycle and threading.</b> One instance per started plugin on each agent; {@link #run}
 * is called on one of the agent's task threads, possibly for several tasks at once:
 * thread-safe. It may block; it must stop promptly when its thread is interrupted (the task was
 * cancelled) and throw {@link InterruptedException}.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface TaskHandlerExtension extends GantryExtensionPoint {

    /** The task type this handler runs, qualified by the plugin id ({@code git:fetch}). */
    String taskType();

    /**
     * Runs one task.
     *
     * @param workspace the task's workspace on this agent
     * @param arguments the task's arguments as sent (JSON-friendly values)
     * @param console where the task's log lines go (streamed to the build's log)
     * @return the result sent back (JSON-friendly: null, Boolean, Number, String, List, Map)
     * @throws dev.gantry.api.step.StepFailedException to fail the task with a message for the user
     */
    Object run(Workspace workspace, Map<String, Object> arguments, Console console) throws Exception;
}
