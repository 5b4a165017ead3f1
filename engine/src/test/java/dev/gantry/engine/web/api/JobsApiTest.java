package dev.gantry.engine.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobsApiTest {
    private Api api;

    @BeforeEach
    void start() throws IOException {
        api = new Api();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static Set<String> fields(JsonNode n) {
        Set<String> s = new TreeSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        JsonNode n = Api.json(r);
        assertEquals(code, n.path("code").asText(), r.body());
        assertFalse(n.path("message").asText().isBlank(), r.body());
        assertFalse(r.body().contains("\tat "), "stack trace in " + r.body());
    }

    @Test
    void putCreatesWith201ThenReplacesWith200() {
        HttpResponse<String> created = api.putJob("team-a/api", "pipeline { }");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode job = Api.json(created);
        assertEquals(Set.of("name", "version", "created", "updated"), fields(job));
        assertEquals("team-a/api", job.get("name").asText());
        assertEquals(1, job.get("version").asLong());
        Instant.parse(job.get("created").asText());
        assertTrue(created.headers().firstValue("Location").orElseThrow().endsWith("/api/v1/jobs/team-a/api"), created.headers().toString());

        HttpResponse<String> replaced = api.putJob("team-a/api", "pipeline { agent any }");
        assertEquals(200, replaced.statusCode(), replaced.body());
        assertEquals(2, Api.json(replaced).get("version").asLong());

        JsonNode read = Api.json(api.get("/api/v1/jobs/team-a/api"));
        assertEquals(Set.of("name", "version", "created", "updated", "script", "description", "parameters", "options", "triggers"), fields(read));
        assertEquals("pipeline { agent any }", read.get("script").asText());
    }

    @Test
    void listShowsEveryJobWithoutScripts() {
        api.putJob("b", "x");
        api.putJob("a/c", "y");
        HttpResponse<String> r = api.get("/api/v1/jobs");
        assertEquals(200, r.statusCode());
        JsonNode jobs = Api.json(r).get("jobs");
        assertEquals(2, jobs.size());
        assertEquals("a/c", jobs.get(0).get("name").asText());
        assertEquals(Set.of("name", "version", "created", "updated"), fields(jobs.get(0)));
    }

    @Test
    void invalidPipelineAnswers400WithEveryProblem() {
        HttpResponse<String> r = api.putJob("bad", "pipeline {\n  SYNTAX here SYNTAX\n}");
        assertEquals(400, r.statusCode(), r.body());
        JsonNode errors = Api.json(r).get("errors");
        assertEquals(2, errors.size(), r.body());
        assertEquals(Set.of("line", "column", "message"), fields(errors.get(0)));
        assertEquals(2, errors.get(0).get("line").asInt());
        assertEquals(3, errors.get(0).get("column").asInt());
        assertEquals(15, errors.get(1).get("column").asInt());
        assertEquals("unexpected token 'SYNTAX'", errors.get(0).get("message").asText());
        assertEquals(404, api.get("/api/v1/jobs/bad").statusCode());
    }

    @Test
    void staleVersionAnswers409AndCurrentVersionSucceeds() {
        api.putJob("j", "one");
        api.putJob("j", "two");
        HttpResponse<String> stale = api.send("PUT", "/api/v1/jobs/j", "{\"script\": \"three\", \"version\": 1}");
        assertError(stale, 409, "stale_version");
        assertTrue(Api.json(stale).get("message").asText().contains("version 2"), stale.body());
        assertEquals(200, api.send("PUT", "/api/v1/jobs/j", "{\"script\": \"three\", \"version\": 2}").statusCode());
        assertError(api.send("PUT", "/api/v1/jobs/new", "{\"script\": \"x\", \"version\": 3}"), 409, "stale_version");
        assertEquals(201, api.send("PUT", "/api/v1/jobs/new", "{\"script\": \"x\", \"version\": 0}").statusCode());
        assertError(api.send("PUT", "/api/v1/jobs/new", "{\"script\": \"x\", \"version\": 0}"), 409, "stale_version");
    }

    @Test
    void deleteAnswers204ThenNotFound() {
        api.putJob("folder/gone", "x");
        HttpResponse<String> r = api.send("DELETE", "/api/v1/jobs/folder/gone", null);
        assertEquals(204, r.statusCode());
        assertEquals("", r.body());
        assertError(api.send("DELETE", "/api/v1/jobs/folder/gone", null), 404, "not_found");
        assertError(api.get("/api/v1/jobs/folder/gone"), 404, "not_found");
    }

    @Test
    void unicodeNamesWork() {
        HttpResponse<String> r = api.putJob("%C3%A9quipe/api", "x");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("équipe/api", Api.json(r).get("name").asText());
        assertEquals("équipe/api", Api.json(api.get("/api/v1/jobs/%C3%A9quipe/api")).get("name").asText());
        assertTrue(r.headers().firstValue("Location").orElseThrow().endsWith("/api/v1/jobs/%C3%A9quipe/api"), r.headers().toString());
        assertEquals(201, api.putJob("with%20space", "x").statusCode());
        assertEquals("with space", Api.json(api.get("/api/v1/jobs/with%20space")).get("name").asText());
    }

    @Test
    void hostileNamesAre400AndCreateNothing() {
        List<String> hostile = List.of("../x", "%2e%2e/x", "%2E%2E/x", "..%2fx", "..%2Fx", "a/../b", "a/./b", "a/%2e/b", ".%2e/x",
                "%3Cimg%20src=x%20onerror=alert(1)%3E", "a%00b", "a%0Ab", "a%1Fb", "a%7Fb", "x".repeat(2000),
                "%252e%252e/x", "a//b", "a%5C..%5Cb", "a;b");
        for (String name : hostile) {
            HttpResponse<String> put = api.putJob(name, "x");
            assertEquals(400, put.statusCode(), name + ": " + put.body());
            assertTrue(put.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), name + ": " + put.headers());
            JsonNode body = Api.json(put);
            assertFalse(body.path("message").asText().isBlank(), name + ": " + put.body());
            assertFalse(put.body().contains("<img"), "markup echoed raw for " + name + ": " + put.body());
            assertEquals(400, api.get("/api/v1/jobs/" + name).statusCode(), name);
        }
        assertEquals(0, Api.json(api.get("/api/v1/jobs")).get("jobs").size());
        assertEquals("invalid_name", Api.json(api.putJob("x".repeat(2000), "x")).get("code").asText());
    }

    @Test
    void encodedSlashIsPartOfTheNameAndNeverARouteSeparator() {
        assertEquals(201, api.putJob("a%2Fb", "x").statusCode());
        assertEquals("a/b", Api.json(api.get("/api/v1/jobs/a/b")).get("name").asText());
        // a job whose last part is literally "builds": PUT and DELETE always name the whole path,
        // GET and POST reach it with the last separator encoded.
        assertEquals(201, api.putJob("team/builds", "job script").statusCode());
        assertEquals("job script", Api.json(api.get("/api/v1/jobs/team%2Fbuilds")).get("script").asText());
        assertEquals(405, api.send("POST", "/api/v1/jobs/team%2Fbuilds", null).statusCode(), "POST on a job itself");
        assertEquals(201, api.send("POST", "/api/v1/jobs/team/builds/builds", null).statusCode());
        assertEquals(404, api.get("/api/v1/jobs/team/builds").statusCode(), "builds of the missing job 'team'");
        HttpResponse<String> list = api.get("/api/v1/jobs/team/builds/builds");
        assertEquals(200, list.statusCode(), list.body());
        assertEquals(1, Api.json(list).get("builds").size());
        assertEquals(204, api.send("DELETE", "/api/v1/jobs/team/builds", null).statusCode());
    }

    @Test
    void malformedJsonSaysWhatAndWhere() {
        HttpResponse<String> r = api.send("PUT", "/api/v1/jobs/j", "{\"script\": \"x\",\n  oops}");
        assertError(r, 400, "malformed_json");
        assertTrue(Api.json(r).get("message").asText().contains("line 2"), r.body());
        HttpResponse<String> unknown = api.send("PUT", "/api/v1/jobs/j", "{\"script\": \"x\", \"scirpt\": 1}");
        assertError(unknown, 400, "unknown_property");
        assertTrue(Api.json(unknown).get("message").asText().contains("'scirpt'"), unknown.body());
        HttpResponse<String> number = api.send("PUT", "/api/v1/jobs/j", "{\"script\": 5}");
        assertError(number, 400, "invalid_json");
        assertEquals("'script' must be a string at line 1, column 12", Api.json(number).get("message").asText());
        assertError(api.send("PUT", "/api/v1/jobs/j", "{\"script\": \"x\", \"version\": \"2\"}"), 400, "invalid_json");
        assertError(api.send("PUT", "/api/v1/jobs/j", "[1]"), 400, "invalid_json");
        assertError(api.send("PUT", "/api/v1/jobs/j", "{\"script\": \"x\"} {}"), 400, "malformed_json");
        assertError(api.send("PUT", "/api/v1/jobs/j", "{}"), 400, "missing_script");
        assertError(api.send("PUT", "/api/v1/jobs/j", ""), 400, "missing_body");
    }

    @Test
    void wrongMediaTypeMethodAndRouteAreJsonErrors() {
        assertError(api.send(api.request("/api/v1/jobs/j").header("Content-Type", "text/plain")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"script\":\"x\"}")).build()), 415, "unsupported_media_type");
        HttpResponse<String> notAllowed = api.send("PATCH", "/api/v1/jobs/j", "{}");
        assertError(notAllowed, 405, "method_not_allowed");
        assertTrue(notAllowed.headers().firstValue("Allow").orElse("").contains("PUT"), notAllowed.headers().toString());
        assertError(api.send("DELETE", "/api/v1/jobs", null), 405, "method_not_allowed");
        assertError(api.get("/nothing/here"), 404, "not_found");
        assertError(api.get("/api/v1/nothing"), 404, "not_found");
        assertError(api.get("/api/v2/jobs"), 404, "not_found");
    }

    @Test
    void unexpectedControllerFailureIs500WithoutDetails() {
        api.controller.setFailing(true);
        HttpResponse<String> r = api.get("/api/v1/jobs");
        assertError(r, 500, "internal_error");
        assertFalse(r.body().contains("secret"), r.body());
        assertFalse(r.body().contains("IllegalStateException"), r.body());
    }

    @Test
    void responsesNameNoServerSoftware() {
        HttpResponse<String> r = api.get("/api/v1/jobs");
        assertTrue(r.headers().firstValue("Server").isEmpty(), r.headers().toString());
        assertTrue(r.headers().firstValue("X-Powered-By").isEmpty(), r.headers().toString());
        HttpResponse<String> bad = api.get("/api/v1/jobs/%2e%2e/x");
        assertTrue(bad.headers().firstValue("Server").isEmpty(), bad.headers().toString());
        assertFalse(bad.body().toLowerCase().contains("jetty"), bad.body());
    }

    @Test
    void nullFieldsAreWrittenAsNull() {
        api.putJob("j", "x");
        api.send("POST", "/api/v1/jobs/j/builds", null);
        JsonNode b = Api.json(api.get("/api/v1/jobs/j/builds/1"));
        assertTrue(b.has("result") && b.get("result").isNull(), b.toString());
        assertNull(b.get("startedAt").textValue());
    }
}
