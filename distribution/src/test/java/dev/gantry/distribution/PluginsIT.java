package dev.gantry.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins on the built distribution, end to end: the example plugin's jar installed into a
 * running controller with {@code gantry plugin install}, a job using its step built, a job using
 * its credential binding built with the secret masked in the log, the plugin
 * disabled and uninstalled; broken plugins (bad manifest, missing dependency, exception in
 * start, engine too old) listed with their errors while the controller keeps serving; and
 * {@code gantry run} using plugins from the distribution's {@code plugins/} folder and the home's.
 */
class PluginsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLE = Path.of(System.getProperty("gantry.examplePlugin",
            "../plugins/example-plugin/target/checksum-plugin-1.0.0.jar")).toAbsolutePath().normalize();
    private static final String HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    private static final String JOB = """
            node {
                writeFile file: 'a.txt', text: 'hello'
                writeChecksum 'a.txt'
                sh 'cat a.txt.sha256'
                echo "node task: ${nodeChecksum 'a.txt'}"
            }
            """;
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private Process server;
    private URI base;

    @AfterEach
    void stopServer() throws Exception {
        Gantry.stop(server);
    }

    @Test
    void theExamplePluginIsInstalledUsedDisabledAndUninstalledOnARunningControllerBesideBrokenPlugins() throws Exception {
        assertTrue(Files.isRegularFile(EXAMPLE), "the example plugin is not built: " + EXAMPLE);
        Path home = dir.resolve("home");
        Path plugins = home.resolve("plugins");
        brokenPlugins(plugins);
        start(home);
        String url = base.toString();

        Gantry.Done list = Gantry.run(dir, 60, "plugin", "list", "--url", url).assertExit(0);
        list.assertOutput(
                "bad-manifest.jar is not a valid Gantry plugin: its META-INF/MANIFEST.MF has no Plugin-Id",
                "needs plugin 'nowhere' >=1.0.0, which is not installed: install it (gantry plugin install nowhere.jar) or remove 'lonely'",
                "threw while starting: java.lang.IllegalStateException: the boom plugin always fails",
                "needs Gantry >=99.0.0 (Plugin-Requires), but this is Gantry 0.1.0");
        JsonNode listed = json(get("api/v1/plugins")).path("plugins");
        Map<String, String> states = new HashMap<>();
        // The distribution's bundled plugins (git, notify) are listed too; the home's broken ones are these.
        listed.forEach(p -> {
            if (!p.path("bundled").asBoolean()) {
                states.put(p.path("id").asText(), p.path("state").asText());
            }
        });
        assertEquals(Map.of("bad-manifest", "INVALID", "lonely", "INVALID", "boom", "FAILED", "future", "INVALID"), states, listed.toString());
        assertEquals(200, get("ready").statusCode(), "broken plugins leave the controller up");

        Gantry.run(dir, 60, "plugin", "install", EXAMPLE.toString(), "--url", url).assertExit(0)
                .assertOutput("installed checksum 1.0.0", "STARTED", "steps: nodeChecksum, writeChecksum");
        assertTrue(Files.isRegularFile(plugins.resolve("checksum.jar")));
        assertEquals("STARTED", json(get("api/v1/plugins/checksum")).path("state").asText());

        Path jenkinsfile = Files.writeString(dir.resolve("checksum.groovy"), JOB);
        Gantry.run(dir, 60, "job", "apply", jenkinsfile.toString(), "--url", url).assertExit(0);
        Gantry.run(dir, 120, "build", "checksum", "--follow", "--url", url).assertExit(0)
                .assertOutput("SHA-256 of a.txt: " + HELLO_SHA256 + " (written to a.txt.sha256)", HELLO_SHA256 + "  a.txt",
                        "SHA-256 of a.txt computed on built-in in ", "node task: " + HELLO_SHA256);
        // The step's report over REST, and the plugin's panel on the build page (a sandboxed frame, no script).
        JsonNode report = json(get("api/v1/jobs/checksum/builds/1/reports/checksum:checksums/sha256"));
        assertEquals(HELLO_SHA256, report.path("data").path("files").get(0).path("sha256").asText(), report.toString());
        assertEquals(1, report.path("summary").path("files").asInt(), report.toString());
        assertEquals("checksum:checksums", json(get("api/v1/jobs/checksum/builds/1")).path("reports").get(0).path("kind").asText());
        HttpResponse<String> page = get("job/checksum/~1");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<h2>Checksums</h2>"), page.body());
        int frame = page.body().indexOf("<iframe class=\"plugin-panel\" sandbox=\"\" ");
        assertTrue(frame > 0, page.body());
        String iframe = page.body().substring(frame, page.body().indexOf("</iframe>", frame));
        assertTrue(iframe.contains("srcdoc=\"&lt;table") && iframe.contains(HELLO_SHA256) && !iframe.contains("allow-"), iframe);

        // The plugin's credential binding in withCredentials: the bound header (a value derived from the secret) is masked.
        HttpResponse<String> created = send("POST", "api/v1/credentials", Map.of("id", "api-token", "type", "string",
                "fields", Map.of("secret", "dist-s3cr3t")));
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> saved = send("PUT", "api/v1/jobs/header", Map.of("script", """
                pipeline {
                    agent any
                    stages { stage('upload') { steps {
                        withCredentials([authHeader(credentialsId: 'api-token', variable: 'AUTH', headerFileVariable: 'HF')]) {
                            sh 'echo "header: $AUTH"; cat "$HF"; test "$AUTH" = "Bearer dist-s3cr3t" && echo "header matches"'
                        }
                    } } }
                }
                """));
        assertTrue(saved.statusCode() / 100 == 2, saved.body());
        Gantry.run(dir, 120, "build", "header", "--follow", "--url", url).assertExit(0);
        String headerLog = get("api/v1/jobs/header/builds/1/log").body();
        assertTrue(headerLog.contains("header: ****") && headerLog.contains("Authorization: ****") && headerLog.contains("header matches"),
                headerLog);
        assertFalse(headerLog.contains("dist-s3cr3t"), headerLog);

        Gantry.run(dir, 60, "plugin", "disable", "checksum", "--url", url).assertExit(0).assertOutput("DISABLED");
        HttpResponse<String> save = send("PUT", "api/v1/jobs/checksum", Map.of("script", JOB));
        assertEquals(400, save.statusCode(), save.body());
        assertTrue(save.body().contains("writeChecksum"), "saving names the unknown step: " + save.body());
        Gantry.Done failed = Gantry.run(dir, 120, "build", "checksum", "--follow", "--url", url);
        assertEquals(1, failed.exit(), failed.output());
        failed.assertOutput("No such step or function 'writeChecksum'");

        Gantry.run(dir, 60, "plugin", "enable", "checksum", "--url", url).assertExit(0).assertOutput("STARTED");
        Gantry.run(dir, 120, "build", "checksum", "--follow", "--url", url).assertExit(0);

        Gantry.run(dir, 60, "plugin", "uninstall", "checksum", "--url", url).assertExit(0).assertOutput("uninstalled checksum");
        assertFalse(Files.exists(plugins.resolve("checksum.jar")));
        assertEquals(404, get("api/v1/plugins/checksum").statusCode());
        Gantry.run(dir, 60, "plugin", "list", "--url", url).assertExit(0);
        assertFalse(Gantry.run(dir, 60, "plugin", "list", "--url", url).output().contains("checksum"));

        Path notAPlugin = jar(dir.resolve("upload/not-a-plugin.jar"), Map.of(), Map.of());
        Gantry.Done refused = Gantry.run(dir, 60, "plugin", "install", notAPlugin.toString(), "--url", url);
        assertEquals(2, refused.exit(), refused.output());
        refused.assertOutput("HTTP 400: the uploaded file is not a valid Gantry plugin: its META-INF/MANIFEST.MF has no Plugin-Id");
        assertEquals(200, get("ready").statusCode());
    }

    @Test
    void gantryRunUsesTheDistributionsBundledPluginsAndTheHomesPlugins() throws Exception {
        assertTrue(Files.isRegularFile(EXAMPLE), "the example plugin is not built: " + EXAMPLE);
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Path jenkinsfile = Files.writeString(dir.resolve("Jenkinsfile"), JOB);

        // A distribution of its own whose plugins/ folder bundles the example plugin.
        Path dist = Files.createDirectories(dir.resolve("dist"));
        for (String part : List.of("bin", "lib", "conf")) {
            Files.createSymbolicLink(dist.resolve(part), Gantry.DIST.resolve(part));
        }
        Files.copy(EXAMPLE, Files.createDirectories(dist.resolve("plugins")).resolve("checksum-plugin-1.0.0.jar"));
        Path emptyHome = Files.createDirectories(dir.resolve("empty-home"));
        Gantry.Done bundled = run(dist, ws, Map.of("GANTRY_HOME", emptyHome.toString()), "run", jenkinsfile.toString(), "--workspace", ws.toString());
        bundled.assertExit(0).assertOutput("SHA-256 of a.txt: " + HELLO_SHA256, "node task: " + HELLO_SHA256);

        // The real distribution, with the plugin in the home instead.
        Path home = dir.resolve("home");
        Gantry.run(dir, 60, "plugin", "install", EXAMPLE.toString(), "--home", home.toString()).assertExit(0).assertOutput("ENABLED");
        Map<String, String> env = Map.of("GANTRY_HOME", home.toString());
        Gantry.run(ws, 120, env, "run", jenkinsfile.toString(), "--workspace", ws.toString()).assertExit(0).assertOutput("SHA-256 of a.txt: " + HELLO_SHA256);
        Gantry.run(ws, 60, env, "steps", "writeChecksum").assertExit(0).assertOutput("writeChecksum");
        Gantry.run(ws, 60, env, "lint", jenkinsfile.toString()).assertExit(0);

        Gantry.run(dir, 60, "plugin", "disable", "checksum", "--home", home.toString()).assertExit(0).assertOutput("DISABLED");
        Gantry.Done lint = Gantry.run(ws, 60, env, "lint", jenkinsfile.toString());
        assertEquals(2, lint.exit(), lint.output());
        lint.assertOutput("writeChecksum");
    }

    private static Gantry.Done run(Path dist, Path cwd, Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile(cwd.getParent(), "out", ".txt");
        List<String> cmd = new ArrayList<>(List.of(dist.resolve("bin/gantry").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        pb.environment().put("GANTRY_CDS", "off");
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("gantry " + String.join(" ", args) + " did not finish; output:\n" + Gantry.tail(out));
        }
        return new Gantry.Done(p.exitValue(), out);
    }

    /** The four ways a plugin can be broken, as jars in the home's plugins folder. */
    private void brokenPlugins(Path plugins) throws Exception {
        jar(plugins.resolve("bad-manifest.jar"), Map.of("Plugin-Version", "1.0.0"), Map.of());
        jar(plugins.resolve("lonely.jar"), Map.of("Plugin-Id", "lonely", "Plugin-Version", "1.0.0", "Plugin-Dependencies", "nowhere@>=1.0.0"), Map.of());
        jar(plugins.resolve("future.jar"), Map.of("Plugin-Id", "future", "Plugin-Version", "1.0.0", "Plugin-Requires", ">=99.0.0"), Map.of());
        Path classes = compile("boom.Boom", """
                package boom;
                public class Boom extends dev.gantry.api.extension.GantryPlugin {
                    @Override public void start() { throw new IllegalStateException("the boom plugin always fails"); }
                }
                """);
        jar(plugins.resolve("boom.jar"), Map.of("Plugin-Id", "boom", "Plugin-Version", "1.0.0", "Plugin-Class", "boom.Boom"),
                Map.of("boom/Boom.class", classes.resolve("boom/Boom.class")));
    }

    private Path compile(String className, String code) throws Exception {
        Path src = dir.resolve("src/" + className.replace('.', '/') + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, code);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, null, null, List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                "-proc:none"), null, javac.getStandardFileManager(null, null, null).getJavaFileObjects(src.toFile())).call();
        assertTrue(ok, diagnostics.toString());
        return classes;
    }

    private static Path jar(Path file, Map<String, String> manifest, Map<String, Path> entries) throws Exception {
        Files.createDirectories(file.getParent());
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((k, v) -> m.getMainAttributes().putValue(k, v));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), m)) {
            for (Map.Entry<String, Path> e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                Files.copy(e.getValue(), out);
                out.closeEntry();
            }
        }
        return file;
    }

    private void start(Path home) throws Exception {
        Gantry.Server started = Gantry.startServer(dir.resolve("server.log"), List.of("--home", home.toString(), "--port", "0"));
        server = started.process();
        base = started.base();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(Gantry.request(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, Object body) throws Exception {
        return http.send(Gantry.request(base.resolve(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }
}
