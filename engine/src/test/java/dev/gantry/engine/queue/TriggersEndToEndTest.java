package dev.gantry.engine.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.pipeline.CronSpec;
import dev.gantry.engine.server.ControllerService;
import dev.gantry.engine.steps.StepLibrary;
import dev.gantry.engine.store.Store;
import dev.gantry.engine.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real controller (store, queue, executors, triggers) over HTTP, with a clock the test moves. */
class TriggersEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2025-01-06T10:00:30Z");

    @TempDir
    Path home;
    Store store;
    ControllerService controller;
    TriggerService triggers;
    WebServer web;
    MovableClock clock = new MovableClock(START, ZoneId.of("UTC"));
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() throws Exception {
        store = Store.open(home);
        controller = new ControllerService(StepLibrary.builtins(), store.jobs(), store.builds(), store.logs(), (job, n) -> {
            try {
                return store.artifactsDir(job, n);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, home.resolve("workspace"), 2, store.scripts(), store::backup);
        triggers = TriggerService.install(controller, store, clock);
        web = WebServer.start(controller, "127.0.0.1", 0, null);
        String root = "http://127.0.0.1:" + web.port() + "/";
        controller.rootUrl(root);
        triggers.rootUrl(root);
    }

    @AfterEach
    void stop() {
        triggers.close();
        controller.shutdown(0);
        web.close();
        store.close();
    }

    private HttpResponse<String> send(String method, String path, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path)).timeout(Duration.ofSeconds(30));
            b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                    : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private void job(String name, String script) {
        HttpResponse<String> r = send("PUT", "/api/v1/jobs/" + name, Map.of("script", script));
        assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.body());
    }

    private int trigger(String job, Map<String, Object> parameters) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/jobs/" + job + "/builds", Map.of("parameters", parameters));
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("number").asInt();
    }

    /** Waits for the build to exist and complete, then returns its detail. */
    private JsonNode completed(String job, int number) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r = send("GET", "/api/v1/jobs/" + job + "/builds/" + number, null);
            if (r.statusCode() == 200) {
                JsonNode b = JSON.readTree(r.body());
                if (b.get("status").asText().equals("COMPLETED")) {
                    return b;
                }
            }
            assertTrue(System.nanoTime() < deadline, job + " #" + number + " did not complete: " + r.body());
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }

    private String log(String job, int number) {
        return send("GET", "/api/v1/jobs/" + job + "/builds/" + number + "/log", null).body();
    }

    @Test
    void anUpstreamBuildStartsItsDownstreamJobsByThreshold() throws Exception {
        job("team/lib", """
                pipeline {
                    agent any
                    parameters { booleanParam(name: 'FAIL', defaultValue: false) }
                    stages { stage('build') { steps { script { if (params.FAIL) { error 'asked to fail' } } } } }
                }""");
        job("team/app", """
                pipeline {
                    agent any
                    triggers { upstream(upstreamProjects: 'lib', threshold: hudson.model.Result.SUCCESS) }
                    stages { stage('s') { steps { echo "causes=${currentBuild.getBuildCauses().collect { it.shortDescription }}" } } }
                }""");
        job("tolerant", """
                pipeline {
                    agent any
                    triggers { upstream(upstreamProjects: 'team/lib', threshold: 'FAILURE') }
                    stages { stage('s') { steps { echo 'tolerant ran' } } }
                }""");
        assertEquals(1, trigger("team/lib", Map.of()));
        JsonNode app = completed("team/app", 1);
        assertEquals("SUCCESS", app.get("result").asText(), log("team/app", 1));
        String why = "Started by upstream project \"team/lib\" build number 1";
        assertEquals(why, app.get("cause").asText());
        JsonNode cause = app.get("causes").get(0);
        assertEquals("hudson.model.Cause$UpstreamCause", cause.get("type").asText());
        assertEquals(why, cause.get("shortDescription").asText());
        assertEquals("team/lib", cause.get("upstreamProject").asText());
        assertEquals(1, cause.get("upstreamBuild").asInt());
        assertTrue(log("team/app", 1).contains("causes=[" + why + "]"), log("team/app", 1));
        completed("tolerant", 1);

        assertEquals(2, trigger("team/lib", Map.of("FAIL", true)));
        assertEquals("FAILURE", completed("team/lib", 2).get("result").asText());
        assertEquals(why.replace("number 1", "number 2"), completed("tolerant", 2).get("cause").asText(), "FAILURE is within its threshold");
        assertEquals(404, send("GET", "/api/v1/jobs/team/app/builds/2", null).statusCode(), "a failed upstream does not start team/app");
    }

    @Test
    void theBuildStepPassesParametersReturnsTheBuildAndPropagatesFailure() throws Exception {
        job("team/down", """
                pipeline {
                    agent any
                    parameters { string(name: 'X', defaultValue: 'none'); booleanParam(name: 'B', defaultValue: false) }
                    stages { stage('work') { steps { script {
                        echo "X=${params.X} B=${params.B}"
                        env.OUT = "got-${params.X}"
                        if (params.B) { error 'downstream asked to fail' }
                    } } } }
                }""");
        job("team/up", """
                pipeline {
                    agent any
                    stages { stage('call') { steps { script {
                        def r = build job: 'down', parameters: [string(name: 'X', value: 'y'), booleanParam(name: 'B', value: false)], wait: true, propagate: true, quietPeriod: 0
                        echo "result=${r.result} getResult=${r.getResult()} number=${r.number} getNumber=${r.getNumber()} out=${r.getBuildVariables().OUT} url=${r.absoluteUrl}"
                        def none = build job: '/team/down', wait: false
                        echo "nowait=${none}"
                        def lenient = build job: 'down', parameters: [booleanParam(name: 'B', value: true)], propagate: false
                        echo "lenient=${lenient.result}"
                        build job: 'down', parameters: [string(name: 'X', value: 'z'), booleanParam(name: 'B', value: true)]
                        echo 'not reached'
                    } } } }
                }""");
        assertEquals(1, trigger("team/up", Map.of()));
        JsonNode up = completed("team/up", 1);
        String log = log("team/up", 1);
        assertEquals("FAILURE", up.get("result").asText(), log);
        assertTrue(log.contains("Scheduling project: team/down"), log);
        assertTrue(log.contains("result=SUCCESS getResult=SUCCESS number=1 getNumber=1 out=got-y url=http://127.0.0.1:" + web.port()
                + "/api/v1/jobs/team/down/builds/1"), log);
        assertTrue(log.contains("nowait=null"), log);
        assertTrue(log.contains("lenient=FAILURE"), log);
        assertTrue(log.contains("team/down #4 completed with status FAILURE"), log);
        assertFalse(log.contains("not reached"), log);
        assertTrue(log("team/down", 1).contains("X=y B=false"), log("team/down", 1));
        JsonNode down = completed("team/down", 1);
        assertEquals("org.jenkinsci.plugins.workflow.support.steps.build.BuildUpstreamCause", down.get("causes").get(0).get("type").asText());
        assertEquals("Started by upstream project \"team/up\" build number 1", down.get("cause").asText());
        assertEquals("FAILURE", completed("team/down", 4).get("result").asText());
        completed("team/down", 2);
    }

    @Test
    void abortingAWaitingCallerAbortsTheBuildItWaitsFor() throws Exception {
        job("slow", "node { echo 'slow started'; sleep 120 }");
        job("waiter", "node { build 'slow' }");
        trigger("waiter", Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!send("GET", "/api/v1/jobs/slow/builds/1/log", null).body().contains("slow started")) {
            assertTrue(System.nanoTime() < deadline, "slow #1 did not start");
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
        assertEquals(202, send("POST", "/api/v1/jobs/waiter/builds/1/stop", null).statusCode());
        assertEquals("ABORTED", completed("waiter", 1).get("result").asText());
        assertEquals("ABORTED", completed("slow", 1).get("result").asText(), log("slow", 1));
    }

    @Test
    void theBuildStepNamesAJobThatDoesNotExist() throws Exception {
        job("caller", "node { build 'nope' }");
        trigger("caller", Map.of());
        assertEquals("FAILURE", completed("caller", 1).get("result").asText());
        String log = log("caller", 1);
        assertTrue(log.contains("build: there is no job 'nope'"), log);
    }

    @Test
    void aSecondBuildSeesThePreviousOne() throws Exception {
        job("hist", """
                node {
                    def p = currentBuild.previousBuild
                    echo "number=${currentBuild.number} prev=${p?.number} prevResult=${p?.result} prevName=${currentBuild.getPreviousCompletedBuild()?.displayName}"
                    echo "succ=${currentBuild.previousSuccessfulBuild?.getNumber()} prevCauses=${p?.getBuildCauses()?.collect { it.shortDescription }}"
                    echo "mine=${currentBuild.getBuildCauses('hudson.model.Cause$UserIdCause').collect { it._class }} prevDuration=${p == null ? -1 : p.duration >= 0}"
                    currentBuild.displayName = "v-${currentBuild.number}"
                }""");
        trigger("hist", Map.of());
        completed("hist", 1);
        assertTrue(log("hist", 1).contains("number=1 prev=null prevResult=null prevName=null"), log("hist", 1));
        trigger("hist", Map.of());
        completed("hist", 2);
        String log = log("hist", 2);
        assertTrue(log.contains("number=2 prev=1 prevResult=SUCCESS prevName=v-1"), log);
        assertTrue(log.contains("succ=1 prevCauses=[Started by REST API]"), log);
        assertTrue(log.contains("mine=[hudson.model.Cause$UserIdCause] prevDuration=true"), log);
    }

    @Test
    void aCronTriggerStartsTheJobWhenTheClockReachesItsMinute() throws Exception {
        job("team/nightly", """
                pipeline {
                    agent any
                    triggers { cron('H * * * *') }
                    stages { stage('s') { steps { echo "timer: ${currentBuild.getBuildCauses()[0]._class}" } } }
                }""");
        ZonedDateTime due = CronSpec.parse("H * * * *").schedule("team/nightly").next(ZonedDateTime.ofInstant(START, ZoneId.of("UTC")));
        clock.set(due.toInstant().minusSeconds(1));
        triggers.scheduler().wakeUp();
        assertEquals(404, send("GET", "/api/v1/jobs/team/nightly/builds/1", null).statusCode(), "not before its minute");
        clock.set(due.toInstant().plusSeconds(1));
        triggers.scheduler().wakeUp();
        JsonNode b = completed("team/nightly", 1);
        assertEquals("Started by timer", b.get("cause").asText());
        assertEquals("hudson.triggers.TimerTrigger$TimerTriggerCause", b.get("causes").get(0).get("type").asText());
        assertTrue(log("team/nightly", 1).contains("timer: hudson.triggers.TimerTrigger$TimerTriggerCause"));
    }
}
