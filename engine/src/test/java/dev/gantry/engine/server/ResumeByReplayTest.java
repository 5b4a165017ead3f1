package dev.gantry.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.testing.ControllerFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds suspended by a controller shutdown resume at the next start by replaying their journal,
 * against a real controller and H2 store in the same home: completed steps do not run again
 * (counted in a file their {@code sh} appends to), the log has each line once, pending inputs and
 * sleeps survive, builds that cannot resume end ABORTED with the reason.
 */
class ResumeByReplayTest {
    @TempDir
    Path home;
    @TempDir
    Path work;
    ControllerFixture c;

    @AfterEach
    void stop() {
        if (c != null) {
            c.close();
        }
    }

    private ControllerFixture start() throws IOException {
        c = ControllerFixture.start(home, 2);
        return c;
    }

    private void restart() throws IOException {
        c.close();
        c = null;
        start();
    }

    private String count() {
        return work.resolve("count").toString();
    }

    private List<String> counted() throws IOException {
        return Files.exists(work.resolve("count")) ? Files.readAllLines(work.resolve("count")) : List.of();
    }

    private static long occurrences(String log, String line) {
        return log.lines().filter(l -> l.equals(line)).count();
    }

    private void proceed(String job, int n, String id) {
        c.waitingInputs(job, n);
        var r = c.send("POST", "api/v1/jobs/" + job + "/builds/" + n + "/inputs/" + id + "/proceed", Map.of());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void completedStepsAreNotRunAgainAndTheLogHasEachLineOnce() throws Exception {
        start();
        c.putJob("app", """
                node {
                  sh 'echo one >> %1$s'
                  sh 'echo two >> %1$s'
                  def v = sh(script: 'echo value-from-sh', returnStdout: true).trim()
                  input id: 'go', message: 'Go?'
                  sh 'echo three >> %1$s'
                  echo "value ${v}"
                }
                """.formatted(count()));
        int n = c.trigger("app");
        c.waitingInputs("app", n);
        restart();
        assertEquals("RUNNING", c.build("app", n).get("status").asText());
        proceed("app", n, "go");
        assertEquals("SUCCESS", c.completed("app", n).get("result").asText(), c.log("app", n));
        assertEquals(List.of("one", "two", "three"), counted(), "no step ran twice");
        String log = c.log("app", n);
        assertEquals(1, occurrences(log, "value value-from-sh"), log);
        assertEquals(1, occurrences(log, "[Pipeline] Start of Pipeline"), log);
        assertEquals(4, occurrences(log, "[Pipeline] sh"), log);
        assertEquals(1, occurrences(log, "Input requested: Go? (id go)"), log);
        assertEquals(1, log.lines().filter(l -> l.startsWith("Started by")).count(), log);
        assertEquals(1, occurrences(log, "Finished: SUCCESS"), log);
        assertEquals(1, occurrences(log, "[Pipeline] node"), log);
    }

    @Test
    void aResultAStepSetIsSetAgainOnReplay() throws Exception {
        start();
        c.putJob("flaky", "node { unstable 'some tests are flaky'; input id: 'go', message: 'Go?' }");
        int n = c.trigger("flaky");
        c.waitingInputs("flaky", n);
        restart();
        proceed("flaky", n, "go");
        assertEquals("UNSTABLE", c.completed("flaky", n).get("result").asText(), c.log("flaky", n));
    }

    @Test
    void parallelBranchesResumeEachWhereItWas() throws Exception {
        start();
        c.putJob("par", """
                pipeline {
                  agent any
                  stages {
                    stage('Both') {
                      parallel {
                        stage('A') { steps { sh 'echo a1 >> %1$s'; input id: 'a', message: 'A?'; sh 'echo a2 >> %1$s' } }
                        stage('B') { steps { sh 'echo b1 >> %1$s'; sh 'echo b2 >> %1$s' } }
                      }
                    }
                  }
                }
                """.formatted(count()));
        int n = c.trigger("par");
        c.waitingInputs("par", n);
        ControllerFixture.await(() -> {
            try {
                return counted().contains("b2");
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(30), () -> "branch B did not finish");
        restart();
        proceed("par", n, "a");
        assertEquals("SUCCESS", c.completed("par", n).get("result").asText(), c.log("par", n));
        List<String> lines = counted();
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.containsAll(List.of("a1", "a2", "b1", "b2")), lines.toString());
        String log = c.log("par", n);
        assertEquals(1, log.lines().filter(l -> l.endsWith("Input requested: A? (id a)")).count(), log);
        assertEquals(4, log.lines().filter(l -> l.endsWith("[Pipeline] sh")).count(), log);
    }

    @Test
    void matrixCellsResumeEachWhereItWas() throws Exception {
        start();
        c.putJob("cells", """
                pipeline {
                  agent any
                  stages {
                    stage('Cells') {
                      matrix {
                        axes { axis { name 'OS'; values 'linux', 'mac' } }
                        stages {
                          stage('Run') {
                            steps {
                              sh "echo ${OS}-1 >> %1$s"
                              script { if (env.OS == 'mac') { input id: 'mac', message: 'Mac?' } }
                              sh "echo ${OS}-2 >> %1$s"
                            }
                          }
                        }
                      }
                    }
                  }
                }
                """.formatted(count()));
        int n = c.trigger("cells");
        c.waitingInputs("cells", n);
        ControllerFixture.await(() -> {
            try {
                return counted().contains("linux-2");
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(30), () -> "the linux cell did not finish: " + c.log("cells", n));
        restart();
        proceed("cells", n, "mac");
        assertEquals("SUCCESS", c.completed("cells", n).get("result").asText(), c.log("cells", n));
        List<String> lines = counted();
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.containsAll(List.of("linux-1", "linux-2", "mac-1", "mac-2")), lines.toString());
    }

    @Test
    void aTimeoutCountsFromItsFirstStartAcrossARestart() throws Exception {
        start();
        c.putJob("limit", "node { timeout(time: 4, unit: 'SECONDS') { input id: 'go', message: 'Go?' } }");
        int n = c.trigger("limit");
        long started = System.nanoTime();
        c.waitingInputs("limit", n);
        c.close();
        c = null;
        ControllerFixture.await(() -> System.nanoTime() - started > Duration.ofSeconds(5).toNanos(), Duration.ofSeconds(10), () -> "time");
        long restarted = System.nanoTime();
        start();
        assertEquals("ABORTED", c.completed("limit", n).get("result").asText(), c.log("limit", n));
        long resumedMillis = (System.nanoTime() - restarted) / 1_000_000;
        assertTrue(resumedMillis < 3500, "the timeout's 4 s were over before the restart, yet it took " + resumedMillis + " ms more");
        assertTrue(c.log("limit", n).contains("Timeout has been exceeded"), c.log("limit", n));
    }

    @Test
    void aSleepCountsFromItsFirstStartAcrossARestart() throws Exception {
        start();
        c.putJob("nap", "node { echo 'before'; sleep 6; echo 'after' }");
        int n = c.trigger("nap");
        long started = System.nanoTime();
        ControllerFixture.await(() -> c.log("nap", n).contains("Sleeping for 6 seconds"), Duration.ofSeconds(30), () -> c.log("nap", n));
        c.close();
        c = null;
        // Wait out the whole sleep while the controller is down: the resumed sleep has nothing left.
        ControllerFixture.await(() -> System.nanoTime() - started > Duration.ofSeconds(7).toNanos(), Duration.ofSeconds(10), () -> "time");
        long restarted = System.nanoTime();
        start();
        assertEquals("SUCCESS", c.completed("nap", n).get("result").asText(), c.log("nap", n));
        long resumedMillis = (System.nanoTime() - restarted) / 1_000_000;
        assertTrue(resumedMillis < 5000, "the resumed sleep took " + resumedMillis + " ms; its 6 s were over before the restart");
        String log = c.log("nap", n);
        assertEquals(1, occurrences(log, "Sleeping for 6 seconds"), log);
        assertEquals(1, occurrences(log, "after"), log);
    }

    @Test
    void disableResumeEndsTheBuildAbortedWithTheReason() throws Exception {
        start();
        c.putJob("once", """
                pipeline {
                  agent any
                  options { disableResume() }
                  stages { stage('S') { steps { input id: 'go', message: 'Go?' } } }
                }
                """);
        int n = c.trigger("once");
        c.waitingInputs("once", n);
        restart();
        JsonNode b = c.completed("once", n);
        assertEquals("ABORTED", b.get("result").asText());
        String log = c.log("once", n);
        assertTrue(log.contains("Not resumed after the controller restarted: the pipeline disables resuming (options { disableResume() })."), log);
        assertEquals(1, occurrences(log, "Finished: ABORTED"), log);
    }

    @Test
    void aRunningBuildWithoutAJournalEndsAbortedWithTheReason() throws Exception {
        start();
        c.putJob("old", "node { input id: 'go', message: 'Go?' }");
        int n = c.trigger("old");
        c.waitingInputs("old", n);
        c.close();
        c = null;
        Path journal;
        try (var store = dev.gantry.engine.store.Store.open(home)) {
            journal = store.artifactsDir("old", n).getParent().resolve("journal");
        }
        Files.delete(journal);
        start();
        assertEquals("ABORTED", c.completed("old", n).get("result").asText());
        assertTrue(c.log("old", n).contains("Not resumed after the controller restarted: it has no journal to resume from"), c.log("old", n));
    }

    @Test
    void aBuildMarkedRunningThatHadNotBegunStartsAfterARestart() throws Exception {
        start();
        c.putJob("early", "node { sh 'echo ran >> " + count() + "'; input id: 'go', message: 'Go?' }");
        int n = c.trigger("early");
        c.waitingInputs("early", n);
        c.close();
        c = null;
        // As if killed between being marked RUNNING and creating its journal: no journal, no log.
        try (var store = dev.gantry.engine.store.Store.open(home)) {
            Path dir = store.artifactsDir("early", n).getParent();
            for (String f : List.of("journal", "log", "log.index")) {
                Files.deleteIfExists(dir.resolve(f));
            }
        }
        Files.delete(work.resolve("count"));
        start();
        proceed("early", n, "go");
        assertEquals("SUCCESS", c.completed("early", n).get("result").asText(), c.log("early", n));
        assertEquals(List.of("ran"), counted());
        String log = c.log("early", n);
        assertEquals(1, log.lines().filter(l -> l.startsWith("Started by")).count(), log);
        assertEquals(1, occurrences(log, "Finished: SUCCESS"), log);
    }

    @Test
    void aScriptTakingAnotherPathOnReplayFailsNamingTheStepAndLine() throws Exception {
        start();
        long switchAt = System.currentTimeMillis() + 1500;
        c.putJob("clock", """
                node {
                  if (System.currentTimeMillis() < %dL) {
                    sh 'echo early'
                  } else {
                    echo 'late'
                  }
                  input id: 'go', message: 'Go?'
                }
                """.formatted(switchAt));
        int n = c.trigger("clock");
        c.waitingInputs("clock", n);
        c.close();
        c = null;
        ControllerFixture.await(() -> System.currentTimeMillis() > switchAt + 100, Duration.ofSeconds(10), () -> "time");
        start();
        assertEquals("FAILURE", c.completed("clock", n).get("result").asText());
        String log = c.log("clock", n);
        assertTrue(log.contains("The script took a different path than before the controller restarted: step call 0/0 was 'sh' then and is 'echo' now (clock:5)"), log);
    }

    @Test
    void queuedBuildsAreStillQueuedAfterARestart() throws Exception {
        c = ControllerFixture.start(home, 1);
        c.putJob("hold", "node { input id: 'go', message: 'Go?' }");
        c.putJob("next", "node { sh 'echo next >> " + count() + "' }");
        int h = c.trigger("hold");
        c.waitingInputs("hold", h);
        c.putJob("serial", "pipeline { agent any\n options { disableConcurrentBuilds() }\n stages { stage('S') { steps { input id: 'go', message: 'Go?' } } } }");
        int s1 = c.trigger("serial");
        c.waitingInputs("serial", s1);
        int s2 = c.trigger("serial");
        assertEquals("QUEUED", c.build("serial", s2).get("status").asText());
        restart();
        assertEquals("QUEUED", c.build("serial", s2).get("status").asText());
        proceed("serial", s1, "go");
        assertEquals("SUCCESS", c.completed("serial", s1).get("result").asText(), c.log("serial", s1));
        proceed("serial", s2, "go");
        assertEquals("SUCCESS", c.completed("serial", s2).get("result").asText(), c.log("serial", s2));
        proceed("hold", h, "go");
        assertEquals("SUCCESS", c.completed("hold", h).get("result").asText());
    }
}
