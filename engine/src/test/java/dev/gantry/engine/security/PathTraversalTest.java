package dev.gantry.engine.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.Result;
import dev.gantry.api.build.StashStore;
import dev.gantry.engine.local.LocalRun;
import dev.gantry.engine.plugin.EngineVersion;
import dev.gantry.engine.plugin.PluginSystem;
import dev.gantry.engine.steps.StepLibrary;
import dev.gantry.engine.testing.ControllerFixture;
import dev.gantry.engine.workspace.LocalStashStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Path traversal through every path a user controls, against the real code paths: artifact,
 * step log and job paths over REST ({@code ../}, {@code %2e%2e}, absolute), stash names, a
 * workspace symbolic link leading out during {@code archiveArtifacts}, and "zip slip" entries
 * in a stash being unstashed and in an uploaded plugin.
 */
class PathTraversalTest {
    private static final List<String> HOSTILE = List.of("../../../../../../etc/passwd", "%2e%2e/%2e%2e/%2e%2e/%2e%2e/secrets/master.key",
            "%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fsecrets%2Fmaster.key", "..%2f..%2f..%2f..%2fsecrets%2fmaster.key", "/etc/passwd",
            "%2Fetc%2Fpasswd", "a/../../../../../secrets/master.key", "..%5c..%5csecrets%5cmaster.key", "....//....//etc/passwd");

    @TempDir
    Path home;
    @TempDir
    Path outside;

    @Test
    void artifactLogAndJobPathsCannotLeaveTheirDirectories() throws Exception {
        try (ControllerFixture f = ControllerFixture.start(home, 1)) {
            f.putJob("app", "node { writeFile file: 'a.txt', text: 'artifact'; archiveArtifacts 'a.txt' }");
            int n = f.trigger("app");
            assertEquals("SUCCESS", f.completed("app", n).get("result").asText(), f.log("app", n));
            assertEquals("artifact", f.get("api/v1/jobs/app/builds/" + n + "/artifacts/a.txt").body());
            String key = new String(Files.readAllBytes(home.resolve("secrets/master.key")), StandardCharsets.ISO_8859_1);
            for (String hostile : HOSTILE) {
                for (String path : List.of("api/v1/jobs/app/builds/" + n + "/artifacts/" + hostile,
                        "api/v1/jobs/app/builds/" + n + "/steps/" + hostile + "/log",
                        "api/v1/jobs/" + hostile, "api/v1/jobs/" + hostile + "/builds/1/log")) {
                    HttpResponse<String> r = f.sendAlone("GET", path, null);
                    assertNotEquals(200, r.statusCode(), path + " answered " + r.body());
                    assertFalse(r.body().contains("root:"), path);
                    assertFalse(r.body().contains(key), path);
                }
                HttpResponse<String> put = f.sendAlone("PUT", "api/v1/jobs/" + hostile, java.util.Map.of("script", "node { echo 'x' }"));
                assertTrue(put.statusCode() == 400 || put.statusCode() == 404, hostile + ": " + put.statusCode() + " " + put.body());
            }
            assertEquals(List.of("app"), f.json("api/v1/jobs").findValuesAsText("name"), "no job was created by a hostile name");
        }
    }

    @Test
    void archivingASymbolicLinkThatLeavesTheWorkspaceIsRefused() throws Exception {
        Path secret = outside.resolve("secret.txt");
        Files.writeString(secret, "outside-content");
        try (ControllerFixture f = ControllerFixture.start(home, 1)) {
            f.putJob("leak", "node { sh 'echo inside > ok.txt; ln -sf " + secret + " leak.txt; ln -sfn " + outside + " dirlink'\n"
                    + " archiveArtifacts '**' }");
            int n = f.trigger("leak");
            JsonNode b = f.completed("leak", n);
            String log = f.log("leak", n);
            assertEquals("FAILURE", b.get("result").asText(), log);
            assertTrue(log.contains("refusing to archive symbolic links that lead out of the workspace: dirlink -> " + outside
                    + ", leak.txt -> " + secret), log);
            assertEquals(0, b.path("artifacts").size(), b.toString());
            assertNotEquals(200, f.get("api/v1/jobs/leak/builds/" + n + "/artifacts/leak.txt").statusCode());

            f.putJob("inside", "node { sh 'echo inside > ok.txt; ln -sf ok.txt same.txt'\n archiveArtifacts '*.txt' }");
            int m = f.trigger("inside");
            assertEquals("SUCCESS", f.completed("inside", m).get("result").asText(), "a link inside the workspace is archived: " + f.log("inside", m));
            assertEquals("inside\n", f.get("api/v1/jobs/inside/builds/" + m + "/artifacts/same.txt").body());
        }
    }

