package dev.gantry.engine.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.pipeline.CronSpec;
import dev.gantry.engine.testing.ControllerFixture;
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
    private static final Instant START = Instant.parse("2025-01-06T10:00:30Z");

    @TempDir
    Path home;
    MovableClock clock = new MovableClock(START, ZoneId.of("UTC"));
    ControllerFixture c;

    @BeforeEach
    void start() throws Exception {
        c = ControllerFixture.in(home).executors(2).triggers(clock).start();
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void anUpstreamBuildStartsItsDownstreamJobsByThreshold() throws Exception {
        c.putJob("team/lib", """
                pipeline {
                    agent any
                    parameters { booleanParam(name: 'FAIL', defaultValue: false) }
                    stages { stage('build') { steps { script { if (params.FAIL) { error 'asked to fail' } } } } }
                }""");
        c.putJob("team/app", """
                pipeline {
                    agent any
                    triggers { upstream(upstreamProjects: 'lib', threshold: hudson.model.Result.SUCCESS) }
                    stages { stage('s') { steps { echo "causes=${currentBuild.getBuildCauses().collect { it.shortDescription }}" } } }
                }""");
        c.putJob("tolerant", """
                pipeline {
                    agent any
                    triggers { upstream(upstreamProjects: 'team/lib', threshold: 'FAILURE') }
                    stages { stage('s') { steps { echo 'tolerant ran' } } }
                }""");
        assertEquals(1, c.triggerWith("team/lib", Map.of()));
        JsonNode app = c.completed("team/app", 1);
        assertEquals("SUCCESS", app.get("result").asText(), c.log("team/app", 1));
        String why = "Started by upstream project \"team/lib\" build number 1";
        assertEquals(why, app.get("cause").asText());
        JsonNode cause = app.get("causes").get(0);
        assertEquals("hudson.model.Cause$UpstreamCause", cause.get("type").asText());
        assertEquals(why, cause.get("shortDescription").asText());
        assertEquals("team/lib", cause.get("upstreamProject").asText());
        assertEquals(1, cause.get("upstreamBuild").asInt());
        assertTrue(c.log("team/app", 1).contains("causes=[" + why + "]"), c.log("team/app", 1));
        c.completed("tolerant", 1);

        assertEquals(2, c.triggerWith("team/lib", Map.of("FAIL", true)));
        assertEquals("FAILURE", c.completed("team/lib", 2).get("result").asText());
        assertEquals(why.replace("number 1", "number 2"), c.completed("tolerant", 2).get("cause").asText(), "FAILURE is within its threshold");
        assertEquals(404, c.send("GET", "/api/v1/jobs/team/app/builds/2", null).statusCode(), "a failed upstream does not start team/app");
    }

    @Test
    void theBuildStepPassesParametersReturnsTheBuildAndPropagatesFailure() throws Exception {
        c.putJob("team/down", """
                pipeline {
                    agent any
                    parameters { string(name: 'X', defaultValue: 'none'); booleanParam(name: 'B', defaultValue: false) }
                    stages { stage('work') { steps { script {
                        echo "X=${params.X} B=${params.B}"
                        env.OUT = "got-${params.X}"
                        if (params.B) { error 'downstream asked to fail' }
                    } } } }
                }""");
        c.putJob("team/up", """
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
        assertEquals(1, c.triggerWith("team/up", Map.of()));
        JsonNode up = c.completed("team/up", 1);
        String log = c.log("team/up", 1);
        assertEquals("FAILURE", up.get("result").asText(), log);
        assertTrue(log.contains("Scheduling project: team/down"), log);
        assertTrue(log.contains("result=SUCCESS getResult=SUCCESS number=1 getNumber=1 out=got-y url=http://127.0.0.1:" + c.web.port()
                + "/api/v1/jobs/team/down/builds/1"), log);
        assertTrue(log.contains("nowait=null"), log);
        assertTrue(log.contains("lenient=FAILURE"), log);
        assertTrue(log.contains("team/down #4 completed with status FAILURE"), log);
        assertFalse(log.contains("not reached"), log);
        assertTrue(c.log("team/down", 1).contains("X=y B=false"), c.log("team/down", 1));
        JsonNode down = c.completed("team/down", 1);
        assertEquals("org.jenkinsci.plugins.workflow.support.steps.build.BuildUpstreamCause", down.get("causes").get(0).get("type").asText());
        assertEquals("Started by upstream project \"team/up\" build number 1", down.get("cause").asText());
        assertEquals("FAILURE", c.completed("team/down", 4).get("result").asText());
        c.completed("team/down", 2);
    }

    @Test
    void abortingAWaitingCallerAbortsTheBuildItWaitsFor() throws Exception {
        c.putJob("slow", "node { echo 'slow started'; sleep 120 }");
        c.putJob("waiter", "node { build 'slow' }");
        c.triggerWith("waiter", Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!c.send("GET", "/api/v1/jobs/slow/builds/1/log", null).body().contains("slow started")) {
            assertTrue(System.nanoTime() < deadline, "slow #1 did not start");
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
        assertEquals(202, c.send("POST", "/api/v1/jobs/waiter/builds/1/stop", null).statusCode());
        assertEquals("ABORTED", c.completed("waiter", 1).get("result").asText());
        assertEquals("ABORTED", c.completed("slow", 1).get("result").asText(), c.log("slow", 1));
    }

    @Test
    void theBuildStepNamesAJobThatDoesNotExist() throws Exception {
        c.putJob("caller", "node { build 'nope' }");
        c.triggerWith("caller", Map.of());
        assertEquals("FAILURE", c.completed("caller", 1).get("result").asText());
        String log = c.log("caller", 1);
        assertTrue(log.contains("build: there is no job 'nope'"), log);
    }

    @Test
    void aSecondBuildSeesThePreviousOne() throws Exception {
        c.putJob("hist", """
                node {
                    def p = currentBuild.previousBuild
                    echo "number=${currentBuild.number} prev=${p?.number} prevResult=${p?.result} prevName=${currentBuild.getPreviousCompletedBuild()?.displayName}"
                    echo "succ=${currentBuild.previousSuccessfulBuild?.getNumber()} prevCauses=${p?.getBuildCauses()?.collect { it.shortDescription }}"
                    echo "mine=${currentBuild.getBuildCauses('hudson.model.Cause$UserIdCause').collect { it._class }} prevDuration=${p == null ? -1 : p.duration >= 0}"
                    currentBuild.displayName = "v-${currentBuild.number}"
                }""");
        c.triggerWith("hist", Map.of());
        c.completed("hist", 1);
        assertTrue(c.log("hist", 1).contains("number=1 prev=null prevResult=null prevName=null"), c.log("hist", 1));
        c.triggerWith("hist", Map.of());
        c.completed("hist", 2);
        String log = c.log("hist", 2);
        assertTrue(log.contains("number=2 prev=1 prevResult=SUCCESS prevName=v-1"), log);
        assertTrue(log.contains("succ=1 prevCauses=[Started by REST API]"), log);
        assertTrue(log.contains("mine=[hudson.model.Cause$UserIdCause] prevDuration=true"), log);
    }

    @Test
    void aCronTriggerStartsTheJobWhenTheClockReachesItsMinute() throws Exception {
        c.putJob("team/nightly", """
                pipeline {
                    agent any
                    triggers { cron('H * * * *') }
                    stages { stage('s') { steps { echo "timer: ${currentBuild.getBuildCauses()[0]._class}" } } }
                }""");
        ZonedDateTime due = CronSpec.parse("H * * * *").schedule("team/nightly").next(ZonedDateTime.ofInstant(START, ZoneId.of("UTC")));
        clock.set(due.toInstant().minusSeconds(1));
        c.triggers.scheduler().wakeUp();
        assertEquals(404, c.send("GET", "/api/v1/jobs/team/nightly/builds/1", null).statusCode(), "not before its minute");
        clock.set(due.toInstant().plusSeconds(1));
        c.triggers.scheduler().wakeUp();
        JsonNode b = c.completed("team/nightly", 1);
        assertEquals("Started by timer", b.get("cause").asText());
        assertEquals("hudson.triggers.TimerTrigger$TimerTriggerCause", b.get("causes").get(0).get("type").asText());
        assertTrue(c.log("team/nightly", 1).contains("timer: hudson.triggers.TimerTrigger$TimerTriggerCause"));
    }
}
