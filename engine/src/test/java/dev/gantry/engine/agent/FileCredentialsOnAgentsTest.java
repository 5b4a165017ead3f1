package dev.gantry.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.testing.ControllerFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * withCredentials file bindings (secret file, SSH key) on a remote agent connected over HTTP: the
 * files go to the agent's {@code <workspace>@tmp}, mode 600, and are gone when the block ends,
 * also when it fails.
 */
class FileCredentialsOnAgentsTest {
    private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nkey-material-line\n-----END OPENSSH PRIVATE KEY-----\n";

    @TempDir
    Path dir;

    @Test
    void fileAndSshKeyBindingsAreWrittenIntoTheAgentsWorkspaceTempDirAndDeletedWhenTheBlockEnds() throws Exception {
        try (ControllerFixture c = ControllerFixture.in(dir.resolve("home")).agents(Duration.ofSeconds(10)).start()) {
            assertEquals(201, c.send("POST", "api/v1/credentials", credential("cfg", "file",
                    Map.of("fileName", ".npmrc", "content", "token=file-secret-value\n"))).statusCode());
            assertEquals(201, c.send("POST", "api/v1/credentials", credential("key", "sshUserPrivateKey",
                    Map.of("username", "git", "privateKey", KEY))).statusCode());
            try (var agent = c.agent("remote-1", List.of("remote"), dir.resolve("agent"), new ByteArrayOutputStream())) {
                c.controller.putJob("creds", """
                        node('remote') {
                          withCredentials([file(credentialsId: 'cfg', variable: 'CFG'), sshUserPrivateKey(credentialsId: 'key', keyFileVariable: 'K')]) {
                            writeFile file: 'paths.txt', text: "${env.CFG}\\n${env.K}"
                            sh 'echo "modes $(stat -c %a "$CFG") $(stat -c %a "$K") $(stat -c %a "$(dirname "$CFG")")"; grep -c key-material-line "$K"; cat "$CFG"'
                          }
                          if (params.FAIL) {
                            withCredentials([file(credentialsId: 'cfg', variable: 'CFG')]) {
                              writeFile file: 'failed.txt', text: env.CFG
                              error 'the block fails'
                            }
                          }
                        }
                        """, null);
                int first = c.controller.trigger("creds", Map.of("FAIL", false), "Started by test").number();
                c.completed("creds", first);
                String log = c.log("creds", first);
                assertEquals("SUCCESS", c.controller.build("creds", first).orElseThrow().result(), log);
                assertTrue(log.contains("modes 600 600 700"), log);
                assertFalse(log.contains("file-secret-value"), "the file's content is masked: " + log);
                Path ws = dir.resolve("agent/workspace/creds");
                List<String> paths = Files.readString(ws.resolve("paths.txt")).lines().toList();
                assertEquals(2, paths.size());
                for (String p : paths) {
                    assertTrue(Path.of(p).startsWith(dir.resolve("agent/workspace/creds@tmp")), p);
                    assertFalse(Files.exists(Path.of(p)), p + " is deleted when the block ends");
                    assertFalse(Files.exists(Path.of(p).getParent()), "with its directory");
                }
                assertTrue(paths.get(0).endsWith("/.npmrc"), paths.get(0));

                int second = c.controller.trigger("creds", Map.of("FAIL", true), "Started by test").number();
                c.completed("creds", second);
                assertEquals("FAILURE", c.controller.build("creds", second).orElseThrow().result(), c.log("creds", second));
                Path failed = Path.of(Files.readString(ws.resolve("failed.txt")));
                assertTrue(failed.startsWith(dir.resolve("agent/workspace/creds@tmp")), failed.toString());
                assertFalse(Files.exists(failed), "deleted also when the block fails");
            }
        }
    }

    private static Map<String, Object> credential(String id, String type, Map<String, String> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", type);
        m.put("fields", fields);
        return m;
    }
}
