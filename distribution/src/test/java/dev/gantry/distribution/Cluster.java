package dev.gantry.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A controller and agents of the built distribution as separate processes, on a fixed loopback
 * port (so that the controller can be restarted under the agents), with a REST client.
 */
final class Cluster implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final Path dir;
    final int port;
    private final double leaseSeconds;
    private final List<String> serverArgs;
    private final List<Process> processes = new ArrayList<>();
    Process server;
    final URI base;

    Cluster(Path dir, double leaseSeconds) throws IOException {
        this(dir, leaseSeconds, null, List.of());
    }

    /**
     * A cluster whose controller serves HTTPS when {@code trust} is not null (the server's
     * {@code --tls-...} options in {@code serverArgs}); the test's client trusts {@code trust}.
     */
    Cluster(Path dir, double leaseSeconds, javax.net.ssl.SSLContext trust, List<String> serverArgs) throws IOException {
        this.dir = dir;
        this.leaseSeconds = leaseSeconds;
        this.serverArgs = List.copyOf(serverArgs);
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        this.base = URI.create((trust == null ? "http" : "https") + "://127.0.0.1:" + port + "/");
        this.http = trust == null ? HttpClient.newHttpClient() : HttpClient.newBuilder().sslContext(trust).build();
    }

    void startServer() throws Exception {
        Path out = dir.resolve("server-" + System.nanoTime() + ".log");
        List<String> args = new ArrayList<>(List.of("--home", dir.resolve("home").toString(), "--port", String.valueOf(port),
                "--agent-lease", String.valueOf(leaseSeconds)));
        args.addAll(serverArgs);
        server = Gantry.startServer(out, args).process();
        processes.add(server);
    }

    void stopServer() throws InterruptedException {
        server.destroy();
        assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
    }

    /** Kills the controller's JVM as {@code kill -9} would: no shutdown hook runs. */
    void killServer() throws InterruptedException {
        server.destroyForcibly();
        assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server did not die on SIGKILL");
    }

        /** Creates an agent on the controller; returns its secret. */
    String createAgent(String name, String... labels) throws Exception {
        HttpResponse<String> r = send("POST", "api/v1/agents", Map.of("name", name, "labels", List.of(labels), "executors", 1));
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("secret").asText();
    }

    /** Starts {@code gantry agent}; its output goes to {@code dir/agent-NAME.log}. */
    Process startAgent(String name, String secret, String... extra) throws IOException {
        return startAgent(base, name, secret, extra);
    }

    /** Starts {@code gantry agent} against {@code url} (a proxy in front of the controller, say). */
    Process startAgent(URI url, String name, String secret, String... extra) throws IOException {
        Path secretFile = dir.resolve("secret-" + name);
        Files.writeString(secretFile, secret);
        List<String> args = new ArrayList<>(List.of("agent", "--url", url.toString(), "--name", name, "--secret-file", secretFile.toString(),
                "--workdir", dir.resolve("agent-" + name).toString(), "--max-backoff", "2"));
        args.addAll(List.of(extra));
        Process p = Gantry.command(agentLog(name), args, Map.of()).start();
        processes.add(p);
        return p;
    }

    Path agentLog(String name) {
        return dir.resolve("agent-" + name + ".log");
    }

    boolean online(String name) {
        try {
            for (JsonNode a : JSON.readTree(get("api/v1/agents").body())) {
                if (a.get("name").asText().equals(name)) {
                    return a.get("online").asBoolean();
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    void awaitOnline(String... names) {
        for (String n : names) {
            await(() -> online(n), Duration.ofSeconds(60), () -> "agent " + n + " did not come online; its output:\n" + Gantry.read(agentLog(n)));
        }
    }

    int trigger(String job, String script) throws Exception {
        HttpResponse<String> put = send("PUT", "api/v1/jobs/" + job, Map.of("script", script));
        assertTrue(put.statusCode() == 201 || put.statusCode() == 200, put.body());
        HttpResponse<String> t = send("POST", "api/v1/jobs/" + job + "/builds", Map.of());
        assertEquals(201, t.statusCode(), t.body());
        return JSON.readTree(t.body()).get("number").asInt();
    }

    JsonNode awaitBuild(String job, int number, Duration timeout) throws Exception {
        String path = "api/v1/jobs/" + job + "/builds/" + number;
        await(() -> {
            try {
                return "COMPLETED".equals(JSON.readTree(get(path).body()).path("status").asText());
            } catch (Exception e) {
                return false;
            }
        }, timeout, () -> job + " #" + number + " did not complete; log:\n" + log(job, number));
        return JSON.readTree(get(path).body());
    }

    String log(String job, int number) {
        try {
            return get("api/v1/jobs/" + job + "/builds/" + number + "/log").body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(Gantry.request(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, Object body) throws Exception {
        return http.send(Gantry.request(base.resolve(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void await(BooleanSupplier condition, Duration timeout, Supplier<String> message) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, message);
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
    }

    /** Sends a signal (STOP, CONT, KILL) to a process. */
    static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + p.pid());
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }
}
