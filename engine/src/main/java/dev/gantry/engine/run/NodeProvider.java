package dev.gantry.engine.run;

import dev.gantry.api.build.NodeLease;

/**
 * Finds an executor for {@code node} and declarative agents. A local run has one machine; the
 * controller's provider (issue 02/03) schedules onto the built-in and remote agents.
 */
public interface NodeProvider {

    /**
     * Waits for a node matching {@code label} (null or blank: any) and allocates a workspace for
     * the job on it.
     *
     * @param customWorkspace a workspace path chosen by the pipeline, or null
     * @param console where to say what is happening ("Running on local in /path")
     */
    NodeLease allocate(String label, String customWorkspace, java.util.function.Consumer<String> console)
            throws InterruptedException, java.io.IOException;
}
