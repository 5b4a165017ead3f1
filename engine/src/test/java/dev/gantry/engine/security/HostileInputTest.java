package dev.gantry.engine.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.testing.ControllerFixture;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQL-injection strings and oversized bodies against the security endpoints and the job API: refused or stored verbatim. */
class HostileInputTest {
    static final List<String> INJECTIONS = List.of("' OR '1'='1", "admin'--", "x'; DROP TABLE users; --", "1; DELETE FROM api_tokens",
            "\" OR \"\"=\"", "') OR ('a'='a", "admin' /*", "%27%20OR%201=1", "x' UNION SELECT name, password_hash, created FROM users --");

    @TempDir
    Path home;

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void sqlInjectionStringsAreRefusedOrStoredVerbatimAndNeverRun() throws Exception {
        try (ControllerFixture c = ControllerFixture.start(home, 1)) {
            for (String evil : INJECTIONS) {
                HttpResponse<String> user = c.send("POST", "api/v1/users", Map.of("name", evil, "password", "long-enough-password"));
                assertEquals(400, user.statusCode(), evil + ": " + user.body());
                assertEquals(401, c.sendWith(ControllerFixture.basic(evil, "anything"), "GET", "api/v1/whoami", null).statusCode(), evil);
                assertEquals(401, c.sendWith(ControllerFixture.basic("admin", evil), "GET", "api/v1/whoami", null).statusCode(), evil);
                assertEquals(401, c.sendWith("Bearer " + evil, "GET", "api/v1/whoami", null).statusCode(), evil);
                HttpResponse<String> job = c.send("PUT", "api/v1/jobs/" + q(evil).replace("+", "%20"), Map.of("script", "echo 'x'"));
                assertTrue(job.statusCode() == 400 || job.statusCode() == 201, evil + ": " + job.statusCode() + " " + job.body());
                if (job.statusCode() == 201) {
                    assertEquals(evil, ControllerFixture.parse(c.get("api/v1/jobs/" + q(evil).replace("+", "%20"))).path("name").asText());
                }
                assertEquals(200, c.get("api/v1/audit?actor=" + q(evil) + "&action=" + q(evil)).statusCode(), evil);
                for (JsonNode e : c.json("api/v1/audit?actor=" + q(evil)).path("entries")) {
                    assertEquals(evil, e.path("actor").asText(), "a filter matches verbatim");
                    assertEquals("login.failure", e.path("action").asText(), "only the failed login under that name: " + e);
                }
                assertEquals(400, c.get("api/v1/audit?limit=" + q(evil)).statusCode(), evil);
                int lookup = c.get("api/v1/users/" + q(evil).replace("+", "%20")).statusCode();
                assertTrue(lookup == 404 || lookup == 400, evil + ": " + lookup);
                HttpResponse<String> grant = c.send("POST", "api/v1/users/admin/grants", Map.of("role", evil));
                assertEquals(400, grant.statusCode(), evil);
                HttpResponse<String> folderGrant = c.send("POST", "api/v1/users/admin/grants", Map.of("role", "viewer", "folder", evil));
                assertEquals(400, folderGrant.statusCode(), evil + ": " + folderGrant.body());
                HttpResponse<String> builds = c.get("api/v1/jobs/x/builds?limit=" + q(evil));
                assertTrue(builds.statusCode() == 400 || builds.statusCode() == 404, evil + ": " + builds.statusCode());
            }
            // Token names are free text: stored verbatim.
            for (String evil : INJECTIONS) {
                assertEquals(201, c.send("POST", "api/v1/users/admin/tokens", Map.of("name", evil)).statusCode());
            }
            JsonNode tokens = c.json("api/v1/users/admin/tokens").path("tokens");
            assertEquals(INJECTIONS.size(), tokens.size());
            for (int i = 0; i < INJECTIONS.size(); i++) {
                assertEquals(INJECTIONS.get(i), tokens.get(i).path("name").asText());
            }
            assertTrue(c.json("api/v1/audit?action=token.create").path("entries").size() >= INJECTIONS.size());
            // Nothing ran: the users, tokens and grants are all there.
            assertEquals(1, c.json("api/v1/users").path("users").size());
            assertEquals("admin", c.json("api/v1/whoami").path("name").asText());
            assertTrue(c.json("api/v1/whoami").path("permissions").toString().contains("administer"));
        }
    }

