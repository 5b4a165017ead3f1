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

    /**
     * Allocates like {@link #allocate(String, String, java.util.function.Consumer)}, for a block that
     * had {@code previous} before the controller restarted: a provider whose nodes outlive the
     * controller (remote agents) asks for that node and workspace first, so that a step still
     * running there can be re-attached. The default ignores {@code previous}.
     *
     * @param previous the journaled placement of this block, or null when it has none
     */
    default NodeLease allocate(String label, String customWorkspace, java.util.function.Consumer<String> console, Placement previous)
            throws InterruptedException, java.io.IOException {
        return allocate(label, customWorkspace, console);
    }

    /** Where a {@code node} block ran: the node's name and the workspace root there. */
    record Placement(String node, String workspace) {
    }

    /** A lease that can tell its {@link Placement}, which the build's journal then keeps. */
    interface Placed {
        /** The node and workspace root of this lease; never null. */
        Placement placement();
    }
}
