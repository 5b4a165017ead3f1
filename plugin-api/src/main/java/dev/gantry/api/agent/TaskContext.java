package dev.gantry.api.agent;

import dev.gantry.api.workspace.Workspace;
import java.io.OutputStream;
import org.apiguardian.api.API;

/**
 * What a {@link TaskHandler} can reach while it runs on the agent: the workspace the task was
 * sent for (a directory on this machine) and the step's console log. Valid only during
 * {@link TaskHandler#run}.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface TaskContext {

    /** The workspace directory the step's task runs in, on this machine; never null. */
    Workspace workspace();

    /**
     * The console log of the step that sent the task. Output reaches the controller in order,
     * also across network drops. Do not close it.
     */
    OutputStream log();

    /** Whether the controller cancelled the task (the build was aborted or timed out). */
    boolean isCancelled();
}