    /**
     * Sends on a connection of its own: after a 413 the server closes the connection, and a
     * request on a reused one could race that close. Declared lengths are sent with
     * {@code Expect: 100-continue}, so that the 413 comes before the body (else the close may
     * reset the connection under the unread body before the client reads the answer).
     */
    private static HttpResponse<String> alone(HttpRequest r) {
        try (java.net.http.HttpClient own = java.net.http.HttpClient.newHttpClient()) {
            return own.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(r.method() + " " + r.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Declares an 11 MiB body, sends 1 KiB of it and reads the status line: the answer must come
     * before the body, without the rest ever being sent.
     */
    private static int declaredOnly(ControllerFixture c, String requestLine, String contentType, String authorization) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", c.web.port())) {
            s.setSoTimeout(30_000);
            String head = requestLine + " HTTP/1.1\r\nHost: 127.0.0.1:" + c.web.port() + "\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + (11 * 1024 * 1024) + "\r\n" + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(new byte[1024]);
            s.getOutputStream().flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void oversizedBodiesAre413BeforeTheyAreRead() throws Exception {
        try (ControllerFixture c = ControllerFixture.start(home, 1)) {
            byte[] huge = ("{\"name\": \"" + "a".repeat(11 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
            for (String path : new String[] {"api/v1/users", "api/v1/users/admin/tokens", "api/v1/jobs/j/builds"}) {
                HttpResponse<String> r = alone(c.request(path).header("Content-Type", "application/json").expectContinue(true)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build());
                assertEquals(413, r.statusCode(), path + ": " + r.body());
            }
            HttpResponse<String> put = alone(c.request("api/v1/jobs/j").header("Content-Type", "application/json").expectContinue(true)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(huge)).build());
            assertEquals(413, put.statusCode());
            assertEquals(413, declaredOnly(c, "POST /login", "application/x-www-form-urlencoded", null),
                    "the login form too, without credentials");
            assertEquals(413, declaredOnly(c, "POST /api/v1/users", "application/json", ControllerFixture.basic("admin", ControllerFixture.ADMIN_PASSWORD)));
            HttpResponse<String> chunked = alone(c.request("api/v1/users").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge))).build());
            assertEquals(413, chunked.statusCode(), "a body without a declared length is cut off at the limit");
            String longName = "a".repeat(5000);
            assertEquals(400, c.send("POST", "api/v1/users/admin/tokens", Map.of("name", longName)).statusCode());
            assertEquals(400, c.send("PUT", "api/v1/users/admin/password", Map.of("password", longName)).statusCode());
            assertEquals(1, c.json("api/v1/users").path("users").size());
        }
    }

    @Test
    void configurationChangesLoginsAndTokensAreInTheAuditLogForAdministratorsOnly() throws Exception {
        try (ControllerFixture c = ControllerFixture.start(home, 1)) {
            c.putJob("audited", "echo 'x'");
            c.send("DELETE", "api/v1/jobs/audited", null);
            c.send("POST", "api/v1/users", Map.of("name", "vera", "password", "vera-password", "roles", List.of(Map.of("role", "viewer"))));
            String token = ControllerFixture.parse(c.send("POST", "api/v1/users/admin/tokens", Map.of("name", "ci"))).path("id").asText();
            c.send("DELETE", "api/v1/users/admin/tokens/" + token, null);
            c.sendWith(ControllerFixture.basic("vera", "wrong-password"), "GET", "api/v1/whoami", null);
            c.sendText(c.anonymous("login").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=vera&password=vera-password")).build());
            c.send("POST", "api/v1/users/vera/grants", Map.of("role", "developer", "folder", "team"));

            JsonNode entries = c.json("api/v1/audit?limit=100").path("entries");
            String all = entries.toString();
            for (String action : new String[] {"\"jobs.putJob\"", "\"jobs.deleteJob\"", "\"user.create\"", "\"token.create\"", "\"token.revoke\"",
                    "\"login.failure\"", "\"login\"", "\"role.grant\""}) {
                assertTrue(all.contains("\"action\":" + action), action + " missing from " + all);
            }
            JsonNode put = c.json("api/v1/audit?action=jobs.putJob").path("entries").get(0);
            assertEquals("admin", put.path("actor").asText());
            assertEquals("audited", put.path("target").asText());
            assertEquals("127.0.0.1", put.path("address").asText());
            assertTrue(entries.get(0).path("id").asLong() > entries.get(entries.size() - 1).path("id").asLong(), "newest first");
            assertEquals(0, c.json("api/v1/audit?action=jobs.getJob").path("entries").size(), "reads are not audited");
            assertEquals(403, c.sendWith(ControllerFixture.basic("vera", "vera-password"), "GET", "api/v1/audit", null).statusCode());

            c.security.audit().record("build:team/app#3", "credential.use", "deploy-key", "withCredentials in stage Deploy");
            JsonNode hook = c.json("api/v1/audit?action=credential.use").path("entries").get(0);
            assertEquals("build:team/app#3", hook.path("actor").asText());
            assertEquals("deploy-key", hook.path("target").asText());
        }
    }
}
