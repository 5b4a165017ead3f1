package dev.gantry.engine.server;

import dev.gantry.engine.testing.ControllerFixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay with an edited script and restart from a stage, over HTTP against a real controller. */
class ReplayAndRestartApiTest {
    private static final String STAGED = """
            pipeline {
              agent any
              options { preserveStashes(buildCount: 2) }
              parameters { string(name: 'TARGET', defaultValue: 'dev') }
              stages {
                stage('Build') {
                  steps {
                    writeFile file: 'app.txt', text: "app for ${params.TARGET}"
                    stash name: 'app', includes: 'app.txt'
                    echo 'compiled'
                  }
                }
                stage('Test') {
                  parallel {
                    stage('Unit') { steps { echo 'unit tests' } }
                    stage('Lint') { steps { echo 'lint checks' } }
                  }
                }
                stage('Deploy') {
                  steps {
                    sh 'rm -f app.txt'
                    unstash 'app'
                    echo "deploying ${readFile('app.txt')}"
                  }
                }
              }
            }
            """;

    @TempDir
    Path home;
    ControllerFixture c;

    @BeforeEach
    void start() throws Exception {
        c = ControllerFixture.start(home, 2);
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void aReplayRunsTheEditedScriptWithTheOriginalParametersAndLeavesTheJobAlone() throws Exception {
        String script = "pipeline { agent any\n stages { stage('One') { steps { echo \"v1 ${params.COLOR}\" } } } }";
        c.putJob("team/app", script);
        int first = c.triggerWith("team/app", Map.of("COLOR", "blue"));
        assertEquals("SUCCESS", c.completed("team/app", first).get("result").asText());

        HttpResponse<String> r = c.send("POST", "api/v1/jobs/team/app/builds/1/replay", Map.of("script", script.replace("v1", "v2")));
        assertEquals(201, r.statusCode(), r.body());
        int replay = ControllerFixture.parse(r).get("number").asInt();
        JsonNode b = c.completed("team/app", replay);
        assertEquals("SUCCESS", b.get("result").asText());
        assertEquals("Replayed #1", b.get("cause").asText());
        assertEquals("blue", b.get("parameters").get("COLOR").asText());
        assertTrue(c.log("team/app", replay).contains("v2 blue"), c.log("team/app", replay));
        assertEquals(script, ControllerFixture.parse(c.get("api/v1/jobs/team/app")).get("script").asText(), "the job's script is unchanged");

        HttpResponse<String> again = c.send("POST", "api/v1/jobs/team/app/builds/" + replay + "/replay", null);
        assertEquals(201, again.statusCode(), again.body());
        int third = ControllerFixture.parse(again).get("number").asInt();
        c.completed("team/app", third);
        assertTrue(c.log("team/app", third).contains("v2 blue"), "without a script, the replayed build's own script runs again");
        assertEquals(2, c.store.scripts().distinctScripts(), "three builds, two distinct scripts stored");

        HttpResponse<String> invalid = c.send("POST", "api/v1/jobs/team/app/builds/1/replay", Map.of("script", "pipeline {\n agent any\n}"));
        assertEquals(400, invalid.statusCode(), invalid.body());
        JsonNode errors = ControllerFixture.parse(invalid).get("errors");
        assertTrue(errors.size() > 0 && errors.get(0).get("line").asInt() >= 1 && errors.get(0).has("column"), invalid.body());
        assertEquals(404, c.send("POST", "api/v1/jobs/team/app/builds/99/replay", null).statusCode());
    }

    @Test
    void aRestartSkipsTheEarlierStagesAndFindsThePreservedStashes() throws Exception {
        c.putJob("app", STAGED);
        int first = c.triggerWith("app", Map.of("TARGET", "prod"));
        assertEquals("SUCCESS", c.completed("app", first).get("result").asText(), c.log("app", first));

        HttpResponse<String> r = c.send("POST", "api/v1/jobs/app/builds/1/restart", Map.of("stage", "Deploy"));
        assertEquals(201, r.statusCode(), r.body());
        int restarted = ControllerFixture.parse(r).get("number").asInt();
        JsonNode b = c.completed("app", restarted);
        String log = c.log("app", restarted);
        assertEquals("SUCCESS", b.get("result").asText(), log);
        assertEquals("Restarted from build #1, stage Deploy", b.get("cause").asText());
        assertTrue(log.contains("Stage \"Build\" skipped due to this build restarting at stage \"Deploy\""), log);
        assertTrue(log.contains("deploying app for prod") && !log.contains("compiled") && !log.contains("unit tests"), log);
        assertTrue(b.get("stages").toString().contains("{\"name\":\"Build\",\"parent\":null,\"result\":\"SKIPPED\""), b.toString());
    }

    @Test
    void restartRefusesWhatJenkinsRefuses() throws Exception {
        c.putJob("app", STAGED);
        c.completed("app", c.triggerWith("app", Map.of()));
        HttpResponse<String> unknown = c.send("POST", "api/v1/jobs/app/builds/1/restart", Map.of("stage", "Deplyo"));
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("did you mean \\u0027Deploy\\u0027?"), unknown.body());
        HttpResponse<String> nested = c.send("POST", "api/v1/jobs/app/builds/1/restart", Map.of("stage", "Unit"));
        assertEquals(400, nested.statusCode(), nested.body());
        assertTrue(nested.body().contains("nested in stage") && nested.body().contains("only top-level stages"), nested.body());
        assertEquals(400, c.send("POST", "api/v1/jobs/app/builds/1/restart", Map.of()).statusCode());

        c.putJob("scripted", "node { stage('Build') { echo 'hi' } }");
        c.completed("scripted", c.triggerWith("scripted", Map.of()));
        HttpResponse<String> scripted = c.send("POST", "api/v1/jobs/scripted/builds/1/restart", Map.of("stage", "Build"));
        assertEquals(400, scripted.statusCode(), scripted.body());
        assertTrue(scripted.body().contains("scripted pipeline"), scripted.body());

        c.putJob("slow", "pipeline { agent any\n stages { stage('Wait') { steps { input message: 'go on?' } } } }");
        int running = c.triggerWith("slow", Map.of());
        c.waitingInputs("slow", running);
        HttpResponse<String> busy = c.send("POST", "api/v1/jobs/slow/builds/" + running + "/restart", Map.of("stage", "Wait"));
        assertEquals(409, busy.statusCode(), busy.body());
        assertTrue(busy.body().contains("still RUNNING"), busy.body());
        c.send("POST", "api/v1/jobs/slow/builds/" + running + "/stop", null);
        c.completed("slow", running);
    }

