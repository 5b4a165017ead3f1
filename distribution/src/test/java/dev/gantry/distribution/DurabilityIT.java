package dev.gantry.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds survive a {@code kill -9} of the controller's JVM at chosen moments: on restart they
 * resume by replaying their journal. Side-effect counters (files that {@code sh} appends to) show
 * that no completed step ran again, and the log has every expected line exactly once.
 */
class DurabilityIT {
    @TempDir
    Path dir;

    private Path counter() {
        return dir.resolve("count");
    }

    private List<String> counted() throws IOException {
        return Files.exists(counter()) ? Files.readAllLines(counter()) : List.of();
    }

    private static long times(List<String> lines, String line) {
        return lines.stream().filter(line::equals).count();
    }

    /** Lines that are {@code line}, alone or after a parallel branch's prefix ("[fast] fast done"). */
    private static long lines(String log, String line) {
        return log.lines().filter(l -> l.equals(line) || l.endsWith("] " + line) && l.startsWith("[") && !l.startsWith("[Pipeline]")).count();
    }

    private static void assertTicksOnce(String log, int ticks) {
        for (int i = 1; i <= ticks; i++) {
            assertEquals(1, lines(log, "tick-" + i), "tick-" + i + " once:\n" + log);
        }
    }

    private static void awaitLog(Cluster c, String job, int n, String text) {
        Cluster.await(() -> c.log(job, n).contains(text), Duration.ofSeconds(60), () -> "no '" + text + "' in the log:\n" + c.log(job, n));
    }

