package dev.gantry.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.testing.ControllerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A build whose label no online agent has is listed in the queue, saying what it waits for. */
class QueueShowsNodeWaitsTest {
    @TempDir
    Path home;

    @Test
    void aBuildWaitingForALabelNoAgentHasSaysSoInTheQueue() throws Exception {
        try (ControllerFixture c = ControllerFixture.in(home).agents(Duration.ofSeconds(30)).start()) {
            assertEquals(201, c.send("PUT", "api/v1/jobs/gpu-job",
                    Map.of("script", "pipeline { agent { label 'gpu && linux' }\n stages { stage('S') { steps { echo 'never' } } } }")).statusCode());
            int n = c.trigger("gpu-job");
            JsonNode queue = c.await("api/v1/queue", q -> q.get("items").size() == 1 && "executor".equals(q.get("items").get(0).path("waitingFor").asText()), 30);
            JsonNode item = queue.get("items").get(0);
            assertEquals("gpu-job", item.get("job").asText());
            assertEquals(n, item.get("number").asInt());
            assertEquals("gpu && linux", item.get("label").asText(), item.toString());
            assertTrue(item.get("why").asText().contains("gpu && linux"), item.toString());
            assertEquals("RUNNING", c.json("api/v1/jobs/gpu-job/builds/" + n).get("status").asText());
            assertEquals(202, c.send("POST", "api/v1/jobs/gpu-job/builds/" + n + "/stop", null).statusCode());
            c.await("api/v1/queue", q -> q.get("items").isEmpty(), 30);
        }
    }
}