    @Test
    void stashNamesThatAreNotPlainNamesAreRefused() throws Exception {
        for (String name : List.of("../escape", "%2e%2e", "/tmp/abs", "a/../../b", "..")) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            LocalRun.Outcome o = new LocalRun(StepLibrary.builtins(), home.resolve("ws")).run("Jenkinsfile",
                    "node { writeFile file: 'a.txt', text: 'x'; stash name: '" + name + "', includes: 'a.txt' }", log);
            String text = log.toString(StandardCharsets.UTF_8);
            assertEquals(Result.FAILURE, o.result(), name + ": " + text);
            assertTrue(text.contains("stash name"), name + ": " + text);
        }
        try (var files = Files.walk(home)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tar")), "no stash was written under a hostile name");
        }
    }

    @Test
    void unstashRefusesEntriesThatWouldLandOutsideTheWorkspace() throws Exception {
        Path target = outside.resolve("slipped.txt");
        for (String entry : List.of("../../slipped.txt", outside.resolve("slipped.txt").toString(), "sub/../../../slipped.txt")) {
            LocalStashStore store = new LocalStashStore(home.resolve("stashes"));
            try (OutputStream out = store.create("evil")) {
                out.write(tar(entry, "zip slip"));
            }
            Path ws = outside.resolve("a/b/ws");
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            LocalRun.Outcome o = new LocalRun(StepLibrary.builtins(), ws).service(StashStore.class, store)
                    .run("Jenkinsfile", "node { unstash 'evil' }", log);
            String text = log.toString(StandardCharsets.UTF_8);
            assertEquals(Result.FAILURE, o.result(), entry + ": " + text);
            assertTrue(text.contains("slipped.txt"), "the message names the entry: " + text);
            assertFalse(Files.exists(target), entry + " was written outside the workspace");
            assertFalse(Files.exists(outside.resolve("a/slipped.txt")), entry);
        }
    }

    @Test
    void aPluginWithEntriesOutsideItsOwnTreeIsRefusedOnUpload() throws Exception {
        Path jar = outside.resolve("evil.jar");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Plugin-Id", "evil");
        m.getMainAttributes().putValue("Plugin-Version", "1.0.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            out.putNextEntry(new JarEntry("../../../../tmp/evil.txt"));
            out.write("slip".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        try (ControllerFixture f = ControllerFixture.start(home, 1);
             PluginSystem ps = PluginSystem.start(new PluginSystem.Config(null, home.resolve("plugins"), home.resolve("plugin-data"),
                     home.resolve("libs"), EngineVersion.CURRENT), StepLibrary.builtins())) {
            f.controller.plugins(ps);
            HttpResponse<byte[]> r = f.send(f.request("api/v1/plugins").header("Content-Type", "application/java-archive")
                    .POST(HttpRequest.BodyPublishers.ofFile(jar)).build());
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertEquals(400, r.statusCode(), body);
            assertTrue(body.contains("../../../../tmp/evil.txt"), body);
            assertTrue(body.contains("outside the plugin"), body);
            try (var files = Files.list(home.resolve("plugins"))) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".jar")), "the plugin was not installed");
            }
        }
    }

    /** A POSIX tar with one regular file, written by hand so that its entry name can be anything. */
    static byte[] tar(String name, String content) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        byte[] h = new byte[512];
        put(h, 0, name, 100);
        put(h, 100, "0000644", 8);
        put(h, 108, "0000000", 8);
        put(h, 116, "0000000", 8);
        put(h, 124, String.format("%011o", data.length), 12);
        put(h, 136, String.format("%011o", 0), 12);
        h[156] = '0';
        put(h, 257, "ustar", 6);
        put(h, 263, "00", 2);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum), 7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(h);
        out.write(data);
        out.write(new byte[(512 - data.length % 512) % 512]);
        out.write(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int at, String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, at, Math.min(b.length, max));
    }
}
