package dev.gantry.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JVM options {@code bin/gantry} gives the long-running commands, and its class archives per set of options. */
class LauncherIT {
    @TempDir
    Path dir;

    /** The command line of a running process (the launcher execs the JVM, so the pid is the JVM's). */
    private static List<String> commandLine(long pid) throws Exception {
        String raw = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
        return Arrays.asList(raw.split("\0"));
    }

    @Test
    void theControllerAndAnAgentRunWithTheirMemoryOptionsAndABuildRunsOnTheAgent() throws Exception {
        try (Cluster c = new Cluster(dir, 30)) {
            c.startServer();
            Process agent = c.startAgent("mem-1", c.createAgent("mem-1", "mem"));
            c.awaitOnline("mem-1");
            List<String> server = commandLine(c.server.pid());
            List<String> remote = commandLine(agent.pid());
            assertTrue(server.contains("-Xms16m") && server.contains("-XX:+UseSerialGC"), server.toString());
            // The controller keeps the full JIT: it carries the load of many builds and requests.
            assertFalse(server.contains("-XX:TieredStopAtLevel=1"), server.toString());
            assertTrue(remote.contains("-Xms8m") && remote.contains("-XX:TieredStopAtLevel=1") && remote.contains("-XX:+UseSerialGC"),
                    remote.toString());
            if (Runtime.version().feature() >= 22) {
                assertTrue(server.contains("-XX:TrimNativeHeapInterval=1000") && remote.contains("-XX:TrimNativeHeapInterval=1000"),
                        server + "\n" + remote);
            }
            // The agent talks plain http without the JDK's TLS set-up (PlainHttpOnly) and still runs work.
            int n = c.trigger("mem", "pipeline { agent { label 'mem' }\n stages { stage('S') { steps { sh 'echo on-the-agent' } } } }\n");
            assertEquals("SUCCESS", c.awaitBuild("mem", n, Duration.ofSeconds(60)).path("result").asText(), c.log("mem", n));
            assertTrue(c.log("mem", n).contains("on-the-agent"), c.log("mem", n));
        }
    }

    @Test
    void otherJvmOptionsTrainAClassArchiveOfTheirOwn() throws Exception {
        Path cache = dir.resolve("cache");
        Path f = dir.resolve("one.groovy");
        Files.writeString(f, "node { echo 'once' }\n");
        // A JVM refuses an archive made under some other -XX options (another collector, object
        // headers); with one archive per set of them, no set runs without an archive for good.
        // Any -XX option counts (a harmless one here); -D and -Xmx do not.
        for (String opts : List.of("", "-XX:TieredStopAtLevel=1", "-Xmx300m -Dgantry.unused=1", "-XX:TieredStopAtLevel=1")) {
            Gantry.Done d = Gantry.run(dir, 60, Map.of("GANTRY_CACHE", cache.toString(), "GANTRY_JAVA_OPTS", opts), "run", f.toString(),
                    "--workspace", dir.resolve("ws").toString()).assertExit(0).assertOutput("once");
            assertFalse(d.output().contains("[warning]") || d.output().contains("[error]"), d.output());
        }
        try (var files = Files.list(cache)) {
            List<String> archives = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("classes-cli-\\d+\\.(jsa|aot)")).sorted().toList();
            assertEquals(2, archives.size(), archives.toString());
        }
    }
}
