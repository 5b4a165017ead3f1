package dev.gantry.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.plugin.TestPluginJar;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent's plugins: fetched by checksum, verified, cached, loaded with PF4J and run as handler tasks. */
class AgentPluginsTest {
    @TempDir
    Path dir;

    private Path jar;
    private String sha;
    private final AtomicInteger downloads = new AtomicInteger();
    private final ByteArrayOutputStream agentLog = new ByteArrayOutputStream();

    @BeforeEach
    void buildPlugin() throws IOException {
        jar = TestPluginJar.plugin("greet", "1.0.0").source("greet.HelloTask", """
                package greet;
                import dev.gantry.api.task.TaskHandlerExtension;
                import dev.gantry.api.workspace.Workspace;
                import dev.gantry.api.step.Console;
                import java.util.Map;
                @org.pf4j.Extension
                public class HelloTask implements TaskHandlerExtension {
                    @Override public String taskType() { return "greet:hello"; }
                    @Override public Object run(Workspace ws, Map<String, Object> args, Console console) throws Exception {
                        ws.write("greeting.txt", new java.io.ByteArrayInputStream(("hello " + args.get("name")).getBytes()));
                        console.println("greeted " + args.get("name") + " on " + ws.nodeName());
                        return "hello " + args.get("name");
                    }
                }
                """).build(dir.resolve("jars"));
        sha = PluginShipping.sha256Of(jar);
    }

    private AgentPlugins.Source source(UnaryOperator<byte[]> onTheWay) {
        return new AgentPlugins.Source() {
            @Override
            public Map<String, Object> list() {
                return Map.of("plugins", List.of(Map.of("id", "greet", "version", "1.0.0", "sha256", sha, "size", 1)));
            }

            @Override
            public InputStream jar(String sha256) throws IOException {
                assertEquals(sha, sha256);
                downloads.incrementAndGet();
                return new ByteArrayInputStream(onTheWay.apply(Files.readAllBytes(jar)));
            }
        };
    }

    private AgentPlugins plugins(AgentPlugins.Source source) throws IOException {
        return new AgentPlugins(dir.resolve("work"), "agent-1", source, new PrintStream(agentLog, true, StandardCharsets.UTF_8));
    }

    /** Runs a handler task as the agent's task runner does; returns the result, the log in {@code log}. */
    private Object runTask(AgentPlugins plugins, String handler, Map<String, Object> plugin, ByteArrayOutputStream log) throws Exception {
        TaskRunner runner = new TaskRunner("agent-1", dir.resolve("work"), Map.of());
        runner.plugins(plugins);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("root", "workspace/job");
        args.put("handler", handler);
        args.put("arguments", Map.of("name", "Ada"));
        if (plugin != null) {
            args.put("plugin", plugin);
        }
        return runner.run(new TaskRunner.Running(new Task("t1", "handler", args)), new TaskIo() {
            @Override
            public OutputStream log(String stream) {
                return log;
            }

            @Override
            public InputStream input() {
                throw new AssertionError("a handler task has no input");
            }

            @Override
            public OutputStream output() {
                throw new AssertionError("a handler task has no output");
            }
        });
    }

    private Map<String, Object> spec() {
        return Map.of("id", "greet", "version", "1.0.0", "sha256", sha);
    }

    private String agentLog() {
        return agentLog.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPluginIsDownloadedOnceVerifiedCachedByChecksumAndItsHandlerRunsOnTheAgent() throws Exception {
        try (AgentPlugins p = plugins(source(b -> b))) {
            p.sync();
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            assertEquals("hello Ada", runTask(p, "greet:hello", spec(), log));
            assertEquals("greeted Ada on agent-1\n", log.toString(StandardCharsets.UTF_8));
            assertEquals("hello Ada", Files.readString(dir.resolve("work/workspace/job/greeting.txt")));
        }
        assertEquals(1, downloads.get());
        assertTrue(Files.isRegularFile(dir.resolve("work/plugins/cache/" + sha + ".jar")), agentLog());
        assertTrue(agentLog().contains("plugin greet 1.0.0: downloaded from the controller"), agentLog());

        try (AgentPlugins again = plugins(source(b -> b))) {
            again.sync();
            assertEquals("hello Ada", runTask(again, "greet:hello", spec(), new ByteArrayOutputStream()));
        }
        assertEquals(1, downloads.get(), "the second start must use the cached jar");
        assertTrue(agentLog().contains("plugin greet 1.0.0: using the cached jar"), agentLog());
    }

    @Test
    void aHandlerTaskLoadsItsPluginWhenTheAgentDidNotHaveItYet() throws Exception {
        try (AgentPlugins p = plugins(source(b -> b))) {
            assertEquals("hello Ada", runTask(p, "greet:hello", spec(), new ByteArrayOutputStream()));
            assertEquals(1, downloads.get());
        }
    }

    @Test
    void aTamperedCachedJarIsDetectedAndFetchedAgain() throws Exception {
        try (AgentPlugins p = plugins(source(b -> b))) {
            p.sync();
        }
        Files.write(dir.resolve("work/plugins/cache/" + sha + ".jar"), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        try (AgentPlugins p = plugins(source(b -> b))) {
            p.sync();
            assertEquals("hello Ada", runTask(p, "greet:hello", spec(), new ByteArrayOutputStream()));
        }
        assertEquals(2, downloads.get());
        assertTrue(agentLog().contains("the cached jar " + dir.resolve("work/plugins/cache/" + sha + ".jar")
                + " does not match its SHA-256"), agentLog());
        assertEquals(sha, PluginShipping.sha256Of(dir.resolve("work/plugins/cache/" + sha + ".jar")));
    }

    @Test
    void aDownloadThatDoesNotMatchItsChecksumIsRefusedAndTheTaskFailsSayingSo() throws Exception {
        try (AgentPlugins p = plugins(source(b -> {
            byte[] changed = b.clone();
            changed[changed.length / 2] ^= 1;
            return changed;
        }))) {
            IOException e = assertThrows(IOException.class, () -> runTask(p, "greet:hello", spec(), new ByteArrayOutputStream()));
            assertTrue(e.getMessage().contains("task 'greet:hello' needs plugin greet 1.0.0, which this agent could not load: refusing plugin"
                    + " greet 1.0.0: the jar downloaded from the controller has SHA-256 "), e.getMessage());
            assertTrue(e.getMessage().contains("but the controller announced " + sha), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("work/plugins/cache/" + sha + ".jar")), "a refused jar must not be cached");
        try (var files = Files.list(dir.resolve("work/plugins/cache"))) {
            assertEquals(0, files.count(), "no partial download may be left behind");
        }
    }

    @Test
    void aTaskNamingAHandlerTheAgentLacksFailsNamingTheHandlersItHas() throws Exception {
        try (AgentPlugins p = plugins(source(b -> b))) {
            p.sync();
            IOException e = assertThrows(IOException.class, () -> runTask(p, "deploy:push", null, new ByteArrayOutputStream()));
            assertEquals("no task handler 'deploy:push' on node agent-1 (handlers there: greet:hello); install the plugin that provides it"
                    + " on the controller, which sends it to its agents", e.getMessage());
        }
    }
}
