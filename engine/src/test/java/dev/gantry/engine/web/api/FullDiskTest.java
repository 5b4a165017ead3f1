package dev.gantry.engine.web.api;

import dev.gantry.engine.testing.ControllerFixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk while a build writes its log, for real: the controller's logs directory
 * ({@code HOME/builds}) is a 2 MB tmpfs. Needs root and mount; elsewhere it is skipped with a
 * notice, except under CI=true, where it fails instead.
 */
class FullDiskTest {
    @TempDir
    Path dir;
    Path mounted;
    ControllerFixture gantry;

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (gantry != null) {
                gantry.close();
            }
        } finally {
            if (mounted != null) {
                run("umount", mounted.toString());
            }
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (p.exitValue() != 0) {
            System.out.println(String.join(" ", cmd) + ": " + new String(out, StandardCharsets.UTF_8).strip());
        }
        return p.exitValue();
    }

    private void mountSmallDisk(Path logs) throws Exception {
        Files.createDirectories(logs);
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean ok = root && run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", logs.toString()) == 0;
        if (ok) {
            mounted = logs;
            return;
        }
        String why = "FullDiskTest needs root and mount(8) to put a 2 MB tmpfs under the controller's logs"
                + (root ? " (mount failed, see the output above)" : " (not root)");
        if ("true".equals(System.getenv("CI"))) {
            fail(why + "; CI=true, so this is a failure, not a skip");
        }
        Assumptions.assumeTrue(false, "SKIPPED: " + why);
    }

    @Test
    void aBuildWhoseLogFillsTheDiskFailsClearlyAndTheControllerCarriesOn() throws Exception {
        Path home = dir.resolve("home");
        mountSmallDisk(home.resolve("builds"));
        gantry = ControllerFixture.start(home, 4);
        gantry.putJob("team/small", "pipeline { agent any\n stages { stage('S') { steps { echo 'small and fine' } } } }\n");
        int small = gantry.trigger("team/small");
        assertEquals("SUCCESS", gantry.completed("team/small", small).get("result").asText());
        byte[] smallLog = gantry.getBytes("/api/v1/jobs/team/small/builds/" + small + "/log").body();

        gantry.putJob("team/api", "pipeline { agent any\n stages { stage('Flood') { steps {\n"
                + "  sh 'yes 0123456789abcdef0123456789abcdef | head -c 20000000; sleep 30'\n } } } }\n");
        int big = gantry.trigger("team/api");
        HttpResponse<InputStream> stream = gantry.client.send(gantry.request("/api/v1/jobs/team/api/builds/" + big + "/log/stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        JsonNode b = gantry.completed("team/api", big);
        assertEquals("FAILURE", b.get("result").asText(), b.toString());
        String error = b.path("error").asText();
        assertTrue(error.startsWith("the log of team/api #" + big + " cannot be written: No space left on device ("), error);
        assertTrue(error.contains(home.resolve("builds").toString()) && error.endsWith("/log)"), error);
        try (SseEvents events = new SseEvents(stream.body())) {
            SseEvents.Event end = events.readToEnd(new ByteArrayOutputStream());
            assertEquals("FAILURE", end.json().get("result").asText());
            assertEquals(error, end.json().get("error").asText());
        }
        HttpResponse<byte[]> text = gantry.getBytes("/api/v1/jobs/team/api/builds/" + big + "/log");
        assertEquals(200, text.statusCode());
        assertTrue(text.headers().firstValue("X-Gantry-Log-Error").orElseThrow().startsWith("the log of team/api"));

        assertEquals(200, gantry.getBytes("/ready").statusCode(), "the controller keeps serving");
        assertArrayEquals(smallLog, gantry.getBytes("/api/v1/jobs/team/small/builds/" + small + "/log").body(), "other logs are intact");
        assertEquals("SUCCESS", gantry.json("/api/v1/jobs/team/small/builds/" + small).get("result").asText());

        assertEquals(204, gantry.send(gantry.request("/api/v1/jobs/team/api").DELETE().build()).statusCode(), "deleting the job frees its space");
        int again = gantry.trigger("team/small");
        assertEquals("SUCCESS", gantry.completed("team/small", again).get("result").asText());
        assertTrue(new String(gantry.getBytes("/api/v1/jobs/team/small/builds/" + again + "/log").body(), StandardCharsets.UTF_8).contains("small and fine"));
    }
}
