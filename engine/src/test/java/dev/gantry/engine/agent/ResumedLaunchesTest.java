package dev.gantry.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.step.NodeLostException;
import dev.gantry.engine.run.StepJournal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A process task a step had handed to an agent before the controller restarted is re-attached
 * or fails as its agent gone offline, and is never handed out again.
 */
class ResumedLaunchesTest {
    private static RemoteAgent connected(String name, String instance) {
        RemoteAgent a = new RemoteAgent(name, List.of("work"), 2, "hash");
        a.connect("session-" + instance, instance, Map.of());
        return a;
    }

    private static TaskCall reattachOnly(String id, java.io.OutputStream out) {
        TaskCall call = new TaskCall(new Task(id, "process", Map.of("command", List.of("true"))), "app", 7, out, null, null, null);
        call.reattachOnly();
        return call;
    }

    @Test
    void aTaskTheAgentNoLongerHasFailsAsTheAgentWentOfflineAndIsNotHandedOut() {
        RemoteAgent a = connected("a1", "second");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        TaskCall call = reattachOnly("s-1", out);
        a.submit(call);
        Map<String, Object> work = a.work(Set.of("s-other"));
        assertTrue(call.done());
        NodeLostException e = assertThrows(NodeLostException.class, call::await);
        assertEquals("agent a1 went offline during this step", e.getMessage());
        assertEquals(List.of(), work == null ? List.of() : work.get("tasks"), "not started again: " + work);
        assertFalse(call.wasDelivered());
        assertEquals("Resuming: agent a1 no longer has this step's process from before the controller restarted; its output from then"
                + " is lost\n", out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aTaskTheAgentStillHasIsReattachedNotHandedOut() {
        RemoteAgent a = connected("a1", "first");
        TaskCall call = reattachOnly("s-1", null);
        a.submit(call);
        Map<String, Object> work = a.work(Set.of("s-1"));
        assertFalse(call.done());
        assertEquals(List.of(), work.get("tasks"));
        assertEquals(List.of("s-1"), work.get("reattach"));
    }

    @Test
    void aLaunchIsReattachableOnlyOnTheSameAgentProcess() {
        StepJournal.Launch before = new StepJournal.Launch("a1", "first");
        ResumedLaunches.check(before, connected("a1", "first"), "s-1", "app", 7, "0/1", null);
        ResumedLaunches.check(new StepJournal.Launch("a1", null), connected("a1", "second"), "s-1", "app", 7, "0/1", null);
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        NodeLostException restarted = assertThrows(NodeLostException.class,
                () -> ResumedLaunches.check(before, connected("a1", "second"), "s-1", "app", 7, "0/1", console));
        assertEquals("agent a1 went offline during this step", restarted.getMessage());
        assertEquals("Resuming: agent a1 restarted while the controller was down, and this step's process died with it; its output from"
                + " before the restart is lost\n", console.toString(java.nio.charset.StandardCharsets.UTF_8));
        NodeLostException elsewhere = assertThrows(NodeLostException.class,
                () -> ResumedLaunches.check(before, connected("b1", "first"), "s-1", "app", 7, "0/1", null));
        assertEquals("agent a1 went offline during this step", elsewhere.getMessage());
    }
}
