package dev.gantry.api.build;

import dev.gantry.api.workspace.Workspace;
import org.apiguardian.api.API;

/**
 * An executor on a node, held while a body runs on it ({@code node { }} or a declarative agent).
 * Closing it frees the executor; closing twice does nothing.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface NodeLease extends AutoCloseable {

    /** The name of the node. */
    String nodeName();

    /** The workspace allocated on the node for this job. */
    Workspace workspace();

    /** Base environment of the node ({@code NODE_NAME}, {@code WORKSPACE}, the agent's own variables). */
    java.util.Map<String, String> environment();

    @Override
    void close();
}
