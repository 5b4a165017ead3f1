package dev.gantry.engine.web.api;

import dev.gantry.api.build.InputRequest;
import dev.gantry.engine.security.Identity;
import dev.gantry.engine.security.Permission;
import dev.gantry.engine.security.Requires;
import dev.gantry.engine.server.BuildControl;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.store.BuildRecord;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Replay, restart from a stage, and pending inputs of a build: {@code .../builds/N/replay},
 * {@code .../builds/N/restart}, {@code .../builds/N/inputs} and
 * {@code .../builds/N/inputs/ID/proceed|abort}. Public only because Jersey invokes resource
 * methods reflectively.
 */
@Singleton
@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class BuildActionsResource {
    private static final String BUILD = "jobs/" + JobsResource.NAME + "/builds/" + JobsResource.NUMBER;

    private final Controller controller;
    private final BuildControl control;

    @Context
    private UriInfo uriInfo;

    @Inject
    BuildActionsResource(Controller controller, BuildControl control) {
        this.controller = controller;
        this.control = control;
    }

    /** The optional body of {@code POST .../replay}. */
    record ReplayBody(String script) {
    }

    /** The body of {@code POST .../restart}. */
    record RestartBody(String stage) {
    }

    /**
     * The optional body of {@code POST .../inputs/ID/proceed}. {@code submitter} is read only to
     * be ignored (older clients send it): the answer is always the signed-in user's.
     */
    record ProceedBody(Map<String, Object> parameters, String submitter) {
    }

    /** The optional body of {@code POST .../inputs/ID/abort}; {@code submitter} is ignored, as for proceed. */
    record AbortBody(String submitter) {
    }

    @POST
    @Path(BUILD + "/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(value = Permission.REPLAY, on = Requires.Scope.JOB)
    public Response replay(@PathParam("name") String name, @PathParam("number") int number, ReplayBody body) {
        existingBuild(name, number);
        BuildRecord b;
        try {
            b = refusals(() -> {
                try {
                    return control.replay(name, number, body == null ? null : body.script());
                } catch (Controller.InvalidJobException e) {
                    throw new InvalidScript(e);
                }
            });
        } catch (InvalidScript e) {
            throw ApiException.invalidPipeline("the script to replay build #" + number + " of job '" + name + "' with", e.problems);
        }
        return created(name, b);
    }

    @POST
    @Path(BUILD + "/restart")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(value = Permission.REPLAY, on = Requires.Scope.JOB)
    public Response restart(@PathParam("name") String name, @PathParam("number") int number, RestartBody body) {
        existingBuild(name, number);
        if (body == null || body.stage() == null) {
            throw ApiException.badRequest("missing_stage", "POST {\"stage\": \"<top-level stage>\"} to restart build #" + number + " of job '" + name + "' from that stage");
        }
        return created(name, refusals(() -> control.restart(name, number, body.stage())));
    }

    @GET
    @Path(BUILD + "/inputs")
    @Requires(value = Permission.READ, on = Requires.Scope.JOB)
    public Map<String, Object> inputs(@PathParam("name") String name, @PathParam("number") int number) {
        existingBuild(name, number);
        List<Object> out = new ArrayList<>();
        for (InputRequest r : control.inputs(name, number)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("message", r.message());
            m.put("ok", r.ok());
            m.put("submitter", r.submitter());
            List<Object> params = new ArrayList<>();
            for (Map<String, Object> p : r.parameters()) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("name", p.get("name"));
                pm.put("type", p.get("type"));
                // A password's default is a secret: it is never shown.
                pm.put("defaultValue", "password".equals(p.get("type")) ? null : p.get("defaultValue"));
                pm.put("description", p.get("description"));
                if (p.get("choices") != null) {
                    pm.put("choices", p.get("choices") instanceof List<?> l ? l : List.of(String.valueOf(p.get("choices")).split("\n")));
                }
                params.add(pm);
            }
            m.put("parameters", params);
            out.add(m);
        }
        return Map.of("inputs", out);
    }

    @POST
    @Path(BUILD + "/inputs/{id}/proceed")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(value = Permission.BUILD, on = Requires.Scope.JOB)
    public Map<String, Object> proceed(@PathParam("name") String name, @PathParam("number") int number, @PathParam("id") String id, ProceedBody body,
                                       @Context SecurityContext sc) {
        existingBuild(name, number);
        String me = Identity.of(sc).name();
        refusals(() -> {
            control.proceedInput(name, number, id, body == null || body.parameters() == null ? Map.of() : body.parameters(), me);
            return null;
        });
        return Map.of("id", id, "answer", "proceed");
    }

    @POST
    @Path(BUILD + "/inputs/{id}/abort")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(value = Permission.CANCEL, on = Requires.Scope.JOB)
    public Map<String, Object> abort(@PathParam("name") String name, @PathParam("number") int number, @PathParam("id") String id, AbortBody body,
                                     @Context SecurityContext sc) {
        existingBuild(name, number);
        String me = Identity.of(sc).name();
        refusals(() -> {
            control.abortInput(name, number, id, me);
            return null;
        });
        return Map.of("id", id, "answer", "abort");
    }

    /** Turns the controller's refusals into API errors with their messages. */
    private static <T> T refusals(Supplier<T> call) {
        try {
            return call.get();
        } catch (BuildControl.InputForbiddenException e) {
            throw new ApiException(403, "forbidden", e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiException(409, "conflict", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_request", e.getMessage());
        }
    }

    /** Carries lint problems out of the lambda above. */
    private static final class InvalidScript extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Controller.InvalidJobException problems;

        InvalidScript(Controller.InvalidJobException e) {
            super(e.getMessage(), null, false, false);
            this.problems = e;
        }
    }

    private Response created(String name, BuildRecord b) {
        URI location = uriInfo.getBaseUriBuilder().path("api/v1/jobs").path(name).path("builds").path(Integer.toString(b.number())).build();
        return Response.created(location).entity(Map.of("number", b.number())).build();
    }

    private void existingBuild(String name, int number) {
        JobsResource.checkName(name);
        if (controller.build(name, number).isEmpty()) {
            if (controller.job(name).isEmpty()) {
                throw ApiException.notFound("there is no job '" + name + "'");
            }
            throw ApiException.notFound("job '" + name + "' has no build #" + number);
        }
    }
}
