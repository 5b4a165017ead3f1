package dev.gantry.engine.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.security.Role;
import dev.gantry.engine.security.Security;
import dev.gantry.engine.testing.ControllerFixture;
import dev.gantry.engine.web.InMemoryController;
import dev.gantry.engine.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real web server on a free port over an {@link InMemoryController}, and a client for it. */
final class Api implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    static final String ADMIN_PASSWORD = "api-admin-password";
    final InMemoryController controller = new InMemoryController();
    final Security security = Security.inMemory(Security.Options.defaults().withBcryptCost(4));
    final WebServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Api() throws IOException {
        this(WebServer.DEFAULT_MAX_BODY_BYTES);
    }

    Api(long maxBody) throws IOException {
        security.createUser("admin", ADMIN_PASSWORD);
        security.grant("admin", Role.ADMIN, null);
        server = WebServer.start(controller, "127.0.0.1", 0, null, maxBody, null, security);
    }

    /** A request to a raw path (sent as written, no encoding), e.g. {@code /api/v1/jobs}, as {@code admin}. */
    HttpRequest.Builder request(String rawPath) {
        return anonymous(rawPath).header("Authorization", ControllerFixture.basic("admin", ADMIN_PASSWORD));
    }

    /** As {@link #request(String)} without credentials. */
    HttpRequest.Builder anonymous(String rawPath) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + rawPath)).timeout(Duration.ofSeconds(60));
    }

    HttpResponse<String> send(String method, String rawPath, String json) {
        HttpRequest.Builder b = request(rawPath);
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return send(b.build());
    }

    HttpResponse<String> get(String rawPath) {
        return send("GET", rawPath, null);
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> putJob(String rawName, String script) {
        try {
            return send("PUT", "/api/v1/jobs/" + rawName, JSON.writeValueAsString(java.util.Map.of("script", script)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    @Override
    public void close() {
        server.close();
        client.close();
    }
}
