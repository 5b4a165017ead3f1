package dev.gantry.engine.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildStatus;
import dev.gantry.engine.store.StageRow;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BuildsApiTest {
    private Api api;

    @BeforeEach
    void start() throws IOException {
        api = new Api();
        assertEquals(201, api.putJob("team-a/api", "pipeline { }").statusCode());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private int trigger(String job) {
        HttpResponse<String> r = api.send("POST", "/api/v1/jobs/" + job + "/builds", null);
        assertEquals(201, r.statusCode(), r.body());
        return Api.json(r).get("number").asInt();
    }

    @Test
    void triggerAnswers201WithNumberAndLocation() {
        HttpResponse<String> r = api.send("POST", "/api/v1/jobs/team-a/api/builds", "{\"parameters\": {\"GREETING\": \"hi\", \"COUNT\": 3, \"DRY\": true}}");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("{\"number\":1}", r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.endsWith("/api/v1/jobs/team-a/api/builds/1"), location);
        assertEquals(200, api.send(api.request(java.net.URI.create(location).getRawPath()).GET().build()).statusCode());
        BuildRecord b = api.controller.build("team-a/api", 1).orElseThrow();
        assertEquals(Map.of("GREETING", "hi", "COUNT", 3, "DRY", true), b.parameters());
        assertEquals("Started by REST API", b.cause());
        assertEquals(2, trigger("team-a/api"));
        assertEquals(201, api.send("POST", "/api/v1/jobs/team-a/api/builds", "{}").statusCode());
    }

    @Test
    void triggerOfUnknownJobIs404AndBadBodyIs400() {
        HttpResponse<String> r = api.send("POST", "/api/v1/jobs/nope/builds", null);
        assertEquals(404, r.statusCode());
        assertEquals("not_found", Api.json(r).get("code").asText());
        assertEquals(400, api.send("POST", "/api/v1/jobs/team-a/api/builds", "{\"params\": {}}").statusCode());
        assertEquals(400, api.send("POST", "/api/v1/jobs/team-a/api/builds", "{\"parameters\": [1]}").statusCode());
        assertEquals(400, api.send("POST", "/api/v1/jobs/%2e%2e/builds", null).statusCode());
    }

    @Test
    void jobDeletedWhileTriggeringIs404() {
        api.controller.beforeTrigger(() -> api.controller.deleteJob("team-a/api"));
        HttpResponse<String> r = api.send("POST", "/api/v1/jobs/team-a/api/builds", null);
        assertEquals(404, r.statusCode(), r.body());
        assertEquals("not_found", Api.json(r).get("code").asText());
        assertEquals("no job team-a/api", Api.json(r).get("message").asText());
    }

    @Test
    void buildAnswersTheDocumentedShape() {
        trigger("team-a/api");
        JsonNode queued = Api.json(api.get("/api/v1/jobs/team-a/api/builds/1"));
        Set<String> fields = new TreeSet<>();
        queued.fieldNames().forEachRemaining(fields::add);
        assertEquals(new TreeSet<>(List.of("number", "status", "result", "durationMillis", "stages", "tests", "artifacts",
                "parameters", "cause", "causes", "queuedAt", "startedAt", "reports")), fields);
        assertEquals("QUEUED", queued.get("status").asText());
        assertTrue(queued.get("result").isNull());
        assertTrue(queued.get("startedAt").isNull());

        BuildRecord q = api.controller.build("team-a/api", 1).orElseThrow();
        Instant started = Instant.parse("2026-01-02T03:04:05.678Z");
        api.controller.update(new BuildRecord("team-a/api", 1, BuildStatus.COMPLETED, "UNSTABLE", q.queuedAt(), started, 4321,
                Map.of("X", "1"), List.of(new StageRow("Build", null, "SUCCESS", 1000), new StageRow("unit", "Build", "UNSTABLE", 300)),
                Map.of("total", 10, "failed", 1, "skipped", 2, "passed", 7), List.of("a.jar", "docs/b.txt"), "Started by REST API"));
        JsonNode done = Api.json(api.get("/api/v1/jobs/team-a/api/builds/1"));
        assertEquals(1, done.get("number").asInt());
        assertEquals("COMPLETED", done.get("status").asText());
        assertEquals("UNSTABLE", done.get("result").asText());
        assertEquals(4321, done.get("durationMillis").asLong());
        assertEquals("2026-01-02T03:04:05.678Z", done.get("startedAt").asText());
        assertEquals(q.queuedAt().toString(), done.get("queuedAt").asText());
        assertEquals("{\"name\":\"unit\",\"parent\":\"Build\",\"result\":\"UNSTABLE\",\"durationMillis\":300}", done.get("stages").get(1).toString());
        assertTrue(done.get("stages").get(0).get("parent").isNull());
        assertEquals(10, done.get("tests").get("total").asInt());
        assertEquals(7, done.get("tests").get("passed").asInt());
        assertEquals("[\"a.jar\",\"docs/b.txt\"]", done.get("artifacts").toString());
        assertEquals("{\"X\":\"1\"}", done.get("parameters").toString());
        assertEquals("[{\"type\":\"hudson.model.Cause$UserIdCause\",\"shortDescription\":\"Started by REST API\"}]", done.get("causes").toString());
    }

    @Test
    void unknownBuildOrJobIs404() {
        assertEquals(404, api.get("/api/v1/jobs/team-a/api/builds/7").statusCode());
        assertEquals(404, api.get("/api/v1/jobs/nope/builds/1").statusCode());
        assertEquals(404, api.get("/api/v1/jobs/nope/builds").statusCode());
        assertEquals(404, api.get("/api/v1/jobs/team-a/api/builds/7/log").statusCode());
        assertEquals(404, api.send("POST", "/api/v1/jobs/team-a/api/builds/7/stop", null).statusCode());
        assertTrue(Api.json(api.get("/api/v1/jobs/team-a/api/builds/7")).get("message").asText().contains("#7"));
    }

    @Test
    void buildsArePagedNewestFirst() {
        for (int i = 0; i < 60; i++) {
            trigger("team-a/api");
        }
        JsonNode first = Api.json(api.get("/api/v1/jobs/team-a/api/builds"));
        assertEquals(50, first.get("builds").size(), "default limit");
        assertEquals(60, first.get("builds").get(0).get("number").asInt());
        assertEquals(11, first.get("builds").get(49).get("number").asInt());
        JsonNode page = Api.json(api.get("/api/v1/jobs/team-a/api/builds?offset=55&limit=10"));
        List<Integer> numbers = new ArrayList<>();
        page.get("builds").forEach(b -> numbers.add(b.get("number").asInt()));
        assertEquals(List.of(5, 4, 3, 2, 1), numbers);
        assertEquals(55, page.get("offset").asInt());
        assertEquals(500, Api.json(api.get("/api/v1/jobs/team-a/api/builds?limit=100000")).get("limit").asInt());
        assertEquals(60, Api.json(api.get("/api/v1/jobs/team-a/api/builds?limit=100000")).get("builds").size());
        for (String bad : List.of("offset=-1", "limit=0", "limit=x", "offset=1e3", "limit=99999999999")) {
            HttpResponse<String> r = api.get("/api/v1/jobs/team-a/api/builds?" + bad);
            assertEquals(400, r.statusCode(), bad);
            assertEquals("invalid_parameter", Api.json(r).get("code").asText());
        }
    }

    @Test
    void logAnswersRangesWithTextSizeAndMoreDataWhileRunning() {
        trigger("team-a/api");
        api.controller.appendLog("team-a/api", 1, "héllo\n");
        HttpResponse<String> r = api.get("/api/v1/jobs/team-a/api/builds/1/log");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain;charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow().replace(" ", "").toLowerCase());
        assertEquals("héllo\n", r.body());
        long size = "héllo\n".getBytes(StandardCharsets.UTF_8).length;
        assertEquals(Long.toString(size), r.headers().firstValue("X-Text-Size").orElseThrow());
        assertEquals("true", r.headers().firstValue("X-More-Data").orElseThrow());

        api.controller.appendLog("team-a/api", 1, "world\n");
        HttpResponse<String> next = api.get("/api/v1/jobs/team-a/api/builds/1/log?start=" + size);
        assertEquals("world\n", next.body());
        assertEquals(Long.toString(size + 6), next.headers().firstValue("X-Text-Size").orElseThrow());

        api.controller.stop("team-a/api", 1);
        HttpResponse<String> end = api.get("/api/v1/jobs/team-a/api/builds/1/log?start=" + (size + 6));
        assertEquals("", end.body());
        assertFalse(end.headers().firstValue("X-More-Data").isPresent(), end.headers().toString());
        assertEquals("", api.get("/api/v1/jobs/team-a/api/builds/1/log?start=999999").body());
        assertEquals(400, api.get("/api/v1/jobs/team-a/api/builds/1/log?start=-1").statusCode());
        assertEquals(400, api.get("/api/v1/jobs/team-a/api/builds/1/log?start=abc").statusCode());
    }

    @Test
    void logOfQueuedBuildIsEmpty() {
        trigger("team-a/api");
        HttpResponse<String> r = api.get("/api/v1/jobs/team-a/api/builds/1/log");
        assertEquals(200, r.statusCode());
        assertEquals("", r.body());
        assertEquals("0", r.headers().firstValue("X-Text-Size").orElseThrow());
    }

    @Test
    void stopAnswers202Then409() {
        trigger("team-a/api");
        HttpResponse<String> r = api.send("POST", "/api/v1/jobs/team-a/api/builds/1/stop", null);
        assertEquals(202, r.statusCode(), r.body());
        assertEquals("ABORTED", api.controller.build("team-a/api", 1).orElseThrow().result());
        HttpResponse<String> again = api.send("POST", "/api/v1/jobs/team-a/api/builds/1/stop", null);
        assertEquals(409, again.statusCode());
        assertEquals("not_running", Api.json(again).get("code").asText());
    }

    @Test
    void buildsOfAJobNamedLikeASubResourceAreReachable() {
        assertEquals(201, api.putJob("x/builds/3", "s").statusCode());
        assertEquals(201, api.putJob("x", "s").statusCode());
        assertEquals(1, trigger("x/builds/3"));
        assertEquals(1, trigger("x"));
        assertEquals(2, trigger("x"), "second trigger");
        assertEquals(2, Api.json(api.get("/api/v1/jobs/x/builds")).get("builds").size());
        assertEquals(1, Api.json(api.get("/api/v1/jobs/x/builds/3/builds")).get("builds").size());
        assertEquals("QUEUED", Api.json(api.get("/api/v1/jobs/x/builds/3/builds/1")).get("status").asText());
        assertEquals("s", Api.json(api.get("/api/v1/jobs/x/builds%2F3")).get("script").asText());
        assertEquals(404, api.get("/api/v1/jobs/x/builds/3").statusCode(), "build 3 of job x");
    }

    @Test
    void artifactsDownloadAsAttachmentsSinglyAndAsAZip() throws Exception {
        trigger("team-a/api");
        api.controller.artifacts.put("team-a/api#1", Map.of("dist/app <1>.txt", "app".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        HttpResponse<String> one = api.get("/api/v1/jobs/team-a/api/builds/1/artifacts/dist/app%20%3C1%3E.txt");
        assertEquals(200, one.statusCode(), one.body());
        assertEquals("app", one.body());
        String disposition = one.headers().firstValue("Content-Disposition").orElseThrow();
        assertTrue(disposition.startsWith("attachment; filename=\"app__1_.txt\"; filename*=UTF-8''app%20%3C1%3E.txt"), disposition);
        assertEquals("application/octet-stream", one.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(404, api.get("/api/v1/jobs/team-a/api/builds/1/artifacts/dist/other.txt").statusCode());
        assertEquals(404, api.get("/api/v1/jobs/team-a/api/builds/9/artifacts/dist/app.txt").statusCode());
        assertEquals(400, api.get("/api/v1/jobs/team-a/api/builds/1/artifacts/%2e%2e/%2e%2e/etc/passwd").statusCode());
        HttpResponse<String> zip = api.get("/api/v1/jobs/team-a/api/builds/1/artifacts.zip");
        assertEquals(200, zip.statusCode());
        assertTrue(zip.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment;"));
    }
}
