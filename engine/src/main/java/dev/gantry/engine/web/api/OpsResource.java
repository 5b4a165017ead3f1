package dev.gantry.engine.web.api;

import dev.gantry.engine.security.Permission;
import dev.gantry.engine.security.PublicEndpoint;
import dev.gantry.engine.security.Requires;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.web.Metrics;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Liveness, readiness and Prometheus metrics, for load balancers and monitoring. Public only
 * because Jersey invokes resource methods reflectively.
 */
@Singleton
@Path("/")
public final class OpsResource {
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private final Controller controller;
    private final Metrics metrics;

    @Inject
    OpsResource(Controller controller, Metrics metrics) {
        this.controller = controller;
        this.metrics = metrics;
    }

    @GET
    @Path("health")
    @Produces(MediaType.APPLICATION_JSON)
    @PublicEndpoint("load balancers probe it")
    public Map<String, Object> health() {
        return Map.of("status", "UP");
    }

    @GET
    @Path("ready")
    @Produces(MediaType.APPLICATION_JSON)
    @PublicEndpoint("load balancers probe it")
    public Response ready() {
        boolean ready;
        try {
            ready = controller.ready();
        } catch (RuntimeException e) {
            ready = false;
        }
        return Response.status(ready ? 200 : 503).entity(Map.of("status", ready ? "READY" : "NOT_READY")).build();
    }

    @GET
    @Path("metrics")
    @Produces(PROMETHEUS)
    @Requires(Permission.READ)
    public Response metrics() {
        StreamingOutput body = out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            metrics.writeTo(w);
            w.flush();
        };
        return Response.ok(body, PROMETHEUS).build();
    }
}
