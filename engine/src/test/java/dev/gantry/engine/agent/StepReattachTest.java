package dev.gantry.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.testing.ControllerFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step running on a remote agent when the controller stops goes on there, and the controller's
 * next start re-attaches the resumed build to it: the step does not run again (a counter file its
 * script appends to says so), its whole output is in the log exactly once, and its outcome is the
 * step's. A real controller (stopped with no grace: its builds are suspended mid-step) and a real
 * agent over HTTP on the same port; the agent's processes are real.
 */
class StepReattachTest {
    @TempDir
    Path dir;
    private ControllerFixture c;
    private int port;
    private final List<AgentProcess> agents = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ByteArrayOutputStream agentLog = new ByteArrayOutputStream();

    @AfterEach
    void stop() throws InterruptedException {
        for (int i = 0; i < agents.size(); i++) {
            agents.get(i).stop();
            threads.get(i).join(Duration.ofSeconds(20));
        }
        if (c != null) {
            c.close();
        }
    }

    private ControllerFixture start(Duration grace) throws IOException {
        if (port == 0) {
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
        }
        c = ControllerFixture.in(dir.resolve("home")).agents(Duration.ofSeconds(3)).reattachGrace(grace).port(port).start();
        return c;
    }

    /** Stops the controller at once: its running builds are suspended mid-step and stay RUNNING. */
    private void stopController() {
        c.close();
        c = null;
    }

    private AgentProcess agent(String name, String secret) throws IOException {
        PrintStream out = new PrintStream(agentLog, true, StandardCharsets.UTF_8);
        AgentProcess p = new AgentProcess(new AgentProcess.Config(c.url, name, secret, List.of(), null, dir.resolve("agent-" + name), null,
                Duration.ofMillis(500)), out);
        agents.add(p);
        threads.add(Thread.ofVirtual().start(p::run));
        ControllerFixture.await(() -> online(name), Duration.ofSeconds(20), () -> "agent " + name + " did not connect");
        return p;
    }

    private boolean online(String name) {
        ControllerFixture now = c;
        return now != null && now.agents.list().stream().anyMatch(a -> a.get("name").equals(name) && Boolean.TRUE.equals(a.get("online")));
    }

    private Path counter() {
        return dir.resolve("count");
    }

    private List<String> counted() throws IOException {
        return Files.exists(counter()) ? Files.readAllLines(counter()) : List.of();
    }

    private static long lines(String log, String line) {
        return log.lines().filter(line::equals).count();
    }

    private void awaitLog(String job, int n, String text) {
        ControllerFixture.await(() -> c.log(job, n).contains(text), Duration.ofSeconds(60), () -> "no '" + text + "' in:\n" + c.log(job, n));
    }

    /** A step that counts its runs, then prints ten numbered lines over about five seconds. */
    private String ticking() {
        return """
                node('remote') {
                  sh 'echo before-step'
                  sh 'echo run >> %s; for i in 1 2 3 4 5 6 7 8 9 10; do echo "tick-$i"; sleep 0.5; done; echo step-done'
                  echo 'after-step'
                }
                """.formatted(counter());
    }

    private void assertEachTickOnce(String log) {
        for (int i = 1; i <= 10; i++) {
            assertEquals(1, lines(log, "tick-" + i), "tick-" + i + " once:\n" + log);
        }
        assertEquals(1, lines(log, "step-done"), log);
        assertEquals(1, lines(log, "before-step"), log);
        assertEquals(1, lines(log, "after-step"), log);
        assertEquals(1, lines(log, "Finished: SUCCESS"), log);
    }

    @Test
    void aStepRunningOnAnAgentWhenTheControllerStopsIsReattachedNotRunAgain() throws Exception {
        start(Duration.ofSeconds(60));
        AgentService.Created a = c.agents.create("a1", List.of("remote"), 2);
        agent(a.name(), a.secret());
        c.putJob("tick", ticking());
        int n = c.trigger("tick");
        awaitLog("tick", n, "tick-2");
        stopController();
        start(Duration.ofSeconds(60));
        assertEquals("SUCCESS", c.completed("tick", n).get("result").asText(), c.log("tick", n));
        String log = c.log("tick", n);
        assertEquals(List.of("run"), counted(), "the step ran once:\n" + log);
        assertEachTickOnce(log);
        ControllerFixture.await(() -> ((RemoteAgent) c.agents.node("a1")).tasks().isEmpty(), Duration.ofSeconds(10),
                () -> "the agent's tasks were released: " + ((RemoteAgent) c.agents.node("a1")).tasks());
    }

