package dev.gantry.engine.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.testing.ControllerFixture;
import dev.gantry.engine.web.Metrics;
import dev.gantry.engine.web.WebServer;
import dev.gantry.engine.web.api.RestApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every resource method of the REST application, whoever added it, declares who may call it:
 * the test reads Jersey's resource model of the application as the server builds it.
 */
class EndpointPermissionsTest {
    @TempDir
    Path home;

    @Test
    void everyResourceMethodDeclaresExactlyOnePermission() throws Exception {
        try (ControllerFixture c = ControllerFixture.in(home).agents(Duration.ofSeconds(30)).start()) {
            Endpoints endpoints = Endpoints.of(RestApi.create(c.controller, new Metrics(), WebServer.DEFAULT_MAX_BODY_BYTES, c.agents, c.security));
            assertTrue(endpoints.all().size() > 40, "the enumeration found only " + endpoints.all());
            List<String> undeclared = endpoints.all().stream().filter(e -> e.access() == null).map(Object::toString).toList();
            assertEquals(List.of(), undeclared, "resource methods without exactly one of @Requires, @SignedIn, @PublicEndpoint,"
                    + " @AgentEndpoint (dev.gantry.engine.security): declare who may call them");
        }
    }

    @Test
    void onlyHealthReadinessAndLoginArePublicAndOnlyTheAgentProtocolIsForAgents() throws Exception {
        try (ControllerFixture c = ControllerFixture.in(home).agents(Duration.ofSeconds(30)).start()) {
            Endpoints endpoints = Endpoints.of(RestApi.create(c.controller, new Metrics(), WebServer.DEFAULT_MAX_BODY_BYTES, c.agents, c.security));
            for (Endpoints.Endpoint e : endpoints.all()) {
                if (e.access() instanceof AccessFilter.Public) {
                    assertTrue(List.of("health", "ready", "login").contains(e.template()) || e.template().startsWith("api/v1/webhooks"),
                            e + " is public; only health, readiness, the login page and signed webhooks may be");
                }
                if (e.access() instanceof AccessFilter.Agent) {
                    assertTrue(e.template().startsWith("api/agent/v1/"), e + " is marked for agents but is not part of the agent protocol");
                }
                if (e.template().startsWith("api/agent/v1/")) {
                    assertTrue(e.access() instanceof AccessFilter.Agent, e + " is in the agent protocol but not marked @AgentEndpoint");
                }
            }
        }
    }
}
