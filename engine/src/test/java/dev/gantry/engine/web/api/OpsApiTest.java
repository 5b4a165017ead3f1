package dev.gantry.engine.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.web.PrometheusText;
import jakarta.ws.rs.HttpMethod;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeSet;
import java.util.Set;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsApiTest {
    private Api api;

    @BeforeEach
    void start() throws IOException {
        api = new Api();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void healthIsAlwaysUp() {
        api.controller.setReady(false);
        HttpResponse<String> r = api.get("/health");
        assertEquals(200, r.statusCode());
        assertEquals("{\"status\":\"UP\"}", r.body());
    }

    @Test
    void readyFollowsTheController() {
        assertEquals(200, api.get("/ready").statusCode());
        api.controller.setReady(false);
        HttpResponse<String> r = api.get("/ready");
        assertEquals(503, r.statusCode());
        assertEquals("NOT_READY", Api.json(r).get("status").asText());
        api.controller.setReady(true);
        assertEquals(200, api.get("/ready").statusCode());
    }

    @Test
    void metricsCountRequestsByMethodAndStatusInTextFormat() {
        api.get("/api/v1/jobs");
        api.get("/api/v1/jobs/nope");
        api.send("PATCH", "/api/v1/jobs", "{}");
        HttpResponse<String> r = api.get("/metrics");
        assertEquals(200, r.statusCode());
        String type = r.headers().firstValue("Content-Type").orElseThrow().replace(" ", "");
        assertTrue(type.startsWith("text/plain;") && type.contains("version=0.0.4"), type);
        Map<String, String> types = PrometheusText.parse(r.body());
        assertEquals("counter", types.get("http_requests_total"));
        assertEquals("histogram", types.get("http_request_duration_seconds"));
        assertEquals("gauge", types.get("jvm_memory_used_bytes"));
        assertEquals("gauge", types.get("jvm_threads_live"));
        assertTrue(r.body().contains("http_requests_total{method=\"GET\",status=\"200\"} "), r.body());
        assertTrue(r.body().contains("http_requests_total{method=\"GET\",status=\"404\"} 1\n"), r.body());
        assertTrue(r.body().contains("http_requests_total{method=\"PATCH\",status=\"405\"} 1\n"), r.body());
        assertTrue(r.body().contains("jvm_memory_used_bytes{area=\"heap\"} "), r.body());
    }

    @Test
    void openApiDocumentsEveryResourceMethodAndNothingElse() throws IOException {
        HttpResponse<String> r = api.get("/api/v1/openapi.json");
        assertEquals(200, r.statusCode());
        JsonNode doc = Api.json(r);
        assertTrue(doc.get("openapi").asText().startsWith("3.0"));
        Set<String> implemented = new TreeSet<>();
        for (Class<?> c : new Class<?>[] {JobsResource.class, LogsResource.class, OpsResource.class, BuildActionsResource.class, AdminResource.class, PluginsResource.class, FoldersResource.class, NotificationsResource.class, CredentialsResource.class, ScriptApprovalsResource.class,
                ScmResource.class, ReportsResource.class, dev.gantry.engine.agent.AgentsResource.class, dev.gantry.engine.agent.AgentProtocolResource.class,
                dev.gantry.engine.security.UsersResource.class, dev.gantry.engine.security.LoginResource.class}) {
            Resource root = Resource.from(c);
            collect(root, "", implemented);
        }
        Set<String> documented = new TreeSet<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (!m.equals("parameters")) {
                documented.add(m.toUpperCase() + " " + p.getKey());
            }
        }));
        assertEquals(implemented, documented);
        assertTrue(implemented.contains("GET /api/v1/jobs/{name}/builds/{number}/log"), implemented.toString());
    }

    private static void collect(Resource r, String prefix, Set<String> out) {
        String path = (prefix + "/" + r.getPath()).replaceAll("/+", "/").replaceAll("\\{(\\w+)\\s*:[^/]*?\\}(?=/|$)", "{$1}");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        for (ResourceMethod m : r.getResourceMethods()) {
            if (!m.getHttpMethod().equals(HttpMethod.HEAD) && !m.getHttpMethod().equals(HttpMethod.OPTIONS)) {
                out.add(m.getHttpMethod() + " " + path);
            }
        }
        for (Resource child : r.getChildResources()) {
            collect(child, path, out);
        }
    }
}
