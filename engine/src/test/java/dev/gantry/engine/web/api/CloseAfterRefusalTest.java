package dev.gantry.engine.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.testing.ControllerFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A refused request with a body: its answer reaches the client, and the connection is closed only after a body too big to read. */
class CloseAfterRefusalTest {
    @TempDir
    Path tmp;

    @Test
    void refusedRequestsWithABodyCloseTheConnectionAndOthersKeepIt() throws Exception {
        try (ControllerFixture f = ControllerFixture.start(tmp.resolve("home"), 1)) {
            HttpResponse<String> refused = f.sendText(f.anonymous("/api/v1/jobs/x").header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"script\": \"" + "x".repeat(2_000_000) + "\"}")).build());
            assertEquals(401, refused.statusCode());
            assertEquals("close", refused.headers().firstValue("Connection").orElse(""), "over 1 MiB is not read: " + refused.headers().map());
            HttpResponse<String> fine = f.get("/api/v1/jobs");
            assertEquals(200, fine.statusCode());
            assertTrue(fine.headers().firstValue("Connection").isEmpty(), fine.headers().map().toString());
            for (int i = 0; i < 30; i++) {
                // the refusal and the next request on one client: never "header parser received no bytes"
                assertEquals(401, f.sendText(f.anonymous("/api/v1/jobs/y").header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"script\": \"" + "y".repeat(50_000) + "\"}")).build()).statusCode());
                assertEquals(200, f.get("/api/v1/jobs").statusCode());
            }
        }
    }

    /**
     * The same for requests refused before Jersey sees them (a control character in the path or an
     * ambiguous encoding, refused by Jetty's URI check; a dot segment): the unread body is read
     * before the exchange completes, so the connection stays open and the answer is never lost to a reset.
     */
    @Test
    void requestsRefusedBeforeJerseyAlsoKeepTheirAnswer() throws Exception {
        try (ControllerFixture f = ControllerFixture.start(tmp.resolve("home"), 1)) {
            for (String path : new String[] {"/api/v1/jobs/a%0Ab", "/api/v1/jobs/a/%2e%2e/b", "/api/v1/jobs/a/../b"}) {
                for (int i = 0; i < 30; i++) {
                    HttpResponse<String> r = f.sendText(f.request(path).header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"script\": \"" + "z".repeat(50_000) + "\"}")).build());
                    assertEquals(400, r.statusCode(), path + ": " + r.body());
                    assertEquals(200, f.get("/api/v1/jobs").statusCode());
                }
            }
            // A request line Jetty cannot parse (a NUL in the path) ends the connection: the answer says so,
            // so that the client does not send its next request on it and read EOF.
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> r = f.sendText(f.request("/api/v1/jobs/a%00b").header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
                assertEquals(400, r.statusCode(), r.body());
                assertEquals("close", r.headers().firstValue("Connection").orElse(""), r.headers().map().toString());
                assertEquals(200, f.get("/api/v1/jobs").statusCode());
            }
        }
    }
}
