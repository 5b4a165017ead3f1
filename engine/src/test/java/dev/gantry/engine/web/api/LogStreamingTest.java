package dev.gantry.engine.web.api;

import dev.gantry.engine.testing.ControllerFixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log endpoints of the real controller over HTTP: server-sent events while a build runs,
 * resuming with Last-Event-ID, the step tree, one step's log, ranges, download headers, and
 * hostile bytes passed through exactly.
 */
class LogStreamingTest {
    @TempDir
    Path dir;
    ControllerFixture gantry;
    Path gate;

    @BeforeEach
    void start() throws Exception {
        gantry = ControllerFixture.start(dir.resolve("home"), 4);
        gate = dir.resolve("gate");
    }

    @AfterEach
    void stop() {
        gantry.close();
    }

    /** A pipeline that prints "first", waits until the test creates the gate file, then prints "second". */
    private String gated() {
        return "pipeline { agent any\n stages { stage('Build') { steps {\n"
                + "  sh 'echo first; while [ ! -f \"" + gate + "\" ]; do sleep 0.02; done; echo second'\n"
                + " } } } }\n";
    }

    private SseEvents stream(String path, String lastEventId) throws Exception {
        var req = gantry.request(path).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            req.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> r = gantry.client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), r.headers().toString());
        return new SseEvents(r.body());
    }

    /** Reads log events until one carries {@code needle}; returns the last id. */
    private static String readUntil(SseEvents events, String needle, ByteArrayOutputStream log) throws Exception {
        while (true) {
            SseEvents.Event e = events.next();
            assertNotNull(e, "the stream ended before '" + needle + "'");
            assertEquals("message", e.type(), e.toString());
            log.writeBytes(e.bytes());
            if (log.toString(StandardCharsets.UTF_8).contains(needle)) {
                return e.id();
            }
        }
    }

    private byte[] plainLog(String job, int n) {
        HttpResponse<byte[]> r = gantry.getBytes("/api/v1/jobs/" + job + "/builds/" + n + "/log");
        assertEquals(200, r.statusCode());
        return r.body();
    }

    @Test
    void eventsArriveWhileTheBuildRunsAndEndWithItsResult() throws Exception {
        gantry.putJob("team/api", gated());
        int n = gantry.trigger("team/api");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (SseEvents events = stream("/api/v1/jobs/team/api/builds/" + n + "/log/stream", null)) {
            readUntil(events, "first\n", log);
            assertEquals("RUNNING", gantry.json("/api/v1/jobs/team/api/builds/" + n).get("status").asText(),
                    "the line came before the build could finish");
            Files.createFile(gate);
            SseEvents.Event end = events.readToEnd(log);
            assertEquals("SUCCESS", end.json().get("result").asText());
            assertEquals(log.size(), end.json().get("size").asLong());
            assertTrue(end.json().get("error").isNull());
            assertEquals(null, events.next(), "the stream closes after the end event");
        }
        assertArrayEquals(plainLog("team/api", n), log.toByteArray());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("second\n"));
    }

    @Test
    void acceptEventStreamOnTheLogItselfStreamsToo() throws Exception {
        gantry.putJob("j", "pipeline { agent any\n stages { stage('S') { steps { echo 'hello' } } } }\n");
        int n = gantry.trigger("j");
        gantry.completed("j", n);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (SseEvents events = stream("/api/v1/jobs/j/builds/" + n + "/log", null)) {
            assertEquals("SUCCESS", events.readToEnd(log).json().get("result").asText());
        }
        assertArrayEquals(plainLog("j", n), log.toByteArray());
        HttpResponse<byte[]> text = gantry.getBytes("/api/v1/jobs/j/builds/" + n + "/log");
        assertTrue(text.headers().firstValue("Content-Type").orElseThrow().replace(" ", "").equalsIgnoreCase("text/plain;charset=UTF-8"),
                "without Accept: text/event-stream the log stays text/plain");
    }

    @Test
    void lastEventIdResumesWithoutGapsOrDuplicates() throws Exception {
        gantry.putJob("j", gated());
        int n = gantry.trigger("j");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        String id;
        try (SseEvents events = stream("/api/v1/jobs/j/builds/" + n + "/log/stream", null)) {
            id = readUntil(events, "first\n", log);
        }
        assertEquals(Long.toString(log.size()), id, "the id is the offset after the event's bytes");
        try (SseEvents events = stream("/api/v1/jobs/j/builds/" + n + "/log/stream", id)) {
            Files.createFile(gate);
            events.readToEnd(log);
        }
        assertArrayEquals(plainLog("j", n), log.toByteArray());
        // Resuming at the very end of a completed build gives just the end event.
        try (SseEvents events = stream("/api/v1/jobs/j/builds/" + n + "/log/stream", Integer.toString(log.size()))) {
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            assertEquals("SUCCESS", events.readToEnd(rest).json().get("result").asText());
            assertEquals(0, rest.size());
        }
        HttpResponse<byte[]> bad = gantry.send(gantry.request("/api/v1/jobs/j/builds/" + n + "/log/stream").header("Last-Event-ID", "x").build());
        assertEquals(400, bad.statusCode());
        assertTrue(new String(bad.body(), StandardCharsets.UTF_8).contains("Last-Event-ID"));
    }

    @Test
    void stepTreeListsStagesAndStepsAndOneStepsLogHasOnlyItsLines() throws Exception {
        gantry.putJob("p", "pipeline { agent any\n stages {\n stage('Test') { parallel {\n"
                + "  stage('A') { steps { sh 'for i in 1 2 3 4 5 6; do echo alpha$i; sleep 0.01; done' } }\n"
                + "  stage('B') { steps { sh 'for i in 1 2 3 4 5 6; do echo beta$i; sleep 0.01; done'\n echo 'beta done' } }\n"
                + " } } } }\n");
        int n = gantry.trigger("p");
        assertEquals("SUCCESS", gantry.completed("p", n).get("result").asText());
        JsonNode steps = gantry.json("/api/v1/jobs/p/builds/" + n + "/steps").get("steps");
        JsonNode a = node(steps, "stage", "A");
        JsonNode b = node(steps, "stage", "B");
        JsonNode test = node(steps, "stage", "Test");
        assertEquals(test.get("id").asText(), a.get("parent").asText());
        List<JsonNode> shs = new ArrayList<>();
        for (JsonNode s : steps) {
            if (s.get("kind").asText().equals("step") && s.get("name").asText().equals("sh")) {
                shs.add(s);
            }
            assertEquals("SUCCESS", s.get("status").asText(), s.toString());
            assertTrue(s.get("durationMillis").asLong() >= 0, s.toString());
            assertTrue(s.get("startedAt").asText().endsWith("Z"), s.toString());
        }
        assertEquals(2, shs.size(), steps.toString());
        JsonNode shA = shs.stream().filter(s -> s.get("stage").asText().equals(a.get("id").asText())).findFirst().orElseThrow();
        String alpha = new String(stepLog("p", n, shA.get("id").asText()).body(), StandardCharsets.UTF_8);
        for (int i = 1; i <= 6; i++) {
            assertTrue(alpha.contains("alpha" + i + "\n"), alpha);
        }
        assertFalse(alpha.contains("beta"), alpha);
        assertEquals(alpha.length(), shA.get("logBytes").asLong());
        String stageB = new String(stepLog("p", n, b.get("id").asText()).body(), StandardCharsets.UTF_8);
        assertTrue(stageB.contains("beta6\n") && stageB.contains("beta done\n"), stageB);
        assertFalse(stageB.contains("alpha"), stageB);
        String whole = new String(stepLog("p", n, test.get("id").asText()).body(), StandardCharsets.UTF_8);
        assertTrue(whole.contains("alpha3") && whole.contains("beta3"), whole);
        HttpResponse<byte[]> missing = stepLog("p", n, "no-such-step");
        assertEquals(404, missing.statusCode());
        assertTrue(new String(missing.body(), StandardCharsets.UTF_8).contains("no-such-step"));
    }

    private static JsonNode node(JsonNode steps, String kind, String name) {
        for (JsonNode s : steps) {
            if (s.get("kind").asText().equals(kind) && s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no " + kind + " '" + name + "' in " + steps);
    }

    private HttpResponse<byte[]> stepLog(String job, int n, String id) {
        StringBuilder path = new StringBuilder();
        for (String part : id.split("/", -1)) {
            path.append(path.length() == 0 ? "" : "/").append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return gantry.getBytes("/api/v1/jobs/" + job + "/builds/" + n + "/steps/" + path + "/log");
    }

    @Test
    void downloadIsAnAttachmentWithASafeName() throws Exception {
        gantry.putJob("team/api", "pipeline { agent any\n stages { stage('S') { steps { echo 'x' } } } }\n");
        int n = gantry.trigger("team/api");
        gantry.completed("team/api", n);
        HttpResponse<byte[]> r = gantry.getBytes("/api/v1/jobs/team/api/builds/" + n + "/log?download=true");
        assertEquals(200, r.statusCode());
        assertEquals("attachment; filename=\"team-api-" + n + ".log\"", r.headers().firstValue("Content-Disposition").orElseThrow());
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertArrayEquals(plainLog("team/api", n), r.body());
        assertEquals("team-api-1.log", LogsResource.fileName("team/api-1") + ".log");
        assertEquals("_-x_script_-1", LogsResource.fileName("../x<script>-1"));
    }

    @Test
    void rangesAndOffsetsAnswerWithSizeAndMoreDataHeaders() throws Exception {
        gantry.putJob("j", gated());
        int n = gantry.trigger("j");
        awaitRunningWithLog("j", n, 1);
        HttpResponse<byte[]> running = gantry.getBytes("/api/v1/jobs/j/builds/" + n + "/log");
        assertEquals("true", running.headers().firstValue("X-Gantry-More-Data").orElseThrow());
        assertEquals(Long.toString(running.body().length), running.headers().firstValue("X-Gantry-Next-Offset").orElseThrow());
        Files.createFile(gate);
        gantry.completed("j", n);
        byte[] all = plainLog("j", n);
        HttpResponse<byte[]> done = gantry.getBytes("/api/v1/jobs/j/builds/" + n + "/log?start=5");
        assertEquals("false", done.headers().firstValue("X-Gantry-More-Data").orElseThrow());
        assertEquals(Integer.toString(all.length), done.headers().firstValue("X-Gantry-Log-Size").orElseThrow());
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 5, all.length), done.body());

        HttpResponse<byte[]> first = gantry.send(gantry.request("/api/v1/jobs/j/builds/" + n + "/log").header("Range", "bytes=0-4").build());
        assertEquals(206, first.statusCode());
        assertEquals("bytes 0-4/" + all.length, first.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(java.util.Arrays.copyOf(all, 5), first.body());
        HttpResponse<byte[]> last = gantry.send(gantry.request("/api/v1/jobs/j/builds/" + n + "/log").header("Range", "bytes=-3").build());
        assertArrayEquals(java.util.Arrays.copyOfRange(all, all.length - 3, all.length), last.body());
        HttpResponse<byte[]> after = gantry.send(gantry.request("/api/v1/jobs/j/builds/" + n + "/log").header("Range", "bytes=" + all.length + "-").build());
        assertEquals(416, after.statusCode());
        assertEquals("bytes */" + all.length, after.headers().firstValue("Content-Range").orElseThrow());
    }

    @Test
    void hostileBytesPassThroughExactlyAsPlainText() throws Exception {
        byte[] hostile = ("\u001b[31mred\u001b[0m <script>alert(1)</script> &amp; ").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.writeBytes(hostile);
        line.writeBytes(new byte[] {0, 1, (byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) 0x28, (byte) 0x9b, '\r', '\n'});
        Path file = dir.resolve("hostile.bin");
        Files.write(file, line.toByteArray());
        gantry.putJob("h", "pipeline { agent any\n stages { stage('S') { steps { sh 'cat \"" + file + "\"' } } } }\n");
        int n = gantry.trigger("h");
        assertEquals("SUCCESS", gantry.completed("h", n).get("result").asText());
        HttpResponse<byte[]> r = gantry.getBytes("/api/v1/jobs/h/builds/" + n + "/log");
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().replace(" ", "").equalsIgnoreCase("text/plain;charset=UTF-8"));
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertTrue(indexOf(r.body(), line.toByteArray()) >= 0, "the log holds the bytes exactly");
        JsonNode sh = null;
        for (JsonNode s : gantry.json("/api/v1/jobs/h/builds/" + n + "/steps").get("steps")) {
            if (s.get("name").asText().equals("sh")) {
                sh = s;
            }
        }
        assertNotNull(sh);
        byte[] step = stepLog("h", n, sh.get("id").asText()).body();
        String trace = "+ cat " + file + "\n";
        assertEquals(trace.length() + line.size(), step.length, "the step's log is its shell trace and what it printed");
        assertArrayEquals(line.toByteArray(), java.util.Arrays.copyOfRange(step, trace.length(), step.length));
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        try (SseEvents events = stream("/api/v1/jobs/h/builds/" + n + "/log/stream", null)) {
            events.readToEnd(streamed);
        }
        assertArrayEquals(r.body(), streamed.toByteArray(), "events carry the same bytes (base64 where not UTF-8)");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void manyFollowersOfARunningBuildHoldNoServerThreadWhileIdle() throws Exception {
        gantry.putJob("j", gated());
        int n = gantry.trigger("j");
        awaitRunningWithLog("j", n, 1);
        int followers = 60;
        List<CompletableFuture<byte[]>> all = new ArrayList<>();
        List<SseEvents> opened = new ArrayList<>();
        for (int i = 0; i < followers; i++) {
            SseEvents events = stream("/api/v1/jobs/j/builds/" + n + "/log/stream", null);
            opened.add(events);
            readUntil(events, "first\n", new ByteArrayOutputStream());
        }
        long webThreads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("gantry-web")).count();
        assertTrue(webThreads < followers / 2, "the server holds " + webThreads + " threads for " + followers + " idle followers");
        Files.createFile(gate);
        for (SseEvents events : opened) {
            all.add(CompletableFuture.supplyAsync(() -> {
                try (events) {
                    ByteArrayOutputStream rest = new ByteArrayOutputStream();
                    assertEquals("SUCCESS", events.readToEnd(rest).json().get("result").asText());
                    return rest.toByteArray();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        for (CompletableFuture<byte[]> f : all) {
            assertTrue(new String(f.get(60, TimeUnit.SECONDS), StandardCharsets.UTF_8).contains("second\n"));
        }
    }

    /**
     * A completed build's stream ends at once, on the follower's thread, while Jersey may still be
     * setting the response up on the request thread: every one of many such streams, opened four
     * at a time, must still end with its end event (one once hung forever: the request stayed
     * suspended after the output was closed).
     */
    @Test
    void everyStreamOfACompletedBuildEnds() throws Exception {
        gantry.putJob("j", "pipeline { agent any\n stages { stage('S') { steps { echo 'hello' } } } }\n");
        int n = gantry.trigger("j");
        gantry.completed("j", n);
        byte[] expected = plainLog("j", n);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<byte[]>> all = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                all.add(CompletableFuture.supplyAsync(() -> {
                    try (SseEvents events = stream("/api/v1/jobs/j/builds/" + n + "/log/stream", null)) {
                        ByteArrayOutputStream log = new ByteArrayOutputStream();
                        assertEquals("SUCCESS", events.readToEnd(log).json().get("result").asText());
                        assertEquals(null, events.next(), "the stream closes after the end event");
                        return log.toByteArray();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            for (int i = 0; i < all.size(); i++) {
                try {
                    assertArrayEquals(expected, all.get(i).get(30, TimeUnit.SECONDS), "stream " + i);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("stream " + i + " of a completed build sent no end within 30 s", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The cause of that hang, checked directly: the follower of a completed build (which ends its
     * output at once) must not touch the output until it has been handed to Jersey. The hand-off
     * here takes half a second; the output must still be open and unwritten after it.
     */
    @Test
    void theFollowerStartsOnlyAfterTheOutputWasHandedOver() throws Exception {
        gantry.putJob("j", "pipeline { agent any\n stages { stage('S') { steps { echo 'hello' } } } }\n");
        int n = gantry.trigger("j");
        gantry.completed("j", n);
        var logs = gantry.controller.buildLogs().orElseThrow();
        var handed = new java.util.concurrent.atomic.AtomicReference<org.glassfish.jersey.server.ChunkedOutput<byte[]>>();
        LogEvents.open(gantry.controller, logs, "j", n, 0, false, out -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() < until) {
                assertFalse(out.isClosed(), "the follower closed the output before it was handed over");
                Thread.onSpinWait();
            }
            handed.set(out);
        });
        ControllerFixture.await(() -> handed.get().isClosed(), Duration.ofSeconds(10),
                () -> "the follower never ended the stream of a completed build");
    }

    /** Waits for the build to have at least {@code bytes} of log. */
    private void awaitRunningWithLog(String job, int number, long bytes) {
        String path = "/api/v1/jobs/" + job + "/builds/" + number + "/log";
        ControllerFixture.await(() -> gantry.getBytes(path).body().length >= bytes, Duration.ofSeconds(60),
                () -> job + " #" + number + " wrote no log: " + new String(gantry.getBytes(path).body()));
    }
}
