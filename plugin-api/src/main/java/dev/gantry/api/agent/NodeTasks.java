package dev.gantry.api.agent;

import dev.gantry.api.workspace.Workspace;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Sends a plugin task to the node of a workspace and waits for its result: the controller half
 * of a {@link TaskHandler}. A step reaches it with
 * {@code context.service(NodeTasks.class)}. Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface NodeTasks {

    /**
     * Runs the task {@code handler} on the node of {@code workspace}, in that directory.
     *
     * @param arguments plain JSON values (see {@link TaskHandler}); not null
     * @param log where the task's log output goes (the step's console stream); not closed here
     * @return the handler's result
     * @throws IOException when the handler failed (its message), or no handler of that name is on the agent
     * @throws InterruptedException when the calling thread was interrupted; the task is cancelled first
     * @throws dev.gantry.api.step.NodeLostException when the agent went offline meanwhile
     */
    Object run(Workspace workspace, String handler, Map<String, Object> arguments, OutputStream log)
            throws IOException, InterruptedException;
}