    @Test
    void aStepThatFinishedWhileTheControllerWasDownHasItsOutcomeTaken() throws Exception {
        start(Duration.ofSeconds(60));
        AgentService.Created a = c.agents.create("a1", List.of("remote"), 2);
        agent(a.name(), a.secret());
        Path finished = dir.resolve("finished");
        c.putJob("quick", """
                node('remote') {
                  def out = sh(returnStdout: true, script: 'echo run >> %s; echo first; echo second')
                  echo "got ${out.readLines().join(',')}"
                  sh 'echo ran-after >> %s; sleep 2; touch %s; exit 3'
                }
                """.formatted(counter(), counter(), finished));
        int n = c.trigger("quick");
        awaitLog("quick", n, "ran-after");
        stopController();
        // The second step ends while no controller runs: it failed, with exit code 3.
        ControllerFixture.await(() -> Files.exists(finished), Duration.ofSeconds(30), () -> "the step did not finish");
        start(Duration.ofSeconds(60));
        assertEquals("FAILURE", c.completed("quick", n).get("result").asText(), c.log("quick", n));
        String log = c.log("quick", n);
        assertEquals(List.of("run", "ran-after"), counted(), "no step ran twice:\n" + log);
        assertEquals(1, lines(log, "ERROR: script returned exit code 3"), log);
        assertEquals(1, log.lines().filter(l -> l.contains("echo ran-after")).count(), log);
        assertEquals(1, log.lines().filter(l -> l.contains("+ sleep 2")).count(), log);
        assertEquals(1, lines(log, "got first,second"), log);
    }

    /**
     * Like {@link #ticking()}, inside {@code retry(conditions: [agent()])}: each attempt appends
     * its number to the counter; only the first attempt's step lasts (ten seconds).
     */
    private String retried(String label) {
        return """
                def attempt = 0
                retry(count: 3, conditions: [agent()]) {
                  attempt++
                  node('%s') {
                    sh "echo attempt-$attempt >> %s; if [ $attempt = 1 ]; then for i in 1 2 3 4 5 6 7 8 9 10; do echo tick-\\$i; sleep 1; done; fi; echo step-done-$attempt"
                  }
                }
                """.formatted(label, counter());
    }

    /** Attempt 1 failed as agent a1 went offline, {@code resuming} saying why, and never ended; attempt 2 ran to its end. */
    private static void assertFirstAttemptLost(String log, String resuming) {
        assertEquals(1, lines(log, "ERROR: agent a1 went offline during this step"), log);
        assertEquals(1, lines(log, resuming), log);
        assertEquals(1, lines(log, "step-done-2"), log);
        assertEquals(0, lines(log, "step-done-1"), log);
    }

    @Test
    void anAgentGonePastTheGraceMakesTheStepFailAsOfflineNotRunAgainElsewhere() throws Exception {
        start(Duration.ofSeconds(60));
        AgentService.Created a = c.agents.create("a1", List.of("remote"), 2);
        AgentService.Created b = c.agents.create("b1", List.of("remote"), 2);
        AgentProcess first = agent(a.name(), a.secret());
        c.putJob("tick", retried("remote"));
        int n = c.trigger("tick");
        awaitLog("tick", n, "tick-2");
        assertTrue(c.log("tick", n).contains("Running on a1"), c.log("tick", n));
        stopController();
        first.stop(); // its processes die with it: nothing is left to re-attach to
        start(Duration.ofSeconds(4));
        agent(b.name(), b.secret());
        assertEquals("SUCCESS", c.completed("tick", n).get("result").asText(), c.log("tick", n));
        String log = c.log("tick", n);
        // The wait is the grace (4 s from the start), or one lease (3 s) from when the block asked, whichever ends later.
        assertTrue(java.util.regex.Pattern.compile("Resuming: agent a1, where this block ran before the controller restarted, did not come"
                + " back within [4-9] s of the restart; running on b1 in " + java.util.regex.Pattern.quote(dir.resolve("agent-b1/workspace/tick").toString())
                + " instead, where a step whose process was running on a1 fails as that agent went offline").matcher(log).find(), log);
        assertEquals(List.of("attempt-1", "attempt-2"), counted(), "the first attempt did not run again on b1:\n" + log);
        assertFirstAttemptLost(log, "Resuming: this step's process ran on agent a1, which did not come back after the controller restarted;"
                + " its output from before the restart is lost");
    }

    @Test
    void anAgentThatRestartedWhileTheControllerWasDownMakesItsStepFailAsOfflineAndRetryRunsANewAttempt() throws Exception {
        start(Duration.ofSeconds(60));
        AgentService.Created a = c.agents.create("a1", List.of("remote"), 2);
        AgentProcess first = agent(a.name(), a.secret());
        c.putJob("tick", retried("remote"));
        int n = c.trigger("tick");
        awaitLog("tick", n, "tick-2");
        stopController();
        first.stop(); // killed with its processes; it starts again as a new process, which knows nothing of the step
        start(Duration.ofSeconds(60));
        agent(a.name(), a.secret());
        assertEquals("SUCCESS", c.completed("tick", n).get("result").asText(), c.log("tick", n));
        String log = c.log("tick", n);
        assertEquals(List.of("attempt-1", "attempt-2"), counted(), "attempt 1 ran once, then attempt 2:\n" + log);
        assertFirstAttemptLost(log, "Resuming: agent a1 restarted while the controller was down, and this step's process died with it;"
                + " its output from before the restart is lost");
        assertEquals(1, lines(log, "Retrying"), log);
        assertEquals(1, lines(log, "Finished: SUCCESS"), log);
    }
}
