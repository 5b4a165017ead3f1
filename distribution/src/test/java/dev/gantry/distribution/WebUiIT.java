package dev.gantry.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built distribution's controller serves the web UI beside the API (templates and static files packaged). */
class WebUiIT {
    @TempDir
    Path dir;
    private Process server;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** GET signed in as the admin (HTTP Basic). */
    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(Gantry.request(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> anonymous(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theControllerServesTheUiWithItsHomeAndPlugins() throws Exception {
        Path home = dir.resolve("home");
        Gantry.Server started = Gantry.startServer(dir.resolve("server.log"), List.of("--home", home.toString(), "--port", "0"));
        server = started.process();
        URI base = started.base();
        HttpResponse<String> signIn = anonymous(base, "system");
        assertEquals(303, signIn.statusCode(), "without credentials a page sends the browser to the login page: " + signIn.body());
        assertEquals("/login?from=%2Fsystem", signIn.headers().firstValue("Location").orElse(""));
        HttpResponse<String> login = anonymous(base, "login?from=%2Fsystem");
        assertEquals(200, login.statusCode(), login.body());
        assertTrue(login.body().contains("/static/ui.css"), login.body());
        assertEquals(200, anonymous(base, "static/ui.css").statusCode(), "the style sheet of the login page needs no sign-in");
        HttpResponse<String> root = get(base, "");
        assertEquals(200, root.statusCode(), root.body());
        assertTrue(root.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(root.body().contains("/static/ui.js"), root.body());
        assertTrue(root.body().contains("Signed in as"), root.body());
        HttpResponse<String> system = get(base, "system");
        assertTrue(system.body().contains(home.toAbsolutePath().normalize().toString()), system.body());
        assertTrue(system.body().contains("Database size"), system.body());
        HttpResponse<String> plugins = get(base, "plugins");
        assertEquals(200, plugins.statusCode());
        assertTrue(plugins.body().contains("Upload a plugin"), plugins.body());
        assertEquals(200, get(base, "static/ui.css").statusCode());
        assertEquals(200, get(base, "api/v1/jobs").statusCode(), "the API stays where it was");
    }
}
