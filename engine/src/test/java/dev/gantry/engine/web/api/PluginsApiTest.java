package dev.gantry.engine.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.plugin.EngineVersion;
import dev.gantry.engine.plugin.PluginSystem;
import dev.gantry.engine.plugin.TestPluginJar;
import dev.gantry.engine.steps.StepLibrary;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/plugins}: list, upload, enable, disable, uninstall, and their errors. */
class PluginsApiTest {
    @TempDir
    Path tmp;

    private HttpResponse<String> upload(Api api, Path jar) throws Exception {
        return api.send(api.request("/api/v1/plugins").header("Content-Type", "application/java-archive")
                .POST(HttpRequest.BodyPublishers.ofFile(jar)).build());
    }

    @Test
    void pluginsAreInstalledListedDisabledEnabledAndUninstalledOverTheApi() throws Exception {
        Path jar = TestPluginJar.plugin("greeter", "1.0.0").manifest("Plugin-Description", "Says hello")
                .step("greeter.Greet", "greet", "return null;").build(tmp.resolve("upload"));
        try (Api api = new Api(); PluginSystem ps = PluginSystem.start(new PluginSystem.Config(null, tmp.resolve("plugins"),
                tmp.resolve("data"), tmp.resolve("libs"), EngineVersion.CURRENT), StepLibrary.builtins())) {
            api.controller.plugins(ps);
            assertEquals("{\"plugins\":[]}", api.get("/api/v1/plugins").body());

            HttpResponse<String> created = upload(api, jar);
            assertEquals(201, created.statusCode(), created.body());
            assertEquals("/api/v1/plugins/greeter", created.headers().firstValue("Location").orElseThrow().replaceFirst("^http://[^/]+", ""));
            JsonNode p = Api.json(created);
            assertEquals("greeter", p.path("id").asText());
            assertEquals("STARTED", p.path("state").asText());
            assertEquals("greet", p.path("steps").get(0).asText());
            assertEquals("Says hello", p.path("description").asText());
            assertTrue(p.path("error").isNull());

            assertEquals("DISABLED", Api.json(api.send("POST", "/api/v1/plugins/greeter/disable", null)).path("state").asText());
            assertTrue(ps.steps().find("greet").isEmpty());
            assertEquals("STARTED", Api.json(api.send("POST", "/api/v1/plugins/greeter/enable", null)).path("state").asText());
            assertEquals(1, Api.json(api.get("/api/v1/plugins")).path("plugins").size());

            assertEquals(204, api.send("DELETE", "/api/v1/plugins/greeter", null).statusCode());
            HttpResponse<String> gone = api.get("/api/v1/plugins/greeter");
            assertEquals(404, gone.statusCode());
            assertEquals("no plugin 'greeter' is installed; see gantry plugin list", Api.json(gone).path("message").asText());
        }
    }

    @Test
    void badUploadsAndConflictsAreAnsweredWithTheReason() throws Exception {
        Path notAPlugin = TestPluginJar.plugin(null, "1.0.0").fileName("x.jar").build(tmp.resolve("upload"));
        try (Api api = new Api(4096); PluginSystem ps = PluginSystem.start(new PluginSystem.Config(null, tmp.resolve("plugins"),
                tmp.resolve("data"), tmp.resolve("libs"), EngineVersion.CURRENT), StepLibrary.builtins())) {
            api.controller.plugins(ps);
            HttpResponse<String> bad = upload(api, notAPlugin);
            assertEquals(400, bad.statusCode(), bad.body());
            assertEquals("invalid_plugin", Api.json(bad).path("code").asText());
            assertTrue(Api.json(bad).path("message").asText().contains("has no Plugin-Id"), bad.body());

            HttpResponse<String> big = api.send(api.request("/api/v1/plugins").header("Content-Type", "application/java-archive")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10_000])).build());
            assertEquals(413, big.statusCode(), big.body());

            Path base = TestPluginJar.plugin("base", "1.0.0").build(tmp.resolve("upload2"));
            Path user = TestPluginJar.plugin("user", "1.0.0").dependencies("base").build(tmp.resolve("upload3"));
            assertEquals(201, upload(api, base).statusCode());
            assertEquals(201, upload(api, user).statusCode());
            HttpResponse<String> conflict = api.send("POST", "/api/v1/plugins/base/disable", null);
            assertEquals(409, conflict.statusCode());
            assertEquals("plugin 'base' is needed by 'user': disable it first", Api.json(conflict).path("message").asText());
        }
    }

    @Test
    void aControllerWithoutPluginsSaysSo() throws Exception {
        try (Api api = new Api()) {
            HttpResponse<String> r = api.get("/api/v1/plugins");
            assertEquals(503, r.statusCode());
            assertEquals("no_plugins", Api.json(r).path("code").asText());
        }
    }
}
