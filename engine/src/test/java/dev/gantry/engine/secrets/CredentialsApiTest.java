package dev.gantry.engine.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.testing.ControllerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credential store through the REST API and in builds of the real controller. */
class CredentialsApiTest {
    private static final String SECRET = "s3cr3t-Value-42";
    private static final String PASSWORD = "pa55-w0rd-xyz";

    @TempDir
    Path home;

    private static Map<String, Object> credential(String id, String type, Map<String, String> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", type);
        m.put("description", "for tests");
        m.put("fields", fields);
        return m;
    }

    @Test
    void createdCredentialsAreListedWithoutSecretsAndEncryptedAtRest() throws Exception {
        try (ControllerFixture f = ControllerFixture.start(home, 1)) {
            HttpResponse<String> created = f.send("POST", "api/v1/credentials", credential("token", "string", Map.of("secret", SECRET)));
            assertEquals(201, created.statusCode(), created.body());
            assertFalse(created.body().contains(SECRET), created.body());
            HttpResponse<String> list = f.get("api/v1/credentials");
            assertEquals(200, list.statusCode());
            assertFalse(list.body().contains(SECRET), list.body());
            JsonNode c = ControllerFixture.parse(list).get("credentials").get(0);
            assertEquals("token", c.get("id").asText());
            assertEquals("string", c.get("type").asText());
            assertFalse(f.get("api/v1/credentials/token").body().contains(SECRET));
            assertEquals(409, f.send("POST", "api/v1/credentials", credential("token", "string", Map.of("secret", "x"))).statusCode());
            assertEquals(400, f.send("POST", "api/v1/credentials", credential("bad id", "string", Map.of("secret", "x"))).statusCode());
            assertEquals(400, f.send("POST", "api/v1/credentials", credential("t2", "nope", Map.of("secret", "x"))).statusCode());
            assertEquals(400, f.send("POST", "api/v1/credentials", credential("t3", "usernamePassword", Map.of("username", "u"))).statusCode());
        }
        Path key = home.resolve("secrets/master.key");
        assertEquals(32, Files.size(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        try (var files = Files.walk(home.resolve("db"))) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String raw = new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(raw.contains(SECRET), p + " holds the secret in plain text");
            }
        }
    }

    @Test
    void buildsBindCredentialsMaskThemAndRecordTheirUse() throws Exception {
        try (ControllerFixture f = ControllerFixture.start(home, 1)) {
            assertEquals(201, f.send("POST", "api/v1/credentials", credential("token", "string", Map.of("secret", SECRET))).statusCode());
            assertEquals(201, f.send("POST", "api/v1/credentials", credential("login", "usernamePassword",
                    Map.of("username", "deployer", "password", PASSWORD))).statusCode());
            f.putJob("deploy", """
                    pipeline {
                        agent any
                        environment { LOGIN = credentials('login') }
                        stages {
                            stage('Use') {
                                steps {
                                    withCredentials([string(credentialsId: 'token', variable: 'TOKEN')]) {
                                        sh 'echo "token=$TOKEN"; printf "%s" "$TOKEN" | wc -c'
                                        sh "echo interpolated ${TOKEN}"
                                    }
                                    sh 'echo "user=$LOGIN_USR pass=$LOGIN_PSW both=$LOGIN"'
                                }
                            }
                        }
                    }
                    """);
            int n = f.trigger("deploy");
            JsonNode b = f.completed("deploy", n);
            String log = f.log("deploy", n);
            assertEquals("SUCCESS", b.get("result").asText(), log);
            assertFalse(log.contains(SECRET), log);
            assertFalse(log.contains(PASSWORD), log);
            assertTrue(log.contains("token=****"), log);
            assertTrue(log.contains(String.valueOf(SECRET.length())), log);
            assertTrue(log.contains("user=deployer pass=**** both=****"), log);
            assertTrue(log.contains("A secret was passed to \"sh\" using Groovy String interpolation, which is insecure"), log);
            assertTrue(log.contains("[TOKEN]"), log);
            JsonNode uses = f.json("api/v1/credential-uses?job=deploy").get("uses");
            assertEquals(2, uses.size(), uses.toString());
            assertEquals(n, uses.get(0).get("build").asInt());
        }
    }

