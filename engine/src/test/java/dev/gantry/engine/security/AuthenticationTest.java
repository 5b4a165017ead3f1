package dev.gantry.engine.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.testing.ControllerFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP Basic with password or token, Bearer tokens, revocation, agent secrets, and the first admin. */
class AuthenticationTest {
    @TempDir
    Path home;

    @Test
    void basicWithPasswordOrTokenAndBearerWorkAndARevokedTokenStopsAtOnce() throws Exception {
        try (ControllerFixture c = ControllerFixture.start(home, 1)) {
            c.security.createUser("ada", "ada-password");
            c.security.grant("ada", Role.DEVELOPER, null);
            String password = ControllerFixture.basic("ada", "ada-password");
            assertEquals(200, c.sendWith(password, "GET", "api/v1/jobs", null).statusCode());

            HttpResponse<String> created = c.sendWith(password, "POST", "api/v1/users/ada/tokens", Map.of("name", "laptop"));
            assertEquals(201, created.statusCode(), created.body());
            JsonNode t = ControllerFixture.parse(created);
            String token = t.path("token").asText();
            assertTrue(token.startsWith("gantry_") && token.length() > 40, token);
            assertEquals("no-store", created.headers().firstValue("Cache-Control").orElse(""));

            assertEquals(200, c.sendWith(ControllerFixture.basic("ada", token), "GET", "api/v1/jobs", null).statusCode());
            assertEquals(200, c.sendWith("Bearer " + token, "GET", "api/v1/jobs", null).statusCode());
            assertEquals("ada", ControllerFixture.parse(c.sendWith("Bearer " + token, "GET", "api/v1/whoami", null)).path("name").asText());
            assertEquals(401, c.sendWith(ControllerFixture.basic("admin", token), "GET", "api/v1/jobs", null).statusCode(),
                    "ada's token is not admin's");

            JsonNode list = ControllerFixture.parse(c.sendWith(password, "GET", "api/v1/users/ada/tokens", null));
            assertEquals(1, list.path("tokens").size());
            assertEquals("laptop", list.path("tokens").get(0).path("name").asText());
            assertFalse(list.toString().contains(token), "a token is shown only once");
            assertFalse(c.security.tokens("ada").get(0).hash().contains(token), "stored hashed");

            assertEquals(204, c.sendWith(password, "DELETE", "api/v1/users/ada/tokens/" + t.path("id").asText(), null).statusCode());
            assertEquals(401, c.sendWith("Bearer " + token, "GET", "api/v1/jobs", null).statusCode());
            assertEquals(401, c.sendWith(ControllerFixture.basic("ada", token), "GET", "api/v1/jobs", null).statusCode());
            assertEquals(404, c.sendWith(password, "DELETE", "api/v1/users/ada/tokens/" + t.path("id").asText(), null).statusCode());
        }
    }

    @Test
    void usersManageOnlyTheirOwnTokensAndPasswords() throws Exception {
        try (ControllerFixture c = ControllerFixture.start(home, 1)) {
            c.security.createUser("ada", "ada-password");
            c.security.createUser("bob", "bob-password");
            String bob = ControllerFixture.basic("bob", "bob-password");
            assertEquals(403, c.sendWith(bob, "POST", "api/v1/users/ada/tokens", Map.of("name", "steal")).statusCode());
            assertEquals(403, c.sendWith(bob, "GET", "api/v1/users/ada/tokens", null).statusCode());
            assertEquals(403, c.sendWith(bob, "PUT", "api/v1/users/ada/password", Map.of("password", "bob-chose-this")).statusCode());
            assertEquals(403, c.sendWith(bob, "PUT", "api/v1/users/bob/password", Map.of("password", "new-password-1")).statusCode(),
                    "one's own password change needs the current one");
            assertEquals(204, c.sendWith(bob, "PUT", "api/v1/users/bob/password",
                    Map.of("password", "new-password-1", "currentPassword", "bob-password")).statusCode());
            assertEquals(401, c.sendWith(bob, "GET", "api/v1/whoami", null).statusCode());
            assertEquals(200, c.sendWith(ControllerFixture.basic("bob", "new-password-1"), "GET", "api/v1/whoami", null).statusCode());
            HttpResponse<String> weak = c.send("PUT", "api/v1/users/ada/password", Map.of("password", "short"));
            assertEquals(400, weak.statusCode(), weak.body());
        }
    }