    @Test
    void withoutPreservedStashesUnstashNamesTheOption() throws Exception {
        c.putJob("app", STAGED.replace("options { preserveStashes(buildCount: 2) }", ""));
        c.completed("app", c.triggerWith("app", Map.of()));
        int restarted = ControllerFixture.parse(c.send("POST", "api/v1/jobs/app/builds/1/restart", Map.of("stage", "Deploy"))).get("number").asInt();
        JsonNode b = c.completed("app", restarted);
        String log = c.log("app", restarted);
        assertEquals("FAILURE", b.get("result").asText(), log);
        assertTrue(log.contains("No such saved stash 'app': build #1, which this build restarts, kept no stashes") && log.contains("preserveStashes()"), log);
    }

    @Test
    void onlyTheConfiguredNumberOfBuildsKeepTheirStashes() throws Exception {
        c.putJob("app", STAGED.replace("buildCount: 2", "buildCount: 1"));
        c.completed("app", c.triggerWith("app", Map.of()));
        c.completed("app", c.triggerWith("app", Map.of()));
        Path jobDir = c.store.artifactsDir("app", 2).getParent().getParent();
        assertTrue(java.nio.file.Files.isDirectory(jobDir.resolve("2/stashes")), "the newest build keeps its stashes");
        assertTrue(!java.nio.file.Files.exists(jobDir.resolve("1/stashes")), "older ones beyond buildCount are removed");
        HttpResponse<String> r = c.send("POST", "api/v1/jobs/app/builds/1/restart", Map.of("stage", "Deploy"));
        JsonNode b = c.completed("app", ControllerFixture.parse(r).get("number").asInt());
        assertEquals("FAILURE", b.get("result").asText(), "build #1's stashes were discarded");
    }
}
