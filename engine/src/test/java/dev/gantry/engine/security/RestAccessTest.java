package dev.gantry.engine.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.testing.ControllerFixture;
import dev.gantry.engine.web.Metrics;
import dev.gantry.engine.web.WebServer;
import dev.gantry.engine.web.api.RestApi;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who gets what from every endpoint of a real controller: enumerated from the application, never listed by hand. */
class RestAccessTest {
    private static final String SCRIPT = "pipeline { agent any; stages { stage('s') { steps { echo 'hi' } } } }";

    @TempDir
    Path home;
    private ControllerFixture c;
    private Endpoints endpoints;

    @BeforeEach
    void start() throws Exception {
        c = ControllerFixture.in(home).agents(Duration.ofSeconds(30)).start();
        endpoints = Endpoints.of(RestApi.create(c.controller, new Metrics(), WebServer.DEFAULT_MAX_BODY_BYTES, c.agents, c.security));
    }

    @AfterEach
    void stop() {
        c.close();
    }

    private static Object bodyFor(String method) {
        return method.equals("GET") || method.equals("DELETE") || method.equals("HEAD") ? null : Map.of();
    }

    @Test
    void withoutCredentialsEveryEndpointButPublicOnesAnswers401WithAChallenge() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Endpoints.Endpoint e : endpoints.all()) {
            if (e.access() instanceof AccessFilter.Public || e.access() instanceof AccessFilter.Agent) {
                continue;
            }
            HttpResponse<String> r = c.sendWith(null, e.httpMethod(), e.path(), bodyFor(e.httpMethod()));
            checked++;
            if (r.statusCode() != 401 || r.headers().firstValue("WWW-Authenticate").isEmpty()
                    || !r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                wrong.add(e + " -> " + r.statusCode() + " " + r.headers().firstValue("WWW-Authenticate").orElse("(no challenge)") + " " + r.body());
            } else {
                assertEquals("unauthorized", ControllerFixture.parse(r).path("code").asText());
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(checked > 40, "only " + checked + " endpoints checked");
        assertEquals(200, c.sendWith(null, "GET", "health", null).statusCode());
        assertEquals(200, c.sendWith(null, "GET", "ready", null).statusCode());
    }

    @Test
    void wrongCredentialsAnswer401OnEveryApiEndpoint() {
        String wrongToken = "Bearer gantry_nottherealtokennottherealtokennottherealtok";
        for (Endpoints.Endpoint e : endpoints.all()) {
            if (e.access() instanceof AccessFilter.Public || e.access() instanceof AccessFilter.Agent) {
                continue;
            }
            HttpResponse<String> r = c.sendWith(wrongToken, e.httpMethod(), e.path(), bodyFor(e.httpMethod()));
            assertEquals(401, r.statusCode(), e + ": " + r.body());
        }
    }

    @Test
    void aViewerIsRefusedEveryWriteAndAdministrationEndpointAndChangesNothing() {
        c.putJob("job", SCRIPT);
        c.security.createUser("viewer", "viewer-password");
        c.security.grant("viewer", Role.VIEWER, null);
        String viewer = ControllerFixture.basic("viewer", "viewer-password");
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Endpoints.Endpoint e : endpoints.all()) {
            if (!(e.access() instanceof AccessFilter.Needs n) || n.requires().value() == Permission.READ) {
                continue;
            }
            HttpResponse<String> r = c.sendWith(viewer, e.httpMethod(), e.path(), bodyFor(e.httpMethod()));
            checked++;
            if (r.statusCode() != 403 || !ControllerFixture.parse(r).path("message").asText().contains("viewer")) {
                wrong.add(e + " -> " + r.statusCode() + " " + r.body());
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(checked > 20, "only " + checked + " write endpoints checked");
        assertEquals(200, c.get("api/v1/jobs/job").statusCode(), "the job survived the viewer");
        assertEquals(0, c.json("api/v1/jobs/job/builds").path("builds").size(), "the viewer triggered nothing");
        // What a viewer may do: read everything.
        for (Endpoints.Endpoint e : endpoints.all()) {
            if (e.access() instanceof AccessFilter.Needs n && n.requires().value() == Permission.READ) {
                int status = c.sendWith(viewer, e.httpMethod(), e.path(), bodyFor(e.httpMethod())).statusCode();
                assertTrue(status != 401 && status != 403, e + " refused a viewer: " + status);
            }
        }
    }

    @Test
    void aRoleOnAFolderCoversItsJobsAndNothingElse() {
        assertEquals(201, c.send("PUT", "api/v1/folders/team", Map.of()).statusCode());
        assertEquals(201, c.send("PUT", "api/v1/folders/other", Map.of()).statusCode());
        c.security.createUser("dev", "dev-password");
        c.security.grant("dev", Role.DEVELOPER, "team");
        String dev = ControllerFixture.basic("dev", "dev-password");
        assertEquals(201, c.sendWith(dev, "PUT", "api/v1/jobs/team/app", Map.of("script", SCRIPT)).statusCode());
        assertEquals(201, c.sendWith(dev, "POST", "api/v1/jobs/team/app/builds", Map.of()).statusCode());
        assertEquals(200, c.sendWith(dev, "GET", "api/v1/folders/team", null).statusCode());
        HttpResponse<String> other = c.sendWith(dev, "PUT", "api/v1/jobs/other/app", Map.of("script", SCRIPT));
        assertEquals(403, other.statusCode(), other.body());
        assertTrue(other.body().contains("configure") && other.body().contains("other/app"), other.body());
        assertEquals(403, c.sendWith(dev, "PUT", "api/v1/jobs/teamx", Map.of("script", SCRIPT)).statusCode(), "a prefix is not the folder");
        assertEquals(403, c.sendWith(dev, "DELETE", "api/v1/jobs/team/app", null).statusCode(), "a developer does not delete");
        assertEquals(403, c.sendWith(dev, "GET", "api/v1/jobs", null).statusCode(), "the global list needs a global role");
        assertEquals(403, c.sendWith(dev, "DELETE", "api/v1/folders/team", null).statusCode());
        c.completed("team/app", 1);
    }

    @Test
    void aUserWithoutRolesIsSignedInButMayDoNothing() {
        c.security.createUser("nobody", "nobody-password");
        String nobody = ControllerFixture.basic("nobody", "nobody-password");
        JsonNode me = ControllerFixture.parse(c.sendWith(nobody, "GET", "api/v1/whoami", null));
        assertEquals("nobody", me.path("name").asText());
        assertEquals(0, me.path("permissions").size());
        assertEquals(403, c.sendWith(nobody, "GET", "api/v1/jobs", null).statusCode());
        assertEquals(403, c.sendWith(nobody, "GET", "metrics", null).statusCode());
        assertEquals(403, c.sendWith(nobody, "GET", "api/v1/users/admin", null).statusCode(), "another user's account");
        assertEquals(200, c.sendWith(nobody, "GET", "api/v1/users/nobody", null).statusCode(), "one's own account");
    }
}
