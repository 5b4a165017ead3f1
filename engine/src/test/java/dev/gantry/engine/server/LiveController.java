package dev.gantry.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A real controller for tests: the store in a home directory, the executors, and the REST API on
 * a free loopback port, driven over HTTP.
 */
final class LiveController implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    final Store store;
    final ControllerService controller;
    final WebServer web;
    private final HttpClient http = HttpClient.newHttpClient();

    LiveController(Path home, int executors) throws IOException {
        store = Store.open(home);
        controller = new ControllerService(StepLibrary.builtins(), store.jobs(), store.builds(), store.logs(), (job, number) -> {
            try {
                return store.artifactsDir(job, number);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, home.resolve("workspace"), executors, store.scripts(), store::backup);
        web = WebServer.start(controller, "127.0.0.1", 0, null);
    }

    URI uri(String path) {
        return web.baseUri().resolve(path);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> postForBytes(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    void putJob(String name, String script) throws Exception {
        HttpResponse<String> r = send("PUT", "api/v1/jobs/" + name, Map.of("script", script));
        assertTrue(r.statusCode() == 200 || r.statusCode() == 201, r.body());
    }

    int trigger(String name, Map<String, Object> parameters) throws Exception {
        HttpResponse<String> r = send("POST", "api/v1/jobs/" + name + "/builds", Map.of("parameters", parameters));
        assertEquals(201, r.statusCode(), r.body());
        return json(r).get("number").asInt();
    }

    JsonNode build(String name, int number) throws Exception {
        HttpResponse<String> r = get("api/v1/jobs/" + name + "/builds/" + number);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    String log(String name, int number) throws Exception {
        return get("api/v1/jobs/" + name + "/builds/" + number + "/log").body();
    }

    /** Polls until the build is COMPLETED; returns its final JSON. */
    JsonNode completed(String name, int number) throws Exception {
        JsonNode[] last = new JsonNode[1];
        await(() -> {
            try {
                last[0] = build(name, number);
                return "COMPLETED".equals(last[0].get("status").asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, () -> name + " #" + number + " did not complete: " + last[0] + "\n" + logOrError(name, number));
        return last[0];
    }

    /** Polls until the build waits for an input; returns the pending inputs. */
    JsonNode waitingInputs(String name, int number) throws Exception {
        JsonNode[] last = new JsonNode[1];
        await(() -> {
            try {
                last[0] = json(get("api/v1/jobs/" + name + "/builds/" + number + "/inputs")).get("inputs");
                return last[0] != null && last[0].size() > 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, () -> name + " #" + number + " never waited for input:\n" + logOrError(name, number));
        return last[0];
    }

    String logOrError(String name, int number) {
        try {
            return log(name, number);
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** Polls {@code condition} every 20 ms until it holds or the deadline passes. */
    static void await(BooleanSupplier condition, Supplier<String> message) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message.get());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }

    @Override
    public void close() {
        web.close();
        controller.shutdown(0);
        store.close();
    }
}
