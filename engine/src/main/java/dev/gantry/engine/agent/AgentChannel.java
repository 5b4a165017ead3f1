package dev.gantry.engine.agent;

/**
 * The way tasks reach one node: HTTP long polls for a remote agent, direct calls for the
 * built-in one. Both run the same {@link TaskRunner} at the far end. Thread-safe.
 */
interface AgentChannel {

    /**
     * Hands {@code call} to the node; its result arrives on the call.
     *
     * @throws dev.gantry.api.step.NodeLostException when the node is offline
     */
    void submit(TaskCall call);

    /** Asks the node to stop {@code call}; does nothing when it ended. */
    void cancel(TaskCall call);
}
