package dev.gantry.engine.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WebServerTest {
    private static final String AUTH = dev.gantry.engine.testing.ControllerFixture.basic("admin", "admin-password");

    private static dev.gantry.engine.security.Security withAdmin() {
        dev.gantry.engine.security.Security s = dev.gantry.engine.security.Security.inMemory(
                dev.gantry.engine.security.Security.Options.defaults().withBcryptCost(4));
        s.createUser("admin", "admin-password");
        s.grant("admin", dev.gantry.engine.security.Role.ADMIN, null);
        return s;
    }

    @Test
    void portZeroPicksAFreePortAndCloseReleasesIt() throws Exception {
        int port;
        try (WebServer server = WebServer.start(new InMemoryController(), "127.0.0.1", 0, null);
             HttpClient client = HttpClient.newHttpClient()) {
            port = server.port();
            assertTrue(port > 0);
            assertEquals(URI.create("http://127.0.0.1:" + port + "/"), server.baseUri());
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.baseUri().resolve("health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
        }
        try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort());
        }
    }

    @Test
    void portInUseFailsNamingTheAddress() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            IOException e = assertThrows(IOException.class,
                    () -> WebServer.start(new InMemoryController(), "127.0.0.1", taken.getLocalPort(), null));
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
    }

    @Test
    void allAddressesBindingAnswersOnLoopbackAndSharesTheRegistry() throws Exception {
        Metrics metrics = new Metrics();
        metrics.counter("builds_total", "Builds.").inc();
        try (WebServer server = WebServer.start(new InMemoryController(), "0.0.0.0", 0, metrics, WebServer.DEFAULT_MAX_BODY_BYTES, null, withAdmin());
             HttpClient client = HttpClient.newHttpClient()) {
            assertTrue(server.metrics() == metrics);
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.baseUri().resolve("metrics")).header("Authorization", AUTH).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(r.body().contains("\nbuilds_total 1\n"), r.body());
            PrometheusText.parse(r.body());
        }
    }

    @Test
    void closeLetsARequestInFlightFinish() throws Exception {
        InMemoryController controller = new InMemoryController();
        controller.putJob("j", "x", null);
        controller.trigger("j", java.util.Map.of(), "test");
        long size = 20L * 1024 * 1024;
        controller.generatedLog("j", 1, size);
        WebServer server = WebServer.start(controller, "127.0.0.1", 0, null, WebServer.DEFAULT_MAX_BODY_BYTES, null, withAdmin());
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(server.baseUri().resolve("api/v1/jobs/j/builds/1/log")).header("Authorization", AUTH).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] buffer = new byte[8192];
                long read = in.read(buffer);
                CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    read += n;
                }
                closing.get();
                assertEquals(size, read);
            }
        }
    }

    @Test
    void invalidArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> WebServer.start(new InMemoryController(), "127.0.0.1", 70000, null));
        assertThrows(NullPointerException.class, () -> WebServer.start(null, "127.0.0.1", 0, null));
        assertThrows(IllegalArgumentException.class, () -> WebServer.start(new InMemoryController(), "127.0.0.1", 0, null, 0));
    }
}
