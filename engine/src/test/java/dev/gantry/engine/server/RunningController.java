package dev.gantry.engine.server;

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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The real controller (store, executors, REST API) on a free loopback port, and a client for it. */
final class RunningController implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final Path home;
    final Store store;
    final ControllerService controller;
    final WebServer web;
    final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    RunningController(Path home, int executors) throws IOException {
        this.home = home;
        this.store = Store.open(home);
        this.controller = new ControllerService(StepLibrary.builtins(), store.jobs(), store.builds(), store.logs(), (job, number) -> {
            try {
                return store.artifactsDir(job, number);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, home.resolve("workspace"), executors, store.scripts(), store::backup);
        this.web = WebServer.start(controller, "127.0.0.1", 0, null);
        this.url = "http://127.0.0.1:" + web.port() + "/";
    }

    HttpResponse<String> send(String method, String path, Object body) {
        return send(http, method, url + path, body);
    }

    /**
     * On a connection of its own: after refusing a hostile URI the server may close the connection,
     * and a PUT (which the JDK client never retries) must not race that close on a reused one.
     */
    HttpResponse<String> sendAlone(String method, String path, Object body) {
        try (HttpClient own = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            return send(own, method, url + path, body);
        }
    }

    private static HttpResponse<String> send(HttpClient http, String method, String path, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path)).timeout(Duration.ofSeconds(60));
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(
                        body instanceof String s ? s : JSON.writeValueAsString(body)));
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    JsonNode json(String path) {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return parse(r);
    }

    static JsonNode parse(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    int trigger(String job, Object body) {
        HttpResponse<String> r = send("POST", "api/v1/jobs/" + job + "/builds", body);
        if (r.statusCode() != 201) {
            throw new AssertionError("trigger of " + job + " answered " + r.statusCode() + ": " + r.body());
        }
        return parse(r).get("number").asInt();
    }

    /** Polls {@code path} until {@code done} holds, for at most {@code seconds}. */
    JsonNode await(String path, Predicate<JsonNode> done, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            JsonNode n = json(path);
            if (done.test(n)) {
                return n;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("GET " + path + " did not get there within " + seconds + " s: " + n);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
    }

    JsonNode completed(String job, int number) {
        return await("api/v1/jobs/" + job + "/builds/" + number, b -> "COMPLETED".equals(b.path("status").asText()), 120);
    }

    @Override
    public void close() {
        controller.shutdown(0);
        web.close();
        store.close();
    }
}
