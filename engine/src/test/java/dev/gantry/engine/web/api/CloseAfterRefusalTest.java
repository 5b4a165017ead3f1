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
}
