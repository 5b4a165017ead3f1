package dev.gantry.engine.web.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.server.ControllerService;
import dev.gantry.engine.steps.StepLibrary;
import dev.gantry.engine.store.Store;
import dev.gantry.engine.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * The real controller (store in a home, executors on the built-in node, the web server on a free
 * port) as {@code gantry server} wires it, and an HTTP client for it.
 */
final class RealController implements AutoCloseable {
    final Store store;
    final ControllerService controller;
    final WebServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    RealController(Path home) throws IOException {
        store = Store.open(home);
        controller = new ControllerService(StepLibrary.builtins(), store.jobs(), store.builds(), store.logs(), (job, number) -> {
            try {
                return store.artifactsDir(job, number);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, home.resolve("workspace"), 4, store.scripts(), store::backup);
        server = WebServer.start(controller, "127.0.0.1", 0, null);
    }

    URI uri(String rawPath) {
        return URI.create("http://127.0.0.1:" + server.port() + rawPath);
    }

    HttpRequest.Builder request(String rawPath) {
        return HttpRequest.newBuilder(uri(rawPath)).timeout(Duration.ofSeconds(60));
    }

    HttpResponse<byte[]> get(String rawPath) {
        return send(request(rawPath).build());
    }

    HttpResponse<byte[]> send(HttpRequest r) {
        try {
            return client.send(r, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(r.method() + " " + r.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode json(String rawPath) {
        HttpResponse<byte[]> r = get(rawPath);
        try {
            return Api.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + new String(r.body()), e);
        }
    }

    void job(String name, String script) throws Exception {
        controller.putJob(name, script, null);
    }

    /** Triggers a build over HTTP; its number. */
    int trigger(String job) {
        HttpResponse<byte[]> r = send(request("/api/v1/jobs/" + job + "/builds").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertTrue(r.statusCode() == 201, () -> "trigger: " + r.statusCode() + " " + new String(r.body()));
        try {
            return Api.JSON.readTree(r.body()).get("number").asInt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (up to a minute) for the build to complete; its JSON. */
    JsonNode await(String job, int number) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode b = json("/api/v1/jobs/" + job + "/builds/" + number);
            if ("COMPLETED".equals(b.path("status").asText())) {
                return b;
            }
            assertTrue(System.nanoTime() < deadline, () -> job + " #" + number + " did not complete: " + b);
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }

    /** Waits for the build to be RUNNING with at least {@code bytes} of log. */
    void awaitRunningWithLog(String job, int number, long bytes) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<byte[]> r = get("/api/v1/jobs/" + job + "/builds/" + number + "/log");
            if (r.body().length >= bytes) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, () -> job + " #" + number + " wrote no log: " + new String(r.body()));
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }

    @Override
    public void close() {
        try {
            controller.shutdown(0);
        } finally {
            try {
                server.close();
            } finally {
                store.close();
                client.close();
            }
        }
    }
}
