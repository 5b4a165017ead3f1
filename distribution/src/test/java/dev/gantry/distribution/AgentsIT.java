package dev.gantry.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built distribution's controller with {@code gantry agent} processes: stages placed by
 * label, a stash moved between agents, artifacts archived to the controller; and the faults an
 * agent must survive or report: kill -9 mid-step, SIGSTOP, a controller restart.
 */
class AgentsIT {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void stagesRunOnTwoAgentsAndAStashMovesBetweenThem() throws Exception {
        try (Cluster c = new Cluster(dir, 30)) {
            c.startServer();
            c.startAgent("linux-1", c.createAgent("linux-1", "alpha"));
            c.startAgent("linux-2", c.createAgent("linux-2", "beta"), "--labels", "docker");
            c.awaitOnline("linux-1", "linux-2");
            int n = c.trigger("two-agents", """
                    pipeline {
                      agent none
                      stages {
                        stage('build') {
                          agent { label 'alpha' }
                          steps {
                            sh 'mkdir -p dist && echo "built on $NODE_NAME" > dist/app.txt'
                            stash name: 'app', includes: 'dist/**'
                          }
                        }
                        stage('package') {
                          agent { label 'beta && docker' }
                          steps {
                            unstash 'app'
                            sh 'echo "packaged on $NODE_NAME" >> dist/app.txt; cat dist/app.txt'
                            archiveArtifacts 'dist/*.txt'
                          }
                        }
                      }
                    }
                    """);
            JsonNode build = c.awaitBuild("two-agents", n, Duration.ofSeconds(120));
            String log = c.log("two-agents", n);
            assertEquals("SUCCESS", build.get("result").asText(), log);
            assertTrue(log.contains("Running on linux-1 in ") && log.contains("Running on linux-2 in "), log);
            HttpResponse<String> artifact = c.get("api/v1/jobs/two-agents/builds/" + n + "/artifacts/dist/app.txt");
            assertEquals(200, artifact.statusCode());
            assertEquals("built on linux-1\npackaged on linux-2\n", artifact.body());
            JsonNode agents = Cluster.JSON.readTree(c.get("api/v1/agents").body());
            assertTrue(agents.toString().contains("\"docker\""), agents.toString());
        }
    }

    @Test
    void anAgentKilledMidStepFailsTheStepOnceItsLeaseExpires() throws Exception {
        try (Cluster c = new Cluster(dir, 3)) {
            c.startServer();
            Process agent = c.startAgent("doomed", c.createAgent("doomed", "work"));
            c.awaitOnline("doomed");
            int n = c.trigger("killed", """
                    node('work') {
                      sh 'echo step-started; sleep 120'
                    }
                    """);
            Cluster.await(() -> c.log("killed", n).contains("step-started"), Duration.ofSeconds(60), () -> c.log("killed", n));
            // The agent dies first: were its step's processes killed first, it could still report
            // their exit (137) before its own end, and the build would not be about a lost agent.
            java.util.List<ProcessHandle> steps = agent.descendants().toList();
            Cluster.signal(agent, "KILL");
            agent.waitFor();
            steps.forEach(ProcessHandle::destroyForcibly);
            JsonNode build = c.awaitBuild("killed", n, Duration.ofSeconds(60));
            String log = c.log("killed", n);
            assertEquals("FAILURE", build.get("result").asText(), log);
            assertTrue(log.contains("agent doomed went offline during this step"), log);
        }
    }

    @Test
    void anAgentStoppedForFiveSecondsFinishesTheBuildWithItsWholeLog() throws Exception {
        try (Cluster c = new Cluster(dir, 20)) {
            c.startServer();
            Process agent = c.startAgent("sleepy", c.createAgent("sleepy", "work"));
            c.awaitOnline("sleepy");
            int n = c.trigger("paused", """
                    node('work') {
                      sh 'for i in 1 2 3 4 5 6 7 8; do echo "tick-$i"; sleep 1; done'
                    }
                    """);
            Cluster.await(() -> c.log("paused", n).contains("tick-2"), Duration.ofSeconds(60), () -> c.log("paused", n));
            Cluster.signal(agent, "STOP");
            Thread.sleep(5_000); // the fault itself: the agent is frozen for five seconds
            Cluster.signal(agent, "CONT");
            JsonNode build = c.awaitBuild("paused", n, Duration.ofSeconds(60));
            String log = c.log("paused", n);
            assertEquals("SUCCESS", build.get("result").asText(), log);
            for (int i = 1; i <= 8; i++) {
                String tick = "\ntick-" + i + "\n";
                assertEquals(log.indexOf(tick), log.lastIndexOf(tick), "tick-" + i + " once:\n" + log);
                assertTrue(log.contains(tick), "tick-" + i + " missing:\n" + log);
            }
        }
    }

    @Test
    void idleAgentsReconnectAfterAControllerRestart() throws Exception {
        try (Cluster c = new Cluster(dir, 10)) {
            c.startServer();
            c.startAgent("steady", c.createAgent("steady", "work"));
            c.awaitOnline("steady");
            c.stopServer();
            c.startServer();
            c.awaitOnline("steady");
            int n = c.trigger("after-restart", "node('work') { sh 'echo ran on $NODE_NAME' }");
            JsonNode build = c.awaitBuild("after-restart", n, Duration.ofSeconds(60));
            String log = c.log("after-restart", n);
            assertEquals("SUCCESS", build.get("result").asText(), log);
            assertTrue(log.contains("ran on steady"), log);
            String agentLog = Gantry.read(c.agentLog("steady"));
            assertTrue(agentLog.indexOf("connected to") != agentLog.lastIndexOf("connected to"), "connected only once:\n" + agentLog);
        }
    }
}
