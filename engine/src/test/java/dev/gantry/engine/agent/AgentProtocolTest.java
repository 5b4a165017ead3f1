package dev.gantry.engine.agent;

import dev.gantry.engine.testing.ControllerFixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protocol over HTTP against a real controller: refusals, long polls, duplicate chunks, task isolation. */
class AgentProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private HttpResponse<String> call(ControllerFixture c, String path, String name, String secret, String session, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(c.url).resolve("api/agent/v1/" + path))
                .header("Content-Type", "application/json").header("X-Gantry-Agent", name)
                .header("Authorization", "Bearer " + secret).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (session != null) {
            b.header("X-Gantry-Session", session);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> hello(String instance, int protocol) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", protocol);
        m.put("instance", instance);
        m.put("os", "Linux");
        m.put("workdir", "/tmp/x");
        return m;
    }

    @Test
    void wrongSecretsUnknownAgentsOtherVersionsAndSecondConnectionsAreRefusedClearly() throws Exception {
        try (ControllerFixture c = ControllerFixture.in(dir.resolve("home")).agents(Duration.ofSeconds(10)).start()) {
            AgentService.Created a = c.agents.create("a1", List.of("x"), 1);
            HttpResponse<String> wrong = call(c, "connect", "a1", "not-the-secret", null, hello("i1", AgentProtocol.VERSION));
            assertEquals(401, wrong.statusCode());
            assertTrue(wrong.body().contains("wrong secret for agent a1"), wrong.body());
            assertTrue(!wrong.body().contains(a.secret()));
            HttpResponse<String> unknown = call(c, "connect", "nobody", a.secret(), null, hello("i1", AgentProtocol.VERSION));
            assertEquals(401, unknown.statusCode());
            assertTrue(unknown.body().contains("agent-admin create nobody"), unknown.body());
            HttpResponse<String> version = call(c, "connect", "a1", a.secret(), null, hello("i1", 99));
            assertEquals(400, version.statusCode());
            assertTrue(version.body().contains("protocol_mismatch") && version.body().contains("speaks agent protocol " + AgentProtocol.VERSION), version.body());

            HttpResponse<String> first = call(c, "connect", "a1", a.secret(), null, hello("i1", AgentProtocol.VERSION));
            assertEquals(200, first.statusCode(), first.body());
            String session = JSON.readTree(first.body()).get("session").asText();
            HttpResponse<String> second = call(c, "connect", "a1", a.secret(), null, hello("i2", AgentProtocol.VERSION));
            assertEquals(409, second.statusCode());
            assertTrue(second.body().contains("already connected"), second.body());
            HttpResponse<String> again = call(c, "connect", "a1", a.secret(), null, hello("i1", AgentProtocol.VERSION));
            assertEquals(session, JSON.readTree(again.body()).get("session").asText(), "a retried handshake resumes the session");
            HttpResponse<String> stale = call(c, "heartbeat", "a1", a.secret(), "old-session", Map.of());
            assertEquals(410, stale.statusCode());
        }
    }

    @Test
    void aPollNamesItsTasksSoResentChunksAreWrittenOnceAndOtherAgentsCannotTouchTheTask() throws Exception {
        try (ControllerFixture c = ControllerFixture.in(dir.resolve("home")).agents(Duration.ofSeconds(10)).start()) {
            AgentService.Created a = c.agents.create("a1", List.of(), 1);
            AgentService.Created b = c.agents.create("b1", List.of(), 1);
            String sa = JSON.readTree(call(c, "connect", "a1", a.secret(), null, hello("i1", AgentProtocol.VERSION)).body()).get("session").asText();
            String sb = JSON.readTree(call(c, "connect", "b1", b.secret(), null, hello("i2", AgentProtocol.VERSION)).body()).get("session").asText();
            RemoteAgent agent = (RemoteAgent) c.agents.node("a1");
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            TaskCall task = new TaskCall(new Task("t-1", "process", Map.of("root", "w", "dir", "")), "job", 1, log, null, null, null);
            agent.submit(task);

            JsonNode poll = JSON.readTree(call(c, "poll?wait=5000", "a1", a.secret(), sa, Map.of("known", List.of())).body());
            assertEquals("t-1", poll.get("tasks").get(0).get("id").asText());
            JsonNode lost = JSON.readTree(call(c, "poll?wait=0", "a1", a.secret(), sa, Map.of("known", List.of())).body());
            assertEquals("t-1", lost.get("tasks").get(0).get("id").asText(), "a task whose poll answer was lost is sent again");
            JsonNode known = JSON.readTree(call(c, "poll?wait=0", "a1", a.secret(), sa, Map.of("known", List.of("t-1"))).body());
            assertEquals(0, known.get("tasks").size());

            Map<String, Object> chunk0 = Map.of("seq", 0, "stream", "out", "data", b64("one\n"));
            Map<String, Object> chunk1 = Map.of("seq", 1, "stream", "out", "data", b64("two\n"));
            assertEquals(404, call(c, "tasks/t-1/events", "b1", b.secret(), sb, Map.of("chunks", List.of(chunk0))).statusCode(),
                    "another agent cannot write to the task");
            assertEquals(1, JSON.readTree(call(c, "tasks/t-1/events", "a1", a.secret(), sa, Map.of("chunks", List.of(chunk0))).body()).get("ack").asInt());
            Map<String, Object> retried = new LinkedHashMap<>();
            retried.put("chunks", List.of(chunk0, chunk1));
            retried.put("result", Map.of("value", Map.of("exitCode", 0), "seqEnd", 2));
            assertEquals(2, JSON.readTree(call(c, "tasks/t-1/events", "a1", a.secret(), sa, retried).body()).get("ack").asInt());
            assertEquals("one\ntwo\n", log.toString(StandardCharsets.UTF_8));
            assertEquals(Map.of("exitCode", 0), task.await());
            assertEquals(404, call(c, "tasks/t-1/events", "a1", a.secret(), sa, retried).statusCode(), "a finished task is gone");
        }
    }

    @Test
    void stepTasksFromBeforeARestartWaitForTheGraceAreReattachedWhenClaimedAndKeptUntilReleased() throws Exception {
        try (ControllerFixture c = ControllerFixture.in(dir.resolve("home")).agents(Duration.ofSeconds(10))
                .reattachGrace(Duration.ofSeconds(3)).start()) {
            AgentService.Created a = c.agents.create("a1", List.of(), 1);
            String sa = JSON.readTree(call(c, "connect", "a1", a.secret(), null, hello("i1", AgentProtocol.VERSION)).body()).get("session").asText();
            String claimed = TaskIds.forStep("job", 7, "0/2", 0);
            String unclaimed = TaskIds.forStep("job", 7, "0/3", 0);
            assertEquals(claimed, TaskIds.forStep("job", 7, "0/2", 0), "the same step call gets the same id");
            List<String> known = List.of(claimed, unclaimed, "0123abcd-9");

            JsonNode first = JSON.readTree(call(c, "poll?wait=0", "a1", a.secret(), sa, Map.of("known", known)).body());
            assertEquals(List.of("0123abcd-9"), ids(first.get("cancel")), "only a task no build can claim is cancelled during the grace");
            HttpResponse<String> early = call(c, "tasks/" + claimed + "/events", "a1", a.secret(), sa, Map.of("chunks", List.of()));
            assertEquals(409, early.statusCode(), early.body());
            assertTrue(early.body().contains("task_unclaimed"), early.body());

            ByteArrayOutputStream log = new ByteArrayOutputStream();
            RemoteAgent agent = (RemoteAgent) c.agents.node("a1");
            TaskCall task = new TaskCall(new Task(claimed, "process", Map.of("root", "w", "dir", "")), "job", 7, log, null, null, null);
            task.retain(null);
            agent.submit(task);
            JsonNode claim = JSON.readTree(call(c, "poll?wait=5000", "a1", a.secret(), sa, Map.of("known", known)).body());
            assertEquals(0, claim.get("tasks").size(), "the agent has the task: it is not sent again");
            assertEquals(List.of(claimed), ids(claim.get("reattach")));

            Map<String, Object> chunk0 = Map.of("seq", 0, "stream", "out", "data", b64("one\n"));
            Map<String, Object> chunk1 = Map.of("seq", 1, "stream", "out", "data", b64("two\n"));
            Map<String, Object> tail = new LinkedHashMap<>();
            tail.put("chunks", List.of(chunk1));
            tail.put("result", Map.of("value", Map.of("exitCode", 0), "seqEnd", 2));
            JsonNode rewind = JSON.readTree(call(c, "tasks/" + claimed + "/events", "a1", a.secret(), sa, tail).body());
            assertEquals(0, rewind.get("ack").asInt(), "a re-attached task is read from its first chunk");
            assertTrue(!task.done(), "no result before every chunk arrived");
            Map<String, Object> all = new LinkedHashMap<>(tail);
            all.put("chunks", List.of(chunk0, chunk1));
            JsonNode taken = JSON.readTree(call(c, "tasks/" + claimed + "/events", "a1", a.secret(), sa, all).body());
            assertEquals(2, taken.get("ack").asInt());
            assertTrue(taken.get("keep").asBoolean(), "the agent keeps the task until its step is journaled");
            assertEquals(Map.of("exitCode", 0), task.await());
            assertEquals("one\ntwo\n", log.toString(StandardCharsets.UTF_8));
            assertTrue(JSON.readTree(call(c, "tasks/" + claimed + "/events", "a1", a.secret(), sa, all).body()).get("keep").asBoolean(),
                    "a retried result is acknowledged again");

            agent.release(task);
            ControllerFixture.await(() -> !c.agents.inGrace(), Duration.ofSeconds(20), () -> "the grace did not end");
            JsonNode after = JSON.readTree(call(c, "poll?wait=0", "a1", a.secret(), sa, Map.of("known", known)).body());
            assertEquals(java.util.Set.copyOf(known), java.util.Set.copyOf(ids(after.get("cancel"))),
                    "after the grace, unclaimed and released tasks are stopped or forgotten");
            assertEquals(404, call(c, "tasks/" + unclaimed + "/events", "a1", a.secret(), sa, Map.of("chunks", List.of())).statusCode());
        }
    }

    private static List<String> ids(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
