package dev.gantry.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gantry.engine.testing.ControllerFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long an agent waits between attempts to reach its controller: while it has never been
 * connected (started together with its controller) it keeps retrying every 50-100 ms, so it is
 * online as soon as the controller listens; once it has had a session, a controller that went
 * away is retried with exponential backoff up to the configured maximum. A real agent against a
 * real controller that starts after it on a fixed port.
 */
class AgentBackoffTest {
    @TempDir
    Path dir;

    @Test
    void anAgentStartedBeforeItsControllerRetriesQuicklyAndBacksOffOnlyAfterItsFirstSession() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // The agent needs its secret, so the controller is created first, then stopped, then the
        // agent starts against the closed port, then the controller starts again.
        ControllerFixture first = ControllerFixture.in(dir.resolve("home")).agents(Duration.ofSeconds(3)).port(port).start();
        AgentService.Created a = first.agents.create("early", List.of("remote"), 1);
        String url = first.url;
        first.close();

        AgentProcess agent = new AgentProcess(new AgentProcess.Config(url, a.name(), a.secret(), List.of(), null, dir.resolve("agent"), null,
                Duration.ofSeconds(10)), new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(100, agent.backoffCapMillis(0));
        assertEquals(100, agent.backoffCapMillis(12), "never connected: no doubling in its first seconds");
        Thread t = Thread.ofVirtual().start(agent::run);
        try {
            ControllerFixture.await(() -> log.toString(StandardCharsets.UTF_8).contains("cannot reach the controller"), Duration.ofSeconds(10),
                    () -> "the agent did not try the closed port: " + log);
            try (ControllerFixture c = ControllerFixture.in(dir.resolve("home")).agents(Duration.ofSeconds(3)).port(port).start()) {
                ControllerFixture.await(() -> c.agents.list().stream().anyMatch(x -> x.get("name").equals("early") && Boolean.TRUE.equals(x.get("online"))),
                        Duration.ofSeconds(20), () -> "the agent did not connect: " + log);
                // online on the controller's side comes a moment before the agent has read the connect answer
                ControllerFixture.await(() -> agent.backoffCapMillis(3) == 800, Duration.ofSeconds(10),
                        () -> "after a session, waits double again: " + agent.backoffCapMillis(3));
                assertEquals(10_000, agent.backoffCapMillis(12), "up to the configured maximum");
            }
        } finally {
            agent.stop();
            t.join(Duration.ofSeconds(20));
        }
    }
}
