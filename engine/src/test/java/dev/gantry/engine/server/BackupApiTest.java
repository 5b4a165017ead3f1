package dev.gantry.engine.server;

import dev.gantry.engine.testing.ControllerFixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.store.Store;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/v1/admin/backup} while a build runs, restored into a new home that a new controller serves. */
class BackupApiTest {
    @TempDir
    Path dir;

    @Test
    void aBackupTakenWhileABuildRunsRestoresIntoAWorkingController() throws Exception {
        Path backup = dir.resolve("backup.zip");
        try (ControllerFixture c = ControllerFixture.start(dir.resolve("home"), 2)) {
            c.putJob("team/app", """
                    pipeline {
                      agent any
                      stages {
                        stage('Build') {
                          steps {
                            writeFile file: 'dist/app.txt', text: 'the artifact'
                            archiveArtifacts 'dist/app.txt'
                            echo 'built it'
                          }
                        }
                      }
                    }
                    """);
            assertEquals("SUCCESS", c.completed("team/app", c.triggerWith("team/app", Map.of())).get("result").asText());
            c.putJob("waiting", "pipeline { agent none\n stages { stage('Ask') { steps { input message: 'go?' } } } }");
            int running = c.triggerWith("waiting", Map.of());
            c.waitingInputs("waiting", running);

            HttpResponse<byte[]> r = c.send(c.request("api/v1/admin/backup").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, r.statusCode());
            assertEquals("application/zip", r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(r.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment;"));
            Files.write(backup, r.body());
            assertEquals("RUNNING", c.build("waiting", running).get("status").asText(), "the backup did not disturb the build");
            c.send("POST", "api/v1/jobs/waiting/builds/" + running + "/inputs/go/proceed", null);
            assertEquals("SUCCESS", c.completed("waiting", running).get("result").asText());
        }

        Path restored = dir.resolve("restored");
        Store.restore(backup, restored);
        try (ControllerFixture c = ControllerFixture.start(restored, 2)) {
            JsonNode jobs = ControllerFixture.parse(c.get("api/v1/jobs")).get("jobs");
            assertEquals(2, jobs.size(), jobs.toString());
            JsonNode b = c.build("team/app", 1);
            assertEquals("SUCCESS", b.get("result").asText());
            assertTrue(c.log("team/app", 1).contains("built it"), c.log("team/app", 1));
            assertEquals("the artifact", c.get("api/v1/jobs/team/app/builds/1/artifacts/dist/app.txt").body());
            // A build running at backup time resumes from its journal in the restored home: it asks again.
            c.waitingInputs("waiting", 1);
            assertEquals("RUNNING", c.build("waiting", 1).get("status").asText());
            assertEquals(1, c.log("waiting", 1).lines().filter(l -> l.contains("Input requested: go?")).count(), c.log("waiting", 1));
            c.send("POST", "api/v1/jobs/waiting/builds/1/inputs/go/proceed", null);
            assertEquals("SUCCESS", c.completed("waiting", 1).get("result").asText(), c.log("waiting", 1));
            HttpResponse<String> replay = c.send("POST", "api/v1/jobs/team/app/builds/1/replay", null);
            assertEquals(201, replay.statusCode(), "the build's script came along: " + replay.body());
            assertEquals("SUCCESS", c.completed("team/app", 2).get("result").asText());
        }
    }
}
