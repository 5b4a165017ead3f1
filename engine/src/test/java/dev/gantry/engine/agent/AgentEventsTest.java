package dev.gantry.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.testing.ControllerFixture;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protocol 3 over HTTP against a real controller: the binary events body (raw log chunks, their
 * order, duplicates, streams, malformed bodies) and events answers that carry the agent's next task.
 */
class AgentEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private record Agent(String name, String secret, String session) {
    }

    private Agent connect(ControllerFixture c, String name) throws Exception {
        AgentService.Created a = c.agents.create(name, List.of(), 2);
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("protocol", AgentProtocol.VERSION);
        hello.put("instance", "i-" + name);
        hello.put("os", "Linux");
        hello.put("workdir", "/tmp/x");
        HttpResponse<String> r = send(c, "connect", a.name(), a.secret(), null, "application/json", JSON.writeValueAsBytes(hello));
        assertEquals(200, r.statusCode(), r.body());
        return new Agent(a.name(), a.secret(), JSON.readTree(r.body()).get("session").asText());
    }

    private HttpRequest request(ControllerFixture c, String path, String name, String secret, String session, String type, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(c.url).resolve("api/agent/v1/" + path))
                .header("Content-Type", type).header("X-Gantry-Agent", name)
                .header("Authorization", "Bearer " + secret).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (session != null) {
            b.header("X-Gantry-Session", session);
        }
        return b.build();
    }

    private HttpResponse<String> send(ControllerFixture c, String path, String name, String secret, String session, String type, byte[] body)
            throws Exception {
        return http.send(request(c, path, name, secret, session, type, body), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode events(ControllerFixture c, Agent a, String path, Map<String, Object> header, TaskCall.Chunk... chunks) throws Exception {
        HttpResponse<String> r = send(c, path, a.name(), a.secret(), a.session(), EventFrames.MEDIA_TYPE,
                EventFrames.encodeToArray(header, List.of(chunks)));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode poll(ControllerFixture c, Agent a, long waitMillis, List<String> known) throws Exception {
        HttpResponse<String> r = send(c, "poll?wait=" + waitMillis, a.name(), a.secret(), a.session(), "application/json",
                JSON.writeValueAsBytes(Map.of("known", known)));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static TaskCall.Chunk chunk(long seq, String stream, String text) {
        return new TaskCall.Chunk(seq, stream, text.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> header(long seq, Object result, List<String> known) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("seq", seq);
        h.put("first", 0);
        h.put("result", result);
        if (known != null) {
            h.put("known", known);
        }
        return h;
    }

    private static TaskCall task(String id, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return new TaskCall(new Task(id, "process", Map.of("root", "w", "dir", "")), "job", 1, out, err, null, null);
    }

    @Test
    void binaryChunksAreLoggedOnceInOrderPerStreamAndTheResultIsTakenAfterTheLastOne() throws Exception {
        try (ControllerFixture c = ControllerFixture.in(dir.resolve("home")).agents(Duration.ofSeconds(10)).start()) {
            Agent a = connect(c, "a1");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            TaskCall call = task("t-1", out, err);
            ((RemoteAgent) c.agents.node("a1")).submit(call);
            assertEquals("t-1", poll(c, a, 5000, List.of()).get("tasks").get(0).get("id").asText());

            // Raw bytes, not text: every byte value arrives as it was sent.
            byte[] binary = new byte[256];
            for (int i = 0; i < binary.length; i++) {
                binary[i] = (byte) i;
            }
            JsonNode first = events(c, a, "tasks/t-1/events", header(0, null, null), chunk(0, "out", "one\n"),
                    chunk(1, "err", "warning\n"), new TaskCall.Chunk(2, "out", binary));
            assertEquals(3, first.get("ack").asInt());
            assertFalse(first.has("tasks"), "without a result the answer carries no work: " + first);

            Map<String, Object> result = Map.of("value", Map.of("exitCode", 0), "seqEnd", 5);
            JsonNode early = events(c, a, "tasks/t-1/events", header(4, result, null), chunk(4, "out", "five\n"));
            assertEquals(3, early.get("ack").asInt(), "a gap: the chunk after it is not written and the result not taken");
            assertFalse(call.done());

            JsonNode taken = events(c, a, "tasks/t-1/events", header(2, result, null), new TaskCall.Chunk(2, "out", binary),
                    chunk(3, "out", "four\n"), chunk(4, "out", "five\n"));
            assertEquals(5, taken.get("ack").asInt());
            assertTrue(call.done());
            assertEquals(Map.of("exitCode", 0), call.await());
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes("one\n".getBytes(StandardCharsets.UTF_8));
            expected.writeBytes(binary);
            expected.writeBytes("four\nfive\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of(expected.toByteArray().length, "warning\n"), List.of(out.size(), err.toString(StandardCharsets.UTF_8)));
            assertTrue(java.util.Arrays.equals(expected.toByteArray(), out.toByteArray()), "the chunk sent twice is written once");
        }
    }

    @Test
    void aBodyThatIsNotFramedIsRefusedNamingWhatIsWrongAndTheChunksBeforeTheFaultAreKept() throws Exception {
        try (ControllerFixture c = ControllerFixture.in(dir.resolve("home")).agents(Duration.ofSeconds(10)).start()) {
            Agent a = connect(c, "a1");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ((RemoteAgent) c.agents.node("a1")).submit(task("t-1", out, null));
            poll(c, a, 5000, List.of());

            // The body is read only once the call is authenticated.
            HttpResponse<String> stranger = send(c, "tasks/t-1/events", a.name(), "not-the-secret", a.session(), EventFrames.MEDIA_TYPE,
                    new byte[0]);
            assertEquals(401, stranger.statusCode(), stranger.body());
            HttpResponse<String> empty = send(c, "tasks/t-1/events", a.name(), a.secret(), a.session(), EventFrames.MEDIA_TYPE, new byte[0]);
            assertEquals(400, empty.statusCode());
            assertTrue(empty.body().contains("bad_events") && empty.body().contains("the events body is empty"), empty.body());

            byte[] whole = EventFrames.encodeToArray(header(0, null, null), List.of(chunk(0, "out", "kept\n"), chunk(1, "out", "cut off\n")));
            byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
            HttpResponse<String> broken = send(c, "tasks/t-1/events", a.name(), a.secret(), a.session(), EventFrames.MEDIA_TYPE, cut);
            assertEquals(400, broken.statusCode());
            assertTrue(broken.body().contains("ended inside chunk 1") && broken.body().contains("send them again from chunk 1"), broken.body());
            assertEquals("kept\n", out.toString(StandardCharsets.UTF_8));
        }
    }

    /** Sends a long poll that names only t-1 and waits until the controller has parked it. */
    private CompletableFuture<HttpResponse<String>> parkPoll(ControllerFixture c, Agent a, RemoteAgent agent) throws Exception {
        CompletableFuture<HttpResponse<String>> parked = http.sendAsync(request(c, "poll?wait=20000", a.name(), a.secret(), a.session(),
                "application/json", JSON.writeValueAsBytes(Map.of("known", List.of("t-1")))), HttpResponse.BodyHandlers.ofString());
        ControllerFixture.await(() -> agent.parked() == 1, Duration.ofSeconds(10), () -> "the long poll did not park");
        return parked;
    }

    /** As a build's next step: {@code next} is submitted once {@code first}'s result is taken. */
    private static void submitWhenDone(RemoteAgent agent, TaskCall first, TaskCall next) {
        Thread.ofVirtual().start(() -> {
            try {
                first.await();
                agent.submit(next);
            } catch (Exception e) {
                next.fail(e);
            }
        });
    }

    @Test
    void theAnswerToAResultCarriesTheNextTaskBeforeAParkedPollGetsIt() throws Exception {
        try (ControllerFixture c = ControllerFixture.in(dir.resolve("home")).agents(Duration.ofSeconds(10)).start()) {
            Handoff h = handOff(c);
            assertEquals(0, h.answer().get("ack").asInt());
            assertEquals("t-2", h.answer().get("tasks").get(0).get("id").asText(), h.answer().toString());
            assertFalse(h.parked().isDone(), "the long poll stays parked: the task went with the events answer");

            // With nothing to come, the answer comes after the wait with the acknowledgement, and
            // tells the agent to forget the task the controller no longer has (t-1): that alone
            // did not answer it early.
            long t0 = System.nanoTime();
            JsonNode last = events(c, h.a(), "tasks/t-2/events?wait=300", header(0, DONE, List.of("t-1", "t-2")));
            assertTrue(System.nanoTime() - t0 >= 250_000_000L, "it waited for a next task");
            assertEquals(0, last.get("ack").asInt());
            assertEquals(0, last.get("tasks").size(), last.toString());
            assertTrue(ids(last.get("cancel")).contains("t-1"), last.toString());
            assertEquals(Map.of("exitCode", 0), h.second().await());

            // A task submitted now goes to the long poll, as before.
            h.agent().submit(task("t-3", new ByteArrayOutputStream(), null));
            JsonNode polled = JSON.readTree(h.parked().get().body());
            assertEquals("t-3", polled.get("tasks").get(0).get("id").asText(), polled.toString());
        }
    }

    @Test
    void aCancelReachesTheAgentThroughTheLongPollAlsoForATaskThatCameWithAnEventsAnswer() throws Exception {
        try (ControllerFixture c = ControllerFixture.in(dir.resolve("home")).agents(Duration.ofSeconds(10)).start()) {
            // The long poll was parked before the agent had t-2: its known does not name it.
            Handoff h = handOff(c);
            assertEquals("t-2", h.answer().get("tasks").get(0).get("id").asText(), h.answer().toString());

            h.second().cancel();
            JsonNode polled = JSON.readTree(h.parked().get(10, java.util.concurrent.TimeUnit.SECONDS).body());
            assertTrue(ids(polled.get("cancel")).contains("t-2"), polled.toString());
            assertEquals(0, polled.get("tasks").size(), "a cancelled task is not handed out again: " + polled);
        }
    }

    /** The agent, its parked long poll, the second task, and the answer to the first task's result. */
    private record Handoff(Agent a, RemoteAgent agent, CompletableFuture<HttpResponse<String>> parked, TaskCall second, JsonNode answer) {
    }

    /** Agent a1 gets task t-1 by polling, parks its next long poll, then sends t-1's result with {@code ?wait}; t-2 is submitted when it is taken. */
    private Handoff handOff(ControllerFixture c) throws Exception {
        Agent a = connect(c, "a1");
        RemoteAgent agent = (RemoteAgent) c.agents.node("a1");
        TaskCall first = task("t-1", new ByteArrayOutputStream(), null);
        agent.submit(first);
        poll(c, a, 5000, List.of());
        // The agent's long poll is parked while its task runs.
        CompletableFuture<HttpResponse<String>> parked = parkPoll(c, a, agent);
        // The build's next step is submitted when the first task's result is taken: the answer
        // to that result waits for it.
        TaskCall second = task("t-2", new ByteArrayOutputStream(), null);
        submitWhenDone(agent, first, second);
        JsonNode answer = events(c, a, "tasks/t-1/events?wait=5000", header(0, DONE, List.of("t-1")));
        return new Handoff(a, agent, parked, second, answer);
    }

    /** A task's result: exit code 0, no chunks. */
    private static final Map<String, Object> DONE = Map.of("value", Map.of("exitCode", 0), "seqEnd", 0);

    private static List<String> ids(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
