package dev.gantry.engine.agent;

import dev.gantry.api.step.NodeLostException;
import dev.gantry.engine.run.StepJournal;
import java.util.List;

/**
 * What a resumed build does with a process task its step call had handed to an agent before the
 * controller restarted (journaled as a launch): it re-attaches to it, and never starts it again.
 * When the agent process that got it is gone — the agent restarted (another instance), the block
 * now runs on another node, or the agent no longer names the task — the call fails with
 * {@link NodeLostException}, as it would have without the restart once the agent's lease ran out:
 * {@code retry(conditions: [agent()])} then runs a new attempt, and the side effects of the
 * attempt that was running do not happen twice.
 */
final class ResumedLaunches {
    private static final System.Logger LOG = System.getLogger(ResumedLaunches.class.getName());

    private ResumedLaunches() {
    }

    /**
     * Checks that task {@code taskId}, handed out as {@code before} says, can be re-attached on
     * {@code node}, where the replayed call runs now.
     *
     * @param console the step's output, where a line says why when it cannot; null for none
     * @throws NodeLostException naming the agent it was handed to, when it cannot
     */
    static void check(StepJournal.Launch before, AgentNode node, String taskId, String job, int number, String stepId,
                      java.io.OutputStream console) {
        String why;
        if (!(node instanceof RemoteAgent agent) || !node.name.equals(before.node())) {
            why = "the block runs on " + node.name + " now";
            say(console, "Resuming: this step's process ran on agent " + before.node() + ", which did not come back after the controller"
                    + " restarted; its output from before the restart is lost");
        } else if (before.instance() != null && agent.instance() != null && !before.instance().equals(agent.instance())) {
            why = "the agent's process that had it is gone (the agent restarted)";
            say(console, "Resuming: agent " + before.node() + " restarted while the controller was down, and this step's process died"
                    + " with it; its output from before the restart is lost");
        } else {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, job + " #" + number + ": step call " + stepId + " had started task " + taskId
                + " on agent " + before.node() + " before the controller restarted, and " + why
                + "; the step fails as agent " + before.node() + " went offline, and is not run again");
        throw TaskCall.nodeLost(before.node());
    }

    /**
     * The agent's process does not have these re-attach-only tasks ({@code agent} polled without
     * naming them): they failed as the agent went offline. Called under the agent's monitor; the
     * calls are dropped from it by their step's end.
     */
    static void lost(RemoteAgent agent, List<TaskCall> calls) {
        for (TaskCall c : calls) {
            LOG.log(System.Logger.Level.WARNING, c.job + " #" + c.number + ": agent " + agent.name + " no longer has task " + c.id()
                    + ", started before the controller restarted (it died with the agent's processes); the step fails as agent "
                    + agent.name + " went offline, and is not run again");
            byte[] line = ("Resuming: agent " + agent.name + " no longer has this step's process from before the controller restarted;"
                    + " its output from then is lost\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            c.write(AgentProtocol.OUT, line, 0, line.length);
            c.fail(TaskCall.nodeLost(agent.name));
        }
    }

    private static void say(java.io.OutputStream console, String line) {
        if (console == null) {
            return;
        }
        try {
            console.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            console.flush();
        } catch (java.io.IOException e) {
            // The step's console is gone: the failure still says which agent went offline.
        }
    }
}
