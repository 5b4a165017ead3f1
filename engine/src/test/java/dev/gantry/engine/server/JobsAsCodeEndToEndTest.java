package dev.gantry.engine.server;

import dev.gantry.engine.testing.ControllerFixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.cli.Main;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs as code, folders and job options against the real controller over HTTP, and the CLI against it. */
class JobsAsCodeEndToEndTest {
    @TempDir
    Path dir;
    ControllerFixture c;

    @BeforeEach
    void start() throws Exception {
        c = ControllerFixture.start(dir.resolve("home"), 2);
    }

    @AfterEach
    void stop() {
        c.close();
    }

    private static final String ECHO = "pipeline { agent any\n  stages { stage('S') { steps { echo 'hello' } } } }\n";

    @Test
    void theCliAppliesAYamlFileIdempotentlyAndFoldersListTheJobs() throws Exception {
        Path file = dir.resolve("jobs.yaml");
        Files.writeString(file, """
                name: team-a/api
                description: The API
                script: |
                  pipeline {
                    agent any
                    parameters { string(name: 'WHO', defaultValue: 'world') }
                    stages { stage('Greet') { steps { echo "hello ${params.WHO}" } } }
                  }
                parameters:
                  - {type: choice, name: REGION, choices: [eu, us]}
                ---
                name: team-a/services/db
                script: "node { echo 'db' }"
                options: {quietPeriod: 0}
                ---
                name: top
                scm: {url: 'https://example.com/top.git', branch: main}
                """);
        assertEquals(0, Main.execute("job", "apply", file.toString(), "--url", c.url, "--auth", "admin:" + ControllerFixture.ADMIN_PASSWORD));
        JsonNode api = c.json("api/v1/jobs/team-a/api");
        assertEquals(1, api.get("version").asInt());
        assertEquals("The API", api.get("description").asText());
        assertEquals(List.of("WHO", "REGION"), api.get("parameters").findValuesAsText("name"));

        JsonNode folder = c.json("api/v1/folders/team-a");
        assertEquals(List.of("team-a/services"), folder.get("folders").findValuesAsText("name"));
        assertEquals(List.of("team-a/api"), folder.get("jobs").findValuesAsText("name"));
        JsonNode root = c.json("api/v1/folders");
        assertEquals(List.of("team-a"), root.get("folders").findValuesAsText("name"));
        assertEquals(List.of("top"), root.get("jobs").findValuesAsText("name"));

        assertEquals(0, Main.execute("job", "apply", file.toString(), "--url", c.url, "--auth", "admin:" + ControllerFixture.ADMIN_PASSWORD));
        assertEquals(1, c.json("api/v1/jobs/team-a/api").get("version").asInt(), "an unchanged definition keeps its version");
        Files.writeString(file, Files.readString(file).replace("The API", "The API service"));
        JsonNode result = ControllerFixture.parse(c.send("POST", "api/v1/apply",
                Map.of("file", "jobs.yaml", "content", Files.readString(file))));
        assertEquals(List.of("updated", "unchanged", "unchanged"), result.get("jobs").findValuesAsText("action"));
        assertEquals(2, c.json("api/v1/jobs/team-a/api").get("version").asInt());

        int n = c.trigger("team-a/api", Map.of("parameters", Map.of("WHO", "operator")));
        JsonNode build = c.completed("team-a/api", n);
        assertEquals("SUCCESS", build.get("result").asText(), build.toString());
        assertEquals(Map.of("WHO", "operator", "REGION", "eu"), ControllerFixture.JSON.convertValue(build.get("parameters"), Map.class));
        assertTrue(c.get("api/v1/jobs/team-a/api/builds/" + n + "/log").body().contains("hello operator"));
        HttpResponse<String> bad = c.send("POST", "api/v1/jobs/team-a/api/builds", Map.of("parameters", Map.of("REGION", "mars")));
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("must be one of [eu, us]"), bad.body());
    }

    @Test
    void aFileWithAnyProblemAppliesNothingAndSaysWhereInTheFile() throws Exception {
        String yaml = "- name: good\n  script: \"node { echo 'x' }\"\n- name: bad\n  script: |\n    node {\n      ech 'x'\n    }\n"
                + "- name: worse\n  scirpt: x\n";
        HttpResponse<String> r = c.send("POST", "api/v1/apply", Map.of("file", "jobs.yaml", "content", yaml));
        assertEquals(400, r.statusCode(), r.body());
        JsonNode body = ControllerFixture.parse(r);
        assertEquals("invalid_definition", body.get("code").asText());
        String errors = body.get("errors").toString();
        assertTrue(errors.contains("\"line\":9,\"column\":3") && errors.contains("did you mean 'script'?"), errors);
        Path file = dir.resolve("jobs.yaml");
        Files.writeString(file, yaml.substring(0, yaml.indexOf("- name: worse")));
        r = c.send("POST", "api/v1/apply", Map.of("file", "jobs.yaml", "content", Files.readString(file)));
        JsonNode e = ControllerFixture.parse(r).get("errors").get(0);
        assertEquals(6, e.get("line").asInt(), r.body());
        assertEquals(7, e.get("column").asInt(), r.body());
        assertEquals("bad", e.get("job").asText());
        assertEquals(2, Main.execute("job", "apply", file.toString(), "--url", c.url, "--auth", "admin:" + ControllerFixture.ADMIN_PASSWORD));
        assertEquals(404, c.get("api/v1/jobs/good").statusCode(), "nothing of an invalid file is applied");
    }

    @Test
    void aFullDefinitionCanBePutAndAScriptAlonePutStillWorks() {
        HttpResponse<String> r = c.send("PUT", "api/v1/jobs/x/full", Map.of("script", ECHO, "description", "d",
                "options", Map.of("quietPeriod", 3, "disableConcurrentBuilds", Map.of("abortPrevious", true))));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode job = c.json("api/v1/jobs/x/full");
        assertEquals(3, job.get("options").get("quietPeriod").asInt());
        assertTrue(job.get("options").get("disableConcurrentBuilds").get("abortPrevious").asBoolean());
        HttpResponse<String> wrong = c.send("PUT", "api/v1/jobs/x/full", Map.of("script", ECHO, "options", Map.of("quietPeriod", "soon")));
        assertEquals(400, wrong.statusCode());
        assertTrue(wrong.body().contains("\"field\":\"options.quietPeriod\""), wrong.body());
        HttpResponse<String> plain = c.send("PUT", "api/v1/jobs/x/full", Map.of("script", ECHO));
        assertEquals(200, plain.statusCode(), plain.body());
        assertEquals(Map.of(), ControllerFixture.JSON.convertValue(c.json("api/v1/jobs/x/full").get("options"), Map.class),
                "PUT replaces the whole definition");
        HttpResponse<String> invalid = c.send("PUT", "api/v1/jobs/x/broken", Map.of("script", "pipeline { agent any }"));
        assertEquals(400, invalid.statusCode());
        assertEquals(1, ControllerFixture.parse(invalid).get("errors").get(0).get("line").asInt());
        HttpResponse<String> conflict = c.send("PUT", "api/v1/jobs/x", Map.of("script", ECHO));
        assertEquals(409, conflict.statusCode(), conflict.body());
        assertTrue(conflict.body().contains("is a folder"), conflict.body());
    }

    @Test
    void foldersAreCreatedListedAndDeletedRecursivelyOnly() throws Exception {
        assertEquals(201, c.send("PUT", "api/v1/folders/ops/tools", Map.of("description", "tooling")).statusCode());
        assertEquals(200, c.send("PUT", "api/v1/folders/ops/tools", Map.of()).statusCode());
        assertEquals("tooling", c.json("api/v1/folders/ops/tools").get("description").asText());
        c.send("PUT", "api/v1/jobs/ops/tools/lint", Map.of("script", ECHO));
        c.completed("ops/tools/lint", c.trigger("ops/tools/lint", null));
        HttpResponse<String> notEmpty = c.send("DELETE", "api/v1/folders/ops", null);
        assertEquals(409, notEmpty.statusCode(), notEmpty.body());
        assertEquals(200, c.get("api/v1/jobs/ops/tools/lint").statusCode());
        for (String hostile : List.of("%2e%2e", "..%2Fetc", "a%00b", "%3Cscript%3E")) {
            assertEquals(400, c.sendAlone("GET", "api/v1/folders/" + hostile, null).statusCode(), hostile);
            assertEquals(400, c.sendAlone("PUT", "api/v1/folders/" + hostile, Map.of()).statusCode(), hostile);
        }
        assertEquals(0, Main.execute("folder", "delete", "ops", "--recursive", "--url", c.url, "--auth", "admin:" + ControllerFixture.ADMIN_PASSWORD));
        assertEquals(404, c.get("api/v1/jobs/ops/tools/lint").statusCode());
        assertEquals(404, c.get("api/v1/folders/ops").statusCode());
        try (Stream<Path> left = Files.list(c.home.resolve("builds"))) {
            assertEquals(0, left.count(), "the deleted job's builds are gone from the home");
        }
    }

    @Test
    void triggersWithinTheQuietPeriodAreMergedIntoOneBuild() {
        c.send("PUT", "api/v1/jobs/quiet", Map.of("script", "pipeline { agent any\n options { quietPeriod(2) }\n stages { stage('S') { steps { echo 'x' } } } }"));
        int first = c.trigger("quiet", null);
        assertEquals(first, c.trigger("quiet", null));
        assertEquals(first, c.trigger("quiet", Map.of()));
        JsonNode queued = c.json("api/v1/jobs/quiet/builds/" + first);
        assertEquals("QUEUED", queued.get("status").asText());
        assertTrue(queued.get("why").asText().startsWith("In the quiet period. Expires in"), queued.toString());
        assertTrue(c.json("api/v1/queue").toString().contains("In the quiet period"));
        assertEquals("SUCCESS", c.completed("quiet", first).get("result").asText());
        assertEquals(1, c.json("api/v1/jobs/quiet/builds").get("builds").size());
    }

    @Test
    void disableConcurrentBuildsHoldsTheNextBuildUntilTheRunningOneEnds() {
        c.send("PUT", "api/v1/jobs/serial", Map.of("script",
                "pipeline { agent any\n options { disableConcurrentBuilds() }\n stages { stage('S') { steps { sh 'sleep 2' } } } }"));
        int one = c.trigger("serial", null);
        c.await("api/v1/jobs/serial/builds/" + one, b -> "RUNNING".equals(b.path("status").asText()), 60);
        int two = c.trigger("serial", null);
        JsonNode waiting = c.await("api/v1/jobs/serial/builds/" + two, b -> b.has("why"), 30);
        assertEquals("Build #" + one + " is already in progress", waiting.get("why").asText());
        JsonNode first = c.completed("serial", one);
        JsonNode second = c.completed("serial", two);
        assertEquals("SUCCESS", first.get("result").asText());
        assertEquals("SUCCESS", second.get("result").asText());
        Instant firstEnd = Instant.parse(first.get("startedAt").asText()).plusMillis(first.get("durationMillis").asLong());
        assertFalse(Instant.parse(second.get("startedAt").asText()).isBefore(firstEnd.minusMillis(50)), "the second build started while the first ran");
    }

    @Test
    void abortPreviousAbortsTheRunningBuildWhenANewOneIsReady() {
        c.send("PUT", "api/v1/jobs/latest", Map.of("script",
                "pipeline { agent any\n options { disableConcurrentBuilds(abortPrevious: true) }\n stages { stage('S') { steps { sh 'sleep 60' } } } }"));
        int one = c.trigger("latest", null);
        awaitLog("latest", one, "sleep 60");
        long before = System.nanoTime();
        int two = c.trigger("latest", null);
        JsonNode first = c.completed("latest", one);
        assertEquals("ABORTED", first.get("result").asText(), () -> c.get("api/v1/jobs/latest/builds/" + one + "/log").body());
        assertTrue(System.nanoTime() - before < 30_000_000_000L, "the running build was not aborted, it ran out");
        assertTrue(c.get("api/v1/jobs/latest/builds/" + one + "/log").body().contains("Superseded by #" + two), "log says why");
        awaitLog("latest", two, "sleep 60");
        assertEquals(202, c.send("POST", "api/v1/jobs/latest/builds/" + two + "/stop", null).statusCode());
        assertEquals("ABORTED", c.completed("latest", two).get("result").asText());
    }

    /** Waits until the build's log shows {@code text}: its script is inside the step, where an abort is an abort. */
    private void awaitLog(String job, int number, String text) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!c.get("api/v1/jobs/" + job + "/builds/" + number + "/log").body().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "build " + job + " #" + number + " never logged " + text);
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
    }

    @Test
    void theBuildDiscarderDeletesOldBuildsWithTheirLogsAndArtifacts() throws Exception {
        c.send("PUT", "api/v1/jobs/rotate", Map.of("script", "pipeline { agent any\n"
                + " options { buildDiscarder(logRotator(numToKeepStr: '2', artifactNumToKeepStr: '1')) }\n"
                + " stages { stage('S') { steps { writeFile file: 'a.txt', text: 'x'\n archiveArtifacts 'a.txt' } } } }"));
        for (int i = 1; i <= 3; i++) {
            assertEquals("SUCCESS", c.completed("rotate", c.trigger("rotate", null)).get("result").asText());
        }
        Path jobDir;
        try (Stream<Path> dirs = Files.list(c.home.resolve("builds"))) {
            jobDir = dirs.findFirst().orElseThrow();
        }
        // The discarder runs right after a build is completed, and updates the record before it
        // deletes the files: wait for both.
        c.await("api/v1/jobs/rotate/builds/2", b -> b.get("artifacts").isEmpty(), 30);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while ((Files.exists(jobDir.resolve("1")) || Files.exists(jobDir.resolve("2/artifacts/a.txt"))) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
        assertEquals(404, c.get("api/v1/jobs/rotate/builds/1").statusCode());
        assertFalse(Files.exists(jobDir.resolve("1")), "build 1's log and artifacts are deleted");
        assertFalse(Files.exists(jobDir.resolve("2/artifacts/a.txt")));
        assertTrue(Files.exists(jobDir.resolve("2/log")));
        assertTrue(Files.exists(jobDir.resolve("3/artifacts/a.txt")));
    }

    @Test
    void anScmJobFailsClearlyWithoutAnScmPlugin() {
        HttpResponse<String> r = c.send("POST", "api/v1/apply", Map.of("file", "scm.json",
                "content", "{\"name\": \"from-git\", \"scm\": {\"url\": \"https://example.com/app.git\", \"path\": \"ci/Jenkinsfile\"}}"));
        assertEquals(200, r.statusCode(), r.body());
        int n = c.trigger("from-git", null);
        assertEquals("FAILURE", c.completed("from-git", n).get("result").asText());
        String log = c.get("api/v1/jobs/from-git/builds/" + n + "/log").body();
        assertTrue(log.contains("cannot fetch the pipeline of job 'from-git' from https://example.com/app.git (default branch, file ci/Jenkinsfile):"
                + " no SCM plugin is installed"), log);
    }
}