    private static void proceed(Cluster c, String job, int n, String input) throws Exception {
        String path = "api/v1/jobs/" + job + "/builds/" + n + "/inputs";
        Cluster.await(() -> {
            try {
                return c.get(path).body().contains("\"" + input + "\"");
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(60), () -> "input " + input + " is not pending; log:\n" + c.log(job, n));
        HttpResponse<String> r = c.send("POST", path + "/" + input + "/proceed", Map.of());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void aBuildKilledBetweenAndDuringStepsOnAnAgentResumesWithoutRunningCompletedStepsAgain() throws Exception {
        try (Cluster c = new Cluster(dir, 30)) {
            c.startServer();
            c.startAgent("a1", c.createAgent("a1", "work"));
            c.awaitOnline("a1");
            int n = c.trigger("steps", """
                    node('work') {
                      for (int i = 1; i <= 5; i++) {
                        sh "echo s$i >> %s; echo line-$i-of-step; sleep 1"
                      }
                    }
                    """.formatted(counter()));
            awaitLog(c, "steps", n, "line-3-of-step");
            c.killServer();
            c.startServer();
            JsonNode b = c.awaitBuild("steps", n, Duration.ofSeconds(120));
            String log = c.log("steps", n);
            assertEquals("SUCCESS", b.get("result").asText(), log);
            List<String> count = counted();
            // Step 3 (or 4) was running on the agent when the controller died: it went on there, and
            // the resumed build re-attached to it instead of running it again.
            assertEquals(List.of("s1", "s2", "s3", "s4", "s5"), count, log);
            for (int i = 1; i <= 5; i++) {
                assertEquals(1, lines(log, "line-" + i + "-of-step"), "line " + i + " once:\n" + log);
            }
            assertEquals(1, lines(log, "Finished: SUCCESS"), log);
            assertEquals(1, log.lines().filter(l -> l.startsWith("Started by")).count(), log);
        }
    }

    @Test
    void aStepRunningOnAnAgentGoesOnThroughAKillAndItsOutputIsInTheLogOnce() throws Exception {
        try (Cluster c = new Cluster(dir, 30)) {
            c.startServer();
            c.startAgent("a1", c.createAgent("a1", "work"));
            c.awaitOnline("a1");
            Path finished = dir.resolve("finished");
            int n = c.trigger("ticking", """
                    node('work') {
                      sh 'echo before >> %1$s'
                      sh 'echo long >> %1$s; for i in $(seq 1 12); do echo "tick-$i"; sleep 0.5; done; echo long-done'
                      sh 'echo quick >> %1$s; sleep 3; touch %2$s; exit 4'
                    }
                    """.formatted(counter(), finished));
            awaitLog(c, "ticking", n, "tick-3");
            c.killServer();
            c.startServer();
            // The second step ran on while no controller was there; the third ends while the
            // controller is down again: its outcome (exit code 4) is taken, not run again.
            awaitLog(c, "ticking", n, "+ sleep 3");
            c.killServer();
            Cluster.await(() -> Files.exists(finished), Duration.ofSeconds(30), () -> "the third step did not end");
            c.startServer();
            JsonNode b = c.awaitBuild("ticking", n, Duration.ofSeconds(120));
            String log = c.log("ticking", n);
            assertEquals("FAILURE", b.get("result").asText(), log);
            assertEquals(List.of("before", "long", "quick"), counted(), "no step ran twice:\n" + log);
            assertTicksOnce(log, 12);
            assertEquals(1, lines(log, "long-done"), log);
            assertEquals(1, lines(log, "+ sleep 3"), log);
            assertEquals(1, lines(log, "ERROR: script returned exit code 4"), log);
            assertEquals(1, lines(log, "Finished: FAILURE"), log);
        }
    }

    @Test
    void anAgentKilledJustBeforeTheControllerMakesItsStepFailAsOfflineAndRetryRunsANewAttemptNotTheSameOneTwice() throws Exception {
        // A lease of 30 s: the controller is killed before it notices that the agent died.
        try (Cluster c = new Cluster(dir, 30)) {
            c.startServer();
            String secret = c.createAgent("a1", "work");
            Process agent = c.startAgent("a1", secret);
            c.awaitOnline("a1");
            int n = c.trigger("lost", """
                    def attempt = 0
                    retry(count: 3, conditions: [agent()]) {
                      attempt++
                      node('work') {
                        sh "echo attempt-$attempt >> %s; if [ $attempt = 1 ]; then echo first-running; sleep 30; fi; echo step-done-$attempt"
                      }
                    }
                    """.formatted(counter()));
            awaitLog(c, "lost", n, "first-running");
            // kill -9 of the agent, then of its processes (the other way round, the agent could
            // report the step's exit code in between), then of the controller.
            List<ProcessHandle> processes = agent.descendants().toList();
            agent.destroyForcibly();
            assertTrue(agent.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the agent did not die on SIGKILL");
            processes.forEach(ProcessHandle::destroyForcibly);
            c.killServer();
            c.startServer();
            c.startAgent("a1", secret);
            JsonNode b = c.awaitBuild("lost", n, Duration.ofSeconds(120));
            String log = c.log("lost", n);
            assertEquals("SUCCESS", b.get("result").asText(), log);
            assertEquals(List.of("attempt-1", "attempt-2"), counted(), "attempt 1 once, then attempt 2:\n" + log);
            assertEquals(1, lines(log, "ERROR: agent a1 went offline during this step"), log);
            assertEquals(1, lines(log, "Retrying"), log);
            assertEquals(1, lines(log, "Resuming: agent a1 restarted while the controller was down, and this step's process died with it;"
                    + " its output from before the restart is lost"), log);
            assertEquals(0, lines(log, "step-done-1"), log);
            assertEquals(1, lines(log, "step-done-2"), log);
            assertEquals(1, lines(log, "Finished: SUCCESS"), log);
        }
    }

    @Test
    void aStepRunningOnAnAgentGoesOnThroughASigtermSuspend() throws Exception {
        // No grace: the build is suspended mid-step at once.
        try (Cluster c = new Cluster(dir, 30, null, List.of("--grace", "0"))) {
            c.startServer();
            c.startAgent("a1", c.createAgent("a1", "work"));
            c.awaitOnline("a1");
            int n = c.trigger("suspended", """
                    node('work') {
                      sh 'echo long >> %1$s; for i in $(seq 1 12); do echo "tick-$i"; sleep 0.5; done'
                    }
                    """.formatted(counter()));
            awaitLog(c, "suspended", n, "tick-2");
            c.stopServer();
            c.startServer();
            JsonNode b = c.awaitBuild("suspended", n, Duration.ofSeconds(120));
            String log = c.log("suspended", n);
            assertEquals("SUCCESS", b.get("result").asText(), log);
            assertEquals(List.of("long"), counted(), log);
            assertTicksOnce(log, 12);
        }
    }

    @Test
    void parallelBranchesKilledMidwayResumeEachWhereItWas() throws Exception {
        try (Cluster c = new Cluster(dir, 30)) {
            c.startServer();
            int n = c.trigger("par", """
                    parallel(
                      fast: { node { sh 'echo fast1 >> %1$s'; sh 'echo fast2 >> %1$s'; echo 'fast done' } },
                      slow: { node { sh 'echo slow1 >> %1$s'; input id: 'slow', message: 'Slow?'; sh 'echo slow2 >> %1$s' } }
                    )
                    """.formatted(counter()));
            awaitLog(c, "par", n, "fast done");
            awaitLog(c, "par", n, "Input requested: Slow?");
            c.killServer();
            c.startServer();
            proceed(c, "par", n, "slow");
            JsonNode b = c.awaitBuild("par", n, Duration.ofSeconds(120));
            String log = c.log("par", n);
            assertEquals("SUCCESS", b.get("result").asText(), log);
            List<String> count = counted();
            for (String s : List.of("fast1", "fast2", "slow1", "slow2")) {
                assertEquals(1, times(count, s), s + ": " + count);
            }
            assertEquals(1, lines(log, "fast done"), log);
            assertEquals(1, lines(log, "Input requested: Slow? (id slow)"), log);
            assertEquals(4, lines(log, "[Pipeline] sh"), log);
        }
    }

    @Test
    void aSleepKilledMidwayEndsAtItsFirstDeadline() throws Exception {
        try (Cluster c = new Cluster(dir, 30)) {
            c.startServer();
            int n = c.trigger("nap", "node { sh 'echo before >> " + counter() + "'; sleep 15; sh 'echo after >> " + counter() + "' }");
            awaitLog(c, "nap", n, "Sleeping for 15 seconds");
            long asleep = System.nanoTime();
            c.killServer();
            Cluster.await(() -> System.nanoTime() - asleep > Duration.ofSeconds(16).toNanos(), Duration.ofSeconds(30), () -> "time");
            long restarted = System.nanoTime();
            c.startServer();
            JsonNode b = c.awaitBuild("nap", n, Duration.ofSeconds(60));
            long resumed = (System.nanoTime() - restarted) / 1_000_000;
            String log = c.log("nap", n);
            assertEquals("SUCCESS", b.get("result").asText(), log);
            assertTrue(resumed < 12_000, "the sleep's deadline had passed before the restart, yet the build took " + resumed + " ms more");
            assertEquals(List.of("before", "after"), counted());
            assertEquals(1, lines(log, "Sleeping for 15 seconds"), log);
        }
    }

    @Test
    void aPendingInputAndQueuedBuildsSurviveAKill() throws Exception {
        try (Cluster c = new Cluster(dir, 30)) {
            c.startServer();
            String script = """
                    pipeline {
                      agent any
                      options { disableConcurrentBuilds() }
                      stages {
                        stage('Ask') { steps { sh 'echo asked >> %s'; input id: 'go', message: 'Go?' } }
                      }
                    }
                    """.formatted(counter());
            int first = c.trigger("ask", script);
            awaitLog(c, "ask", first, "Input requested: Go?");
            HttpResponse<String> t = c.send("POST", "api/v1/jobs/ask/builds", Map.of());
            int second = Cluster.JSON.readTree(t.body()).get("number").asInt();
            c.killServer();
            c.startServer();
            assertEquals("QUEUED", Cluster.JSON.readTree(c.get("api/v1/jobs/ask/builds/" + second).body()).get("status").asText());
            proceed(c, "ask", first, "go");
            assertEquals("SUCCESS", c.awaitBuild("ask", first, Duration.ofSeconds(60)).get("result").asText(), c.log("ask", first));
            proceed(c, "ask", second, "go");
            assertEquals("SUCCESS", c.awaitBuild("ask", second, Duration.ofSeconds(60)).get("result").asText(), c.log("ask", second));
            assertEquals(List.of("asked", "asked"), counted(), "once per build");
            assertEquals(1, lines(c.log("ask", first), "Input requested: Go? (id go)"), c.log("ask", first));
        }
    }

    @Test
    void sigtermSuspendsRunningBuildsAndTheNextStartResumesThem() throws Exception {
        try (Cluster c = new Cluster(dir, 30)) {
            c.startServer();
            int n = c.trigger("graceful", "node { sh 'echo one >> " + counter() + "'; input id: 'go', message: 'Go?'; sh 'echo two >> " + counter() + "' }");
            awaitLog(c, "graceful", n, "Input requested: Go?");
            c.stopServer();
            c.startServer();
            proceed(c, "graceful", n, "go");
            JsonNode b = c.awaitBuild("graceful", n, Duration.ofSeconds(60));
            String log = c.log("graceful", n);
            assertEquals("SUCCESS", b.get("result").asText(), log);
            assertEquals(List.of("one", "two"), counted());
            assertEquals(1, lines(log, "Input requested: Go? (id go)"), log);
        }
    }

    @Test
    void aBuildThatDisablesResumeEndsAbortedWithTheReason() throws Exception {
        try (Cluster c = new Cluster(dir, 30)) {
            c.startServer();
            int n = c.trigger("once", "pipeline { agent any\n options { disableResume() }\n stages { stage('S') { steps { input id: 'go', message: 'Go?' } } } }");
            awaitLog(c, "once", n, "Input requested: Go?");
            c.killServer();
            c.startServer();
            JsonNode b = c.awaitBuild("once", n, Duration.ofSeconds(60));
            assertEquals("ABORTED", b.get("result").asText());
            assertTrue(c.log("once", n).contains("Not resumed after the controller restarted: the pipeline disables resuming"), c.log("once", n));
        }
    }
}
