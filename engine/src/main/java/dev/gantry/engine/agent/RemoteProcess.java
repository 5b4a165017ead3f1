package dev.gantry.engine.agent;

import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.workspace.RunningProcess;
import java.io.IOException;
import java.util.Map;

/**
 * A process running on a node, on the controller: waiting waits for the task's result (after
 * its last log chunk arrived); killing cancels the task, and the agent kills the whole tree.
 */
final class RemoteProcess implements RunningProcess {
    /** How long a cancelled process may take to report back: the agent's kill grace and a margin. */
    private static final long KILL_WAIT_MILLIS = 10_000;

    private final TaskCall call;
    private final String node;

    RemoteProcess(TaskCall call, String node) {
        this.call = call;
        this.node = node;
    }

    /**
     * {@inheritDoc}
     *
     * @throws dev.gantry.api.step.NodeLostException when the agent went offline meanwhile
     * @throws StepFailedException when the agent could not start the process (its message)
     */
    @Override
    public int waitFor() throws InterruptedException {
        try {
            Object r = call.await();
            return ((Number) ((Map<?, ?>) r).get("exitCode")).intValue();
        } catch (InterruptedException e) {
            if (!call.detached()) {
                call.awaitQuietly(KILL_WAIT_MILLIS);
            }
            throw e;
        } catch (IOException e) {
            throw new StepFailedException(e.getMessage() + " (on node " + node + ")", e);
        }
    }

    @Override
    public void kill() {
        if (call.detached()) {
            return; // the build is suspended: the process goes on, and the next start re-attaches to it
        }
        call.cancel();
        call.awaitQuietly(KILL_WAIT_MILLIS);
    }

    @Override
    public String toString() {
        return "process of " + call + " on " + node;
    }
}
