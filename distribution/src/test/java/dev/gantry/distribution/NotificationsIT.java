package dev.gantry.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled notify plugin on the built distribution, end to end: a folder's failure rule
 * (no pipeline code) sends the failed build of a job in it to a webhook receiver on Jetty, and
 * the job's own pipeline reaches the same receiver with the {@code webhookSend} step.
 */
class NotificationsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final BlockingQueue<String[]> received = new LinkedBlockingQueue<>();

    @TempDir
    Path dir;

    private Server receiver;
    private ServerConnector connector;
    private Process server;
    private URI base;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new Server();
        connector = new ServerConnector(receiver);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        receiver.addConnector(connector);
        receiver.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                received.add(new String[] {request.getHttpURI().getPath(), Content.Source.asString(request, StandardCharsets.UTF_8)});
                response.setStatus(200);
                Content.Sink.write(response, true, "{}", callback);
                return true;
            }
        });
        receiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        receiver.stop();
    }

    private String hook(String path) {
        return "http://127.0.0.1:" + connector.getLocalPort() + path;
    }

    @Test
    void aFoldersFailureRuleSendsTheFailedBuildToAWebhookWithoutPipelineCode() throws Exception {
        Gantry.Server started = Gantry.startServer(dir.resolve("server.log"), List.of("--home", dir.resolve("home").toString(), "--port", "0"));
        server = started.process();
        base = started.base();

        JsonNode plugin = json(send("GET", "api/v1/plugins/notify", null));
        assertEquals("STARTED", plugin.get("state").asText(), plugin.toString());
        assertTrue(plugin.get("steps").toString().contains("webhookSend"), plugin.toString());

        String script = "node {\n webhookSend url: '" + hook("/from-step") + "', body: [from: 'step']\n error 'the tests failed'\n}";
        assertEquals(201, send("PUT", "api/v1/jobs/team/api", Map.of("script", script)).statusCode());

        HttpResponse<String> unknown = send("PUT", "api/v1/notifications/team",
                Map.of("rules", List.of(Map.of("notifier", "pager", "when", List.of("failure")))));
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertEquals("no started plugin provides the notifier 'pager'; known: commitStatus, mail, slack, webhook",
                json(unknown).get("message").asText());

        HttpResponse<String> put = send("PUT", "api/v1/notifications/team", Map.of("rules", List.of(
                Map.of("notifier", "webhook", "when", List.of("failure"), "settings", Map.of("url", hook("/on-failure/${JOB_NAME}"))),
                Map.of("notifier", "webhook", "when", List.of("success"), "settings", Map.of("url", hook("/never"))))));
        assertEquals(200, put.statusCode(), put.body());
        JsonNode rules = json(send("GET", "api/v1/notifications/team/api", null));
        assertEquals("job", rules.get("kind").asText());
        assertEquals(2, rules.get("inherited").size(), rules.toString());

        assertEquals(201, send("POST", "api/v1/jobs/team/api/builds", Map.of()).statusCode());

        String[] fromStep = next();
        assertEquals("/from-step", fromStep[0]);
        assertEquals(Map.of("from", "step"), JSON.readValue(fromStep[1], Map.class));
        String[] fromRule = next();
        assertEquals("/on-failure/team/api", fromRule[0]);
        JsonNode event = JSON.readTree(fromRule[1]);
        assertEquals("team/api", event.get("job").asText());
        assertEquals(1, event.get("number").asInt());
        assertEquals("FAILURE", event.get("result").asText());
        assertTrue(event.get("url").asText().endsWith("/api/v1/jobs/team/api/builds/1"), event.toString());
        assertEquals(0, received.size(), "the success rule must not fire");
    }

    @Test
    void gantryRunUsesTheBundledStepsInThePluginsOwnClassLoader() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path ws = java.nio.file.Files.createDirectories(dir.resolve("ws"));
        Path jenkinsfile = java.nio.file.Files.writeString(dir.resolve("Jenkinsfile"), "node {\n"
                + " mail to: 'dev@example.test', subject: 'hello'\n"
                + " webhookSend url: '" + hook("/local") + "', body: [from: 'gantry run']\n"
                + "}\n");
        Gantry.Done done = Gantry.run(dir, 120, Map.of("GANTRY_HOME", dir.resolve("empty-home").toString(),
                        "GANTRY_SMTP_HOST", "127.0.0.1", "GANTRY_SMTP_PORT", String.valueOf(closed), "GANTRY_NOTIFY_RETRIES", "0"),
                "run", jenkinsfile.toString(), "--workspace", ws.toString());
        // Jakarta Mail found its providers in the plugin's libraries: the mail got as far as the closed port.
        done.assertExit(0).assertOutput("WARNING: mail: cannot deliver mail through SMTP 127.0.0.1:" + closed + " after 1 attempt");
        String[] r = next();
        assertEquals("/local", r[0]);
        assertEquals(Map.of("from", "gantry run"), JSON.readValue(r[1], Map.class));
    }

    private String[] next() throws InterruptedException {
        String[] r = received.poll(60, TimeUnit.SECONDS);
        assertNotNull(r, "the receiver got nothing within 60 s; the controller's output: " + Gantry.read(dir.resolve("server.log")));
        return r;
    }

    private HttpResponse<String> send(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = Gantry.request(base.resolve(path));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }
}
