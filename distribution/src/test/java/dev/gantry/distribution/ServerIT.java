package dev.gantry.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller of the built distribution, over HTTP: a job from pipelines/, a build with
 * parameters, its log, stages, tests and artifacts; an invalid job; then a restart that finds it
 * all again.
 */
class ServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private Process server;
    private URI base;

    @AfterEach
    void stopServer() throws Exception {
        Gantry.stop(server);
    }

    private void start() throws Exception {
        Gantry.Server started = Gantry.startServer(dir.resolve("server-" + System.nanoTime() + ".log"),
                List.of("--home", dir.resolve("home").toString(), "--port", "0"));
        server = started.process();
        base = started.base();
        assertEquals(200, get("ready").statusCode());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(Gantry.request(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, Object body) throws Exception {
        return http.send(Gantry.request(base.resolve(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theFirstStartPrintsAGeneratedAdminPasswordOnceAndTheApiNeedsCredentials() throws Exception {
        Path log = dir.resolve("first.log");
        Gantry.Server first = Gantry.startServer(log, List.of("--home", dir.resolve("home").toString(), "--port", "0"),
                Map.of("GANTRY_ADMIN_PASSWORD", ""));
        server = first.process();
        base = first.base();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("created the user admin with the password (\\S+)").matcher(Gantry.read(log));
        assertTrue(m.find(), Gantry.read(log));
        String password = m.group(1);
        Path file = dir.resolve("home/secrets/initialAdminPassword");
        assertEquals(password, Files.readString(file).trim());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(base.resolve("api/v1/jobs")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"), anonymous.headers().toString());
        assertEquals("DENY", anonymous.headers().firstValue("X-Frame-Options").orElse(""));
        assertEquals(200, http.send(HttpRequest.newBuilder(base.resolve("health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(401, get("api/v1/jobs").statusCode(), "the tests' usual password was not set");

        Map<String, String> asAdmin = Map.of("GANTRY_AUTH", "admin:" + password);
        Gantry.Done token = Gantry.run(dir, 60, asAdmin, "token", "create", "cli", "--url", base.toString()).assertExit(0);
        String t = token.output().lines().filter(l -> l.startsWith("gantry_")).findFirst().orElseThrow();
        Gantry.run(dir, 60, Map.of("GANTRY_AUTH", "admin:" + t), "job", "list", "--url", base.toString()).assertExit(0);
        Gantry.run(dir, 60, Map.of("GANTRY_AUTH", ""), "job", "list", "--url", base.toString()).assertExit(2).assertOutput("HTTP 401");

        stopServer();
        Path second = dir.resolve("second.log");
        Gantry.Server again = Gantry.startServer(second, List.of("--home", dir.resolve("home").toString(), "--port", "0"),
                Map.of("GANTRY_ADMIN_PASSWORD", ""));
        server = again.process();
        assertTrue(!Gantry.read(second).contains("password"), "the password is shown once: " + Gantry.read(second));
        Gantry.run(dir, 60, Map.of("GANTRY_AUTH", "admin:" + t), "job", "list", "--url", again.base().toString()).assertExit(0);
    }

    @Test
    void aJobFromPipelinesRunsWithParametersAndSurvivesARestart() throws Exception {
        start();
        String script = Files.readString(Gantry.REPO.resolve("pipelines/parallel-test-matrix.groovy"));
        HttpResponse<String> put = send("PUT", "api/v1/jobs/team-a/matrix", Map.of("script", script));
        assertEquals(201, put.statusCode(), put.body());

        HttpResponse<String> invalid = send("PUT", "api/v1/jobs/team-a/broken", Map.of("script", "pipeline { agent any }"));
        assertEquals(400, invalid.statusCode(), invalid.body());
        JsonNode errors = JSON.readTree(invalid.body()).get("errors");
        assertTrue(errors.size() > 0 && errors.get(0).get("line").asInt() == 1 && errors.get(0).get("message").asText().contains("stages"), invalid.body());

        HttpResponse<String> trigger = send("POST", "api/v1/jobs/team-a/matrix/builds", Map.of("parameters", Map.of("LABEL", "release-candidate")));
        assertEquals(201, trigger.statusCode(), trigger.body());
        int number = JSON.readTree(trigger.body()).get("number").asInt();
        assertEquals(1, number);

        JsonNode build = waitForCompletion("api/v1/jobs/team-a/matrix/builds/1");
        assertEquals("SUCCESS", build.get("result").asText(), build.toString());
        assertEquals(10, build.get("tests").get("total").asInt(), build.toString());
        assertTrue(build.get("artifacts").toString().contains("reports/TEST-linux-17.xml"), build.toString());
        assertTrue(build.get("stages").toString().contains("\"parent\":\"Test\""), build.toString());
        HttpResponse<byte[]> artifact = http.send(Gantry.request(base.resolve(
                "api/v1/jobs/team-a/matrix/builds/1/artifacts/reports/TEST-linux-17.xml")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, artifact.statusCode());
        assertTrue(artifact.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment;"));
        assertTrue(new String(artifact.body(), java.nio.charset.StandardCharsets.UTF_8).contains("suite-linux-17"));
        HttpResponse<byte[]> zip = http.send(Gantry.request(base.resolve("api/v1/jobs/team-a/matrix/builds/1/artifacts.zip")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zip.statusCode());
        int entries = 0;
        try (var z = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip.body()))) {
            while (z.getNextEntry() != null) {
                entries++;
            }
        }
        assertEquals(5, entries);
        assertEquals(400, get("api/v1/jobs/team-a/matrix/builds/1/artifacts/%2e%2e/%2e%2e/%2e%2e/etc/passwd").statusCode());
        assertEquals(404, get("api/v1/jobs/team-a/matrix/builds/1/artifacts/reports/missing.xml").statusCode());
        String log = get("api/v1/jobs/team-a/matrix/builds/1/log").body();
        assertTrue(log.contains("test run release-candidate done") && log.contains("Finished: SUCCESS"), log);

        String metrics = get("metrics").body();
        assertTrue(metrics.contains("gantry_builds_completed_total{result=\"SUCCESS\"} 1"), metrics);
        assertTrue(metrics.contains("gantry_builds_started_total 1"), metrics);
        assertTrue(metrics.contains("gantry_executors_total 2"), metrics);
        assertTrue(metrics.contains("gantry_agents_online 1") && metrics.contains("gantry_agents_total 1"), metrics);
        assertTrue(metrics.contains("gantry_build_duration_seconds_count 1"), metrics);

        server.destroy();
        assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
        start();
        JsonNode again = JSON.readTree(get("api/v1/jobs/team-a/matrix/builds/1").body());
        assertEquals(build.get("result"), again.get("result"));
        assertEquals(build.get("stages"), again.get("stages"));
        assertEquals(build.get("tests"), again.get("tests"));
        assertEquals(log, get("api/v1/jobs/team-a/matrix/builds/1/log").body());
        assertEquals(200, get("api/v1/jobs/team-a/matrix").statusCode());
    }

    @Test
    void theCliAppliesJobsAndFollowsBuildsWithTheirExitCode() throws Exception {
        start();
        String url = base.toString();
        Path ok = dir.resolve("ok.groovy");
        Files.writeString(ok, "pipeline { agent any\n parameters { string(name: 'WHO', defaultValue: 'nobody') }\n"
                + " stages { stage('Greet') { steps { echo \"hello ${params.WHO}\" } } } }\n");
        Gantry.run(dir, 60, "job", "apply", ok.toString(), "--name", "cli/greet", "--url", url).assertExit(0).assertOutput("version 1");
        Gantry.run(dir, 120, "build", "cli/greet", "--param", "WHO=operator", "--follow", "--url", url)
                .assertExit(0).assertOutput("hello operator", "Finished: SUCCESS");
        Gantry.run(dir, 60, "log", "cli/greet#1", "--url", url).assertExit(0).assertOutput("hello operator");
        Gantry.run(dir, 60, "job", "list", "--url", url).assertExit(0).assertOutput("cli/greet");
        Path unstable = dir.resolve("unstable.groovy");
        Files.writeString(unstable, "node { unstable 'flaky' }\n");
        Gantry.run(dir, 60, "job", "apply", unstable.toString(), "--url", url).assertExit(0);
        Gantry.run(dir, 120, "build", "unstable", "--follow", "--url", url).assertExit(3).assertOutput("flaky");
        Path flip = dir.resolve("flip.groovy");
        Files.writeString(flip, "pipeline { agent any\n parameters { booleanParam(name: 'FAIL', defaultValue: false) }\n"
                + " stages { stage('S') { steps { script { if (params.FAIL) { error 'asked to fail' } } } } }\n"
                + " post {\n  regression { echo 'post-regression' }\n  fixed { echo 'post-fixed' }\n  changed { echo 'post-changed' }\n }\n}\n");
        Gantry.run(dir, 60, "job", "apply", flip.toString(), "--url", url).assertExit(0);
        Gantry.Done first = Gantry.run(dir, 120, "build", "flip", "--follow", "--url", url).assertExit(0);
        assertTrue(!first.output().contains("post-changed"), first.output());
        Gantry.run(dir, 120, "build", "flip", "--param", "FAIL=true", "--follow", "--url", url).assertExit(1)
                .assertOutput("post-regression", "post-changed");
        Gantry.run(dir, 120, "build", "flip", "--follow", "--url", url).assertExit(0).assertOutput("post-fixed", "post-changed");
        Path bad = dir.resolve("bad.groovy");
        Files.writeString(bad, "pipeline { agent any }\n");
        Gantry.run(dir, 60, "job", "apply", bad.toString(), "--url", url).assertExit(2).assertOutput("1:", "stages");
        Gantry.run(dir, 60, "log", "nope", "--url", url).assertExit(2).assertOutput("JOB#NUMBER");
        Gantry.run(dir, 60, "job", "delete", "cli/greet", "--url", url).assertExit(0);
        Gantry.run(dir, 60, "build", "cli/greet", "--url", url).assertExit(2).assertOutput("404");
        Gantry.run(dir, 30, "job", "list", "--url", "http://127.0.0.1:1/").assertExit(1).assertOutput("cannot reach the controller");
    }

    @Test
    void theCliFollowsALogOverEventsExactlyAndPrintsOneStepsLog() throws Exception {
        start();
        String url = base.toString();
        Path count = dir.resolve("count.groovy");
        Files.writeString(count, "pipeline { agent any\n stages { stage('Count') { steps {\n"
                + "  sh 'for i in $(seq 1 3000); do echo line $i; done; sleep 1; for i in $(seq 3001 6000); do echo line $i; done'\n"
                + "  echo 'counted'\n } } } }\n");
        Gantry.run(dir, 60, "job", "apply", count.toString(), "--name", "cli/count", "--url", url).assertExit(0);
        Gantry.Done followed = Gantry.run(dir, 120, "build", "cli/count", "--follow", "--url", url).assertExit(0);
        String log = get("api/v1/jobs/cli/count/builds/1/log").body();
        assertEquals(log, followed.output(), "--follow prints the log exactly: no gap, nothing twice");
        assertTrue(log.contains("\nline 6000\n") && log.contains("Finished: SUCCESS"), log);
        JsonNode steps = JSON.readTree(get("api/v1/jobs/cli/count/builds/1/steps").body()).get("steps");
        String shId = null;
        for (JsonNode s : steps) {
            if (s.get("name").asText().equals("sh")) {
                shId = s.get("id").asText();
                assertEquals("SUCCESS", s.get("status").asText(), s.toString());
                assertTrue(s.get("durationMillis").asLong() >= 1000, s.toString());
            }
        }
        assertTrue(shId != null, steps.toString());
        Gantry.Done step = Gantry.run(dir, 60, "log", "cli/count#1", "--step", shId, "--url", url).assertExit(0);
        String stepLog = step.output();
        assertTrue(stepLog.contains("line 1\n") && stepLog.endsWith("line 6000\n"), stepLog);
        assertTrue(!stepLog.contains("counted") && !stepLog.contains("[Pipeline]"), stepLog);
        Gantry.run(dir, 60, "log", "cli/count#1", "--follow", "--url", url).assertExit(0);
    }

    @Test
    void theCliAppliesAYamlDefinitionFileAndManagesFolders() throws Exception {
        start();
        String url = base.toString();
        Path yaml = dir.resolve("jobs.yaml");
        Files.writeString(yaml, "name: team-b/hello\nscript: |\n  pipeline { agent any\n    parameters { string(name: 'WHO', defaultValue: 'yaml') }\n"
                + "    stages { stage('S') { steps { echo \"hello from ${params.WHO}\" } } } }\n"
                + "---\nname: team-b/tools/other\nscript: \"node { echo 'x' }\"\noptions: {quietPeriod: 0, disableConcurrentBuilds: true}\n");
        Gantry.run(dir, 60, "job", "apply", yaml.toString(), "--url", url).assertExit(0)
                .assertOutput("created\tteam-b/hello\tversion 1", "created\tteam-b/tools/other\tversion 1");
        Gantry.run(dir, 60, "job", "apply", yaml.toString(), "--url", url).assertExit(0).assertOutput("unchanged\tteam-b/hello\tversion 1");
        Gantry.run(dir, 60, "folder", "list", "team-b", "--url", url).assertExit(0).assertOutput("team-b/tools/\tfolder", "team-b/hello\tversion 1");
        Gantry.run(dir, 120, "build", "team-b/hello", "--follow", "--url", url).assertExit(0).assertOutput("hello from yaml");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "name: team-b/bad\nscirpt: x\n");
        Gantry.run(dir, 60, "job", "apply", bad.toString(), "--url", url).assertExit(2)
                .assertOutput(bad + ":2:1: unknown field 'scirpt' in job definition; did you mean 'script'?");
        Gantry.run(dir, 60, "folder", "delete", "team-b", "--url", url).assertExit(2).assertOutput("not empty");
        Gantry.run(dir, 60, "folder", "delete", "team-b", "--recursive", "--url", url).assertExit(0)
                .assertOutput("deleted job team-b/hello", "deleted job team-b/tools/other");
        assertEquals(404, get("api/v1/jobs/team-b/hello").statusCode());
    }

    private JsonNode waitForCompletion(String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            JsonNode b = JSON.readTree(get(path).body());
            if ("COMPLETED".equals(b.path("status").asText())) {
                return b;
            }
            assertTrue(System.nanoTime() < deadline, "the build did not complete: " + b);
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        }
    }
}
