package dev.gantry.engine.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.cli.Main;
import dev.gantry.engine.testing.ControllerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry credentials create|list|delete} against a real controller. */
class CredentialsCliTest {
    @TempDir
    Path home;
    @TempDir
    Path files;

    @Test
    void credentialsAreCreatedFromFilesListedAndDeleted() throws Exception {
        Path key = files.resolve("id_test");
        Files.writeString(key, "-----BEGIN OPENSSH PRIVATE KEY-----\nkey-material-line\n-----END OPENSSH PRIVATE KEY-----\n");
        try (ControllerFixture f = ControllerFixture.start(home, 1)) {
            String url = f.url;
            assertEquals(0, Main.execute("credentials", "create", "deploy-key", "--type", "sshUserPrivateKey", "--field", "username=git",
                    "--field-file", "privateKey=" + key, "--description", "deploys", "--url", url, "--auth", "admin:" + ControllerFixture.ADMIN_PASSWORD));
            assertEquals(201, f.send("PUT", "api/v1/folders/team", Map.of()).statusCode());
            assertEquals(0, Main.execute("credentials", "create", "token", "--type", "string", "--field", "secret=abc",
                    "--folder", "team", "--url", url, "--auth", "admin:" + ControllerFixture.ADMIN_PASSWORD));
            assertNotEquals(0, Main.execute("credentials", "create", "token", "--type", "string", "--field", "secret=abc",
                    "--folder", "team", "--url", url, "--auth", "admin:" + ControllerFixture.ADMIN_PASSWORD), "a second credential with the same id is refused");
            assertNotEquals(0, Main.execute("credentials", "create", "bad", "--type", "string", "--field", "nofield", "--url", url, "--auth", "admin:" + ControllerFixture.ADMIN_PASSWORD));
            assertEquals(0, Main.execute("credentials", "list", "--url", url, "--auth", "admin:" + ControllerFixture.ADMIN_PASSWORD));
            JsonNode global = f.json("api/v1/credentials").get("credentials");
            assertEquals(1, global.size());
            assertEquals("deploys", global.get(0).get("description").asText());
            assertFalse(global.toString().contains("key-material-line"));
            assertEquals("token", f.json("api/v1/folders/team/credentials").get("credentials").get(0).get("id").asText());

            f.putJob("team/ssh", "node { withCredentials([sshUserPrivateKey(credentialsId: 'deploy-key', keyFileVariable: 'K')]) {"
                    + " sh 'grep -c key-material-line \"$K\"' } }");
            int n = f.trigger("team/ssh");
            assertEquals("SUCCESS", f.completed("team/ssh", n).get("result").asText(), f.log("team/ssh", n));

            assertEquals(0, Main.execute("credentials", "delete", "token", "--folder", "team", "--url", url, "--auth", "admin:" + ControllerFixture.ADMIN_PASSWORD));
            assertNotEquals(0, Main.execute("credentials", "delete", "token", "--folder", "team", "--url", url, "--auth", "admin:" + ControllerFixture.ADMIN_PASSWORD));
            assertTrue(f.json("api/v1/folders/team/credentials").get("credentials").isEmpty());
        }
    }
}
