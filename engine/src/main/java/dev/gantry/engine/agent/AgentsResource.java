package dev.gantry.engine.agent;

import dev.gantry.engine.security.Permission;
import dev.gantry.engine.security.Requires;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * Agent administration under {@code /api/v1/agents}: create (issues the secret), list, delete;
 * and the build steps waiting for an executor. Public only because Jersey invokes resource
 * methods reflectively.
 */
@Singleton
@Path("api/v1/agents")
@Produces(MediaType.APPLICATION_JSON)
public final class AgentsResource {
    private final AgentService agents;

    @Inject
    AgentsResource(AgentService agents) {
        this.agents = agents;
    }

    /** The body of {@code POST /api/v1/agents}. */
    public record CreateBody(String name, List<String> labels, Integer executors) {
    }

    @GET
    @Requires(Permission.READ)
    public List<Map<String, Object>> list() {
        return agents.list();
    }

    @GET
    @Path("waiting")
    @Requires(Permission.READ)
    public List<Map<String, Object>> waiting() {
        return agents.waiting();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.MANAGE_AGENTS)
    public Response create(CreateBody body) {
        if (body == null || body.name() == null) {
            return error(400, "missing_name", "POST a JSON body {\"name\": \"linux-1\", \"labels\": [\"linux\"], \"executors\": 2}");
        }
        try {
            AgentService.Created c = agents.create(body.name(), body.labels(), body.executors() == null ? 1 : body.executors());
            return Response.status(201).entity(Map.of("name", c.name(), "secret", c.secret())).build();
        } catch (IllegalArgumentException e) {
            return error(400, "invalid_agent", e.getMessage());
        } catch (IllegalStateException e) {
            return error(409, "agent_exists", e.getMessage());
        }
    }

    @DELETE
    @Path("{name}")
    @Requires(Permission.MANAGE_AGENTS)
    public Response delete(@PathParam("name") String name) {
        try {
            return agents.delete(name) ? Response.noContent().build() : error(404, "not_found", "no agent named '" + name + "'");
        } catch (IllegalArgumentException e) {
            return error(400, "invalid_agent", e.getMessage());
        }
    }

    private static Response error(int status, String code, String message) {
        return AgentProtocolResource.refused(new AgentService.Refused(status, code, message));
    }
}