    @Test
    void adminsManageUsersAndRolesOverRestAndTheLastAdminStays() throws Exception {
        try (ControllerFixture c = ControllerFixture.start(home, 1)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", "carol");
            body.put("password", "carol-password");
            body.put("roles", java.util.List.of(Map.of("role", "viewer")));
            assertEquals(201, c.send("POST", "api/v1/users", body).statusCode());
            assertEquals(409, c.send("POST", "api/v1/users", body).statusCode());
            String carol = ControllerFixture.basic("carol", "carol-password");
            assertEquals(403, c.sendWith(carol, "PUT", "api/v1/jobs/j", Map.of("script", "echo 'x'")).statusCode());
            assertEquals(201, c.send("POST", "api/v1/users/carol/grants", Map.of("role", "developer", "folder", "team")).statusCode());
            assertEquals(400, c.send("POST", "api/v1/users/carol/grants", Map.of("role", "emperor")).statusCode());
            JsonNode user = c.json("api/v1/users/carol");
            assertEquals(2, user.path("roles").size(), user.toString());
            assertEquals(200, c.send("DELETE", "api/v1/users/carol/grants/developer?folder=team", null).statusCode());
            assertEquals(404, c.send("DELETE", "api/v1/users/carol/grants/developer?folder=team", null).statusCode());
            assertEquals(409, c.send("DELETE", "api/v1/users/admin", null).statusCode(), "the last admin cannot be deleted");
            assertEquals(409, c.send("DELETE", "api/v1/users/admin/grants/admin", null).statusCode());
            assertEquals(204, c.send("DELETE", "api/v1/users/carol", null).statusCode());
            assertEquals(401, c.sendWith(carol, "GET", "api/v1/whoami", null).statusCode());
            assertTrue(c.json("api/v1/users").path("users").toString().contains("\"admin\""));
        }
    }

    @Test
    void anAgentSecretGrantsNothingOnTheApiAndActsOnlyAsItsOwnAgent() throws Exception {
        try (ControllerFixture c = ControllerFixture.in(home).agents(Duration.ofSeconds(30)).start()) {
            String a = ControllerFixture.parse(c.send("POST", "api/v1/agents", Map.of("name", "agent-a"))).path("secret").asText();
            String b = ControllerFixture.parse(c.send("POST", "api/v1/agents", Map.of("name", "agent-b"))).path("secret").asText();
            for (String auth : new String[] {"Bearer " + a, ControllerFixture.basic("agent-a", a), ControllerFixture.basic("admin", a)}) {
                assertEquals(401, c.sendWith(auth, "GET", "api/v1/jobs", null).statusCode(), auth);
                assertEquals(401, c.sendWith(auth, "POST", "api/v1/agents", Map.of("name", "agent-c")).statusCode(), auth);
                assertEquals(401, c.sendWith(auth, "GET", "metrics", null).statusCode(), auth);
            }
            Map<String, Object> hello = Map.of("protocol", dev.gantry.engine.agent.AgentProtocol.VERSION, "instance", "i1", "os", "Linux", "workdir", home.resolve("w").toString());
            HttpResponse<String> asB = agentCall(c, "agent-b", a, hello);
            assertEquals(401, asB.statusCode(), asB.body());
            assertTrue(asB.body().contains("wrong secret for agent agent-b"), asB.body());
            assertFalse(asB.body().contains(a));
            assertEquals(200, agentCall(c, "agent-a", a, hello).statusCode());
            assertEquals(200, agentCall(c, "agent-b", b, Map.of("protocol", dev.gantry.engine.agent.AgentProtocol.VERSION, "instance", "i2", "os", "Linux", "workdir", "/tmp/b")).statusCode());
            HttpResponse<byte[]> admin = c.send(c.request("api/agent/v1/connect").header("X-Gantry-Agent", "agent-a")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"protocol\":" + dev.gantry.engine.agent.AgentProtocol.VERSION + "}")).build());
            assertEquals(401, admin.statusCode(), "the admin's own credentials are not an agent's secret");
        }
    }

    private static HttpResponse<String> agentCall(ControllerFixture c, String name, String secret, Map<String, Object> hello) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(c.url + "api/agent/v1/connect")).header("X-Gantry-Agent", name)
                .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ControllerFixture.JSON.writeValueAsString(hello))).build();
        return c.client.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theFirstStartCreatesAdminWithARandomPasswordInAnOwnerOnlyFileOnce() throws Exception {
        Security s = Security.inMemory(Security.Options.defaults().withBcryptCost(4));
        String password = s.initialize(home, null);
        assertTrue(password != null && password.length() >= 20, password);
        Path file = home.resolve(Security.INITIAL_PASSWORD_FILE);
        assertEquals(password, Files.readString(file).trim());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals("admin", s.basic("admin", password, "127.0.0.1").name());
        assertTrue(s.basic("admin", password, "127.0.0.1").permits(Permission.ADMINISTER));
        assertNull(s.initialize(home, null), "only the first start creates the admin");
        assertEquals(password, Files.readString(file).trim());

        Security preset = Security.inMemory(Security.Options.defaults().withBcryptCost(4));
        assertNull(preset.initialize(home.resolve("other"), "preset-password"));
        assertFalse(Files.exists(home.resolve("other").resolve(Security.INITIAL_PASSWORD_FILE)));
        assertEquals("admin", preset.basic("admin", "preset-password", "127.0.0.1").name());
    }
}
