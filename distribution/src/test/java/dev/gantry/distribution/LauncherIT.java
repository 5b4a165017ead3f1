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
            // The full JIT on more than two cores, C1 alone on one or two (see the test below).
            assertEquals(cores() <= 2, server.contains("-XX:TieredStopAtLevel=1"), server.toString());
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

    /** The processors the launcher counts ({@code nproc}: the CPUs this process may run on). */
    private static int cores() throws Exception {
        Process p = new ProcessBuilder("nproc").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return Integer.parseInt(out);
    }

    /**
     * The controller runs with the C1 compiler alone on one or two cores and with the full JIT on
     * more; GANTRY_JAVA_OPTS comes after the launcher's options, so -XX:TieredStopAtLevel=4 there
     * keeps C2 on a small machine. The core count comes from a fake {@code nproc} first on PATH.
     */
    @Test
    void theControllerCompilesWithC1AloneOnOneOrTwoCores() throws Exception {
        for (int n : new int[] {2, 8}) {
            for (String opts : List.of("", "-XX:TieredStopAtLevel=4")) {
                Path bin = Files.createDirectories(dir.resolve("bin-" + n));
                Path nproc = bin.resolve("nproc");
                Files.writeString(nproc, "#!/bin/sh\necho " + n + "\n");
                nproc.toFile().setExecutable(true);
                Path home = dir.resolve("home-" + n + "-" + opts.length());
                Gantry.Server s = Gantry.startServer(dir.resolve("server-" + n + "-" + opts.length() + ".log"),
                        List.of("--home", home.toString(), "--port", "0"),
                        Map.of("PATH", bin + ":" + System.getenv("PATH"), "GANTRY_JAVA_OPTS", opts));
                try {
                    List<String> cmd = commandLine(s.process().pid());
                    int c1 = cmd.indexOf("-XX:TieredStopAtLevel=1");
                    int c2 = cmd.lastIndexOf("-XX:TieredStopAtLevel=4");
                    assertEquals(n <= 2, c1 >= 0, n + " cores: " + cmd);
                    assertEquals(!opts.isEmpty(), c2 > c1, "the user's option comes last and wins: " + cmd);
                } finally {
                    s.process().destroy();
                    assertTrue(s.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
                }
            }
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
