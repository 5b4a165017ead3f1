package dev.gantry.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins on agents, on the built distribution: the example plugin installed on a running
 * controller; a remote {@code gantry agent} process fetches its jar (verified by SHA-256, cached
 * by checksum), loads it and runs the plugin's task for a pipeline; a restart uses the cache,
 * and a cached jar changed on disk is detected and fetched again.
 */
class PluginsOnAgentsIT {
    private static final Path EXAMPLE = Path.of(System.getProperty("gantry.examplePlugin",
            "../plugins/example-plugin/target/checksum-plugin-1.0.0.jar")).toAbsolutePath().normalize();
    private static final String HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    private static final String SCRIPT = """
            node('remote') {
                writeFile file: 'a.txt', text: 'hello'
                def sum = nodeChecksum 'a.txt'
                echo "returned ${sum}"
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aPluginTaskRunsOnARemoteAgentThatFetchesVerifiesAndCachesThePluginJar() throws Exception {
        assertTrue(Files.isRegularFile(EXAMPLE), "the example plugin is not built: " + EXAMPLE);
        String sha = sha256(EXAMPLE);
        try (Cluster c = new Cluster(dir, 30)) {
            c.startServer();
            Gantry.run(dir, 60, "plugin", "install", EXAMPLE.toString(), "--url", c.base.toString()).assertExit(0);
            String secret = c.createAgent("remote-1", "remote");
            Process agent = startAndAwaitPlugin(c, secret);
            String agentLog = Gantry.read(c.agentLog("remote-1"));
            assertTrue(agentLog.contains("plugin checksum 1.0.0: downloaded from the controller"), agentLog);
            Path cached = dir.resolve("agent-remote-1/plugins/cache/" + sha + ".jar");
            assertEquals(sha, sha256(cached));

            buildSucceedsOnTheAgent(c, 1);

            // A second start uses the cached jar: nothing is downloaded.
            stop(agent);
            agent = startAndAwaitPlugin(c, secret);
            agentLog = Gantry.read(c.agentLog("remote-1"));
            assertTrue(agentLog.contains("plugin checksum 1.0.0: using the cached jar " + cached + " (SHA-256 verified)"), agentLog);
            assertFalse(agentLog.contains("downloaded from the controller"), agentLog);

            // A cached jar changed on disk is detected, fetched again, and works.
            stop(agent);
            Files.write(cached, "tampered".getBytes(java.nio.charset.StandardCharsets.UTF_8), StandardOpenOption.APPEND);
            startAndAwaitPlugin(c, secret);
            agentLog = Gantry.read(c.agentLog("remote-1"));
            assertTrue(agentLog.contains("plugin checksum 1.0.0: the cached jar " + cached + " does not match its SHA-256"), agentLog);
            assertTrue(agentLog.contains("plugin checksum 1.0.0: downloaded from the controller"), agentLog);
            assertEquals(sha, sha256(cached));
            buildSucceedsOnTheAgent(c, 2);
        }
    }

    private Process startAndAwaitPlugin(Cluster c, String secret) throws Exception {
        Process agent = c.startAgent("remote-1", secret);
        c.awaitOnline("remote-1");
        Cluster.await(() -> Gantry.read(c.agentLog("remote-1")).contains("plugin checksum 1.0.0 loaded"), Duration.ofSeconds(60),
                () -> "the agent did not load the plugin:\n" + Gantry.read(c.agentLog("remote-1")));
        return agent;
    }

    private void buildSucceedsOnTheAgent(Cluster c, int expectedNumber) throws Exception {
        int n = c.trigger("on-agent", SCRIPT);
        assertEquals(expectedNumber, n);
        JsonNode build = c.awaitBuild("on-agent", n, Duration.ofSeconds(120));
        String log = c.log("on-agent", n);
        assertEquals("SUCCESS", build.get("result").asText(), log);
        assertTrue(log.contains("SHA-256 of a.txt computed on remote-1 in " + dir.resolve("agent-remote-1/workspace/on-agent")
                + ": " + HELLO_SHA256), log);
        assertTrue(log.contains("returned " + HELLO_SHA256), log);
    }

    private static void stop(Process agent) throws InterruptedException {
        agent.destroy();
        assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent did not stop on SIGTERM");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