    @Test
    void aJobSeesItsFolderChainThenGlobalAndNothingElse() throws Exception {
        try (ControllerFixture f = ControllerFixture.start(home, 1)) {
            assertEquals(201, f.send("PUT", "api/v1/folders/team", Map.of("description", "")).statusCode());
            assertTrue(f.send("PUT", "api/v1/folders/team/inner", Map.of("description", "")).statusCode() / 100 == 2);
            assertTrue(f.send("PUT", "api/v1/folders/other", Map.of("description", "")).statusCode() / 100 == 2);
            assertEquals(201, f.send("POST", "api/v1/credentials", credential("shared", "string", Map.of("secret", "global-value"))).statusCode());
            assertEquals(201, f.send("POST", "api/v1/folders/team/credentials", credential("shared", "string",
                    Map.of("secret", "team-value"))).statusCode());
            assertEquals(201, f.send("POST", "api/v1/folders/other/credentials", credential("private", "string",
                    Map.of("secret", "other-value"))).statusCode());
            assertEquals(1, f.json("api/v1/folders/team/credentials").get("credentials").size());
            assertEquals("team", f.json("api/v1/folders/team/credentials/shared").get("folder").asText());
            assertEquals("", f.json("api/v1/credentials/shared").get("folder").asText());
            assertEquals(404, f.get("api/v1/folders/team/inner/credentials/shared").statusCode(), "folder credentials are not inherited by listing");
            assertEquals("team", f.json("api/v1/folders/team").get("name").asText(), "the folder itself is still reachable");
            assertEquals(404, f.send("POST", "api/v1/folders/missing/credentials", credential("x", "string", Map.of("secret", "v"))).statusCode());
            String script = """
                    node {
                        withCredentials([string(credentialsId: 'shared', variable: 'S')]) {
                            sh 'test "$S" = team-value && echo picked-team'
                        }
                        withCredentials([string(credentialsId: 'private', variable: 'P')]) { echo 'unreachable' }
                    }
                    """;
            f.putJob("team/inner/app", script);
            int n = f.trigger("team/inner/app");
            JsonNode b = f.completed("team/inner/app", n);
            String log = f.log("team/inner/app", n);
            assertEquals("FAILURE", b.get("result").asText(), log);
            assertTrue(log.contains("picked-team"), log);
            assertTrue(log.contains("no credential with id 'private' is visible to job 'team/inner/app'"), log);
            assertFalse(log.contains("unreachable"), log);
            JsonNode uses = f.json("api/v1/credential-uses?credential=shared").get("uses");
            assertEquals("team", uses.get(0).get("folder").asText());
        }
    }

    @Test
    void updateKeepsFieldsNotGivenAndDeleteRemoves() throws Exception {
        try (ControllerFixture f = ControllerFixture.start(home, 1)) {
            assertEquals(201, f.send("POST", "api/v1/credentials", credential("login", "usernamePassword",
                    Map.of("username", "a", "password", "first-pass"))).statusCode());
            HttpResponse<String> up = f.send("PUT", "api/v1/credentials/login", Map.of("description", "renamed",
                    "fields", Map.of("password", "second-pass")));
            assertEquals(200, up.statusCode(), up.body());
            assertEquals("renamed", ControllerFixture.parse(up).get("description").asText());
            f.putJob("check", "node { withCredentials([usernamePassword(credentialsId: 'login', usernameVariable: 'U', passwordVariable: 'P')]) {"
                    + " sh 'test \"$U\" = a && test \"$P\" = second-pass && echo fields-kept' } }");
            int n = f.trigger("check");
            assertEquals("SUCCESS", f.completed("check", n).get("result").asText(), f.log("check", n));
            assertTrue(f.log("check", n).contains("fields-kept"));
            assertEquals(204, f.send("DELETE", "api/v1/credentials/login", null).statusCode());
            assertEquals(404, f.send("DELETE", "api/v1/credentials/login", null).statusCode());
            assertEquals(404, f.get("api/v1/credentials/login").statusCode());
        }
    }
}
