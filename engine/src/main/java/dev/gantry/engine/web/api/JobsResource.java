package dev.gantry.engine.web.api;

import dev.gantry.engine.security.Permission;
import dev.gantry.engine.security.Requires;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.server.JobNames;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildStatus;
import dev.gantry.engine.store.JobRecord;
import dev.gantry.engine.store.StageRow;
import dev.gantry.engine.store.StaleVersionException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The jobs and builds API under {@code /api/v1}. Job names contain {@code /} for folders, so the
 * build sub-resources are recognised from the end of the path: {@code .../builds},
 * {@code .../builds/N}, {@code .../builds/N/log} and {@code .../builds/N/stop} belong to the job
 * before them whenever the method fits; any other path (and PUT or DELETE on any path) names a job
 * as a whole. A job whose last part is {@code builds} (or whose last parts are {@code builds/N}) is
 * read, triggered and listed through an encoded last separator: {@code team/builds} as
 * {@code /api/v1/jobs/team%2Fbuilds}, since an encoded slash never separates route segments (it
 * is decoded once, into the name). Public only because Jersey invokes resource methods reflectively.
 */
@Singleton
@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class JobsResource {
    static final String NAME = "{name: .+}";
    static final String NUMBER = "{number: [0-9]{1,9}}";
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final String TEXT = "text/plain; charset=UTF-8";

    private final Controller controller;

    @Context
    private UriInfo uriInfo;

    @Inject
    JobsResource(Controller controller) {
        this.controller = controller;
    }

    /**
     * The request body of {@code PUT /jobs/{name}}: a script alone, or a full definition (the
     * fields of a definition file; {@code name}, when given, must equal the URL's).
     */
    record JobBody(String script, Long version, String name, String description, Map<String, Object> scm,
                   List<Object> parameters, Map<String, Object> options, Map<String, Object> triggers) {
        boolean isDefinition() {
            return name != null || description != null || scm != null || parameters != null || options != null || triggers != null;
        }
    }

    /** The optional request body of {@code POST /jobs/{name}/builds}. */
    record TriggerBody(Map<String, Object> parameters) {
    }

    @GET
    @Path("openapi.json")
    @Requires(Permission.READ)
    public Response openApi() {
        InputStream in = JobsResource.class.getResourceAsStream("openapi.json");
        if (in == null) {
            throw new IllegalStateException("openapi.json is missing from the class path next to " + JobsResource.class.getName());
        }
        return Response.ok(in, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("jobs")
    @Requires(Permission.READ)
    public Map<String, Object> jobs() {
        List<Object> jobs = new ArrayList<>();
        for (JobRecord j : controller.jobs()) {
            jobs.add(job(j, false));
        }
        return Map.of("jobs", jobs);
    }

    @PUT
    @Path("jobs/" + NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(value = Permission.CONFIGURE, on = Requires.Scope.JOB)
    public Response putJob(@PathParam("name") String name, JobBody body) {
        checkName(name);
        if (body == null) {
            throw ApiException.badRequest("missing_body", "PUT a JSON body {\"script\": \"<pipeline>\"} to create or replace job '" + name + "'");
        }
        if (body.script() == null && body.scm() == null) {
            throw ApiException.badRequest("missing_script", "the body needs a \"script\" with the pipeline text (or \"scm\" saying where to fetch it)");
        }
        if (body.version() != null && body.version() < 0) {
            throw ApiException.badRequest("invalid_version", "\"version\" must be 0 (the job must not exist yet) or the version you read, got " + body.version());
        }
        JobRecord saved;
        try {
            saved = body.isDefinition() ? controller.putJob(definition(name, body), body.version())
                    : controller.putJob(name, body.script(), body.version());
        } catch (dev.gantry.engine.store.JobTreeConflictException e) {
            throw new ApiException(409, "name_conflict", e.getMessage());
        } catch (Controller.InvalidJobException e) {
            throw ApiException.invalidPipeline("the script of job '" + name + "'", e);
        } catch (StaleVersionException e) {
            throw new ApiException(409, "stale_version", e.getMessage());
        }
        if (saved.version() == 1) {
            return Response.created(jobUri(name)).entity(job(saved, false)).build();
        }
        return Response.ok(job(saved, false)).build();
    }

    private static dev.gantry.engine.jobs.JobDefinition definition(String name, JobBody body) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (body.name() != null) {
            fields.put("name", body.name());
        }
        if (body.script() != null) {
            fields.put("script", body.script());
        }
        if (body.description() != null) {
            fields.put("description", body.description());
        }
        if (body.scm() != null) {
            fields.put("scm", body.scm());
        }
        if (body.parameters() != null) {
            fields.put("parameters", body.parameters());
        }
        if (body.options() != null) {
            fields.put("options", body.options());
        }
        if (body.triggers() != null) {
            fields.put("triggers", body.triggers());
        }
        try {
            return dev.gantry.engine.jobs.DefinitionReader.readBody(name, fields);
        } catch (dev.gantry.engine.jobs.InvalidDefinitionException e) {
            throw DefinitionJson.invalid(e);
        }
    }

    @GET
    @Path("jobs/" + NAME)
    @Requires(value = Permission.READ, on = Requires.Scope.JOB)
    public Map<String, Object> getJob(@PathParam("name") String name) {
        return job(existingJob(name), true);
    }

    @DELETE
    @Path("jobs/" + NAME)
    @Requires(value = Permission.DELETE, on = Requires.Scope.JOB)
    public Response deleteJob(@PathParam("name") String name) {
        checkName(name);
        if (!controller.deleteJob(name)) {
            throw ApiException.notFound("there is no job '" + name + "'");
        }
        return Response.noContent().build();
    }

    @POST
    @Path("jobs/" + NAME + "/builds")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(value = Permission.BUILD, on = Requires.Scope.JOB)
    public Response trigger(@PathParam("name") String name, TriggerBody body) {
        existingJob(name);
        Map<String, Object> parameters = body == null || body.parameters() == null ? Map.of() : body.parameters();
        BuildRecord b;
        try {
            b = controller.trigger(name, parameters, "Started by REST API");
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_parameters", e.getMessage());
        }
        URI location = uriInfo.getBaseUriBuilder().path("api/v1/jobs").path(name).path("builds").path(Integer.toString(b.number())).build();
        return Response.created(location).entity(Map.of("number", b.number())).build();
    }

    @GET
    @Path("jobs/" + NAME + "/builds")
    @Requires(value = Permission.READ, on = Requires.Scope.JOB)
    public Map<String, Object> builds(@PathParam("name") String name, @QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        existingJob(name);
        int from = intParam("offset", offset, 0, 0, Integer.MAX_VALUE);
        int count = Math.min(MAX_LIMIT, intParam("limit", limit, DEFAULT_LIMIT, 1, Integer.MAX_VALUE));
        List<Object> builds = new ArrayList<>();
        for (BuildRecord b : controller.builds(name, from, count)) {
            builds.add(build(b));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("offset", from);
        out.put("limit", count);
        out.put("builds", builds);
        return out;
    }

    @GET
    @Path("jobs/" + NAME + "/builds/" + NUMBER)
    @Requires(value = Permission.READ, on = Requires.Scope.JOB)
    public Map<String, Object> getBuild(@PathParam("name") String name, @PathParam("number") int number) {
        BuildRecord b = existingBuild(name, number);
        Map<String, Object> out = build(b);
        controller.buildLogs().flatMap(l -> l.failure(name, number)).ifPresent(f -> out.put("error", f));
        controller.scm().ifPresent(s -> out.put("changeSets", s.changeSets(name, number)));
        out.put("reports", ReportsResource.summaries(controller.reports(name, number)));
        if (b.status() == BuildStatus.QUEUED) {
            controller.queue().stream().filter(q -> q.job().equals(name) && q.number() == number).findFirst()
                    .ifPresent(q -> out.put("why", q.why()));
        }
        return out;
    }

    @GET
    @Path("jobs/" + NAME + "/builds/" + NUMBER + "/log")
    @Produces({TEXT, MediaType.APPLICATION_JSON})
    @Requires(value = Permission.READ, on = Requires.Scope.JOB)
    public Response log(@PathParam("name") String name, @PathParam("number") int number, @QueryParam("start") String startParam,
                        @jakarta.ws.rs.HeaderParam("Range") String range, @QueryParam("download") String download) {
        // Status before size (inside): a build seen running may finish meanwhile (the client just
        // asks once more), but a build seen completed has its final size.
        return LogsResource.text(controller, existingBuild(name, number), name, number, startParam, range, download);
    }

    /** One archived artifact, always as an attachment (never rendered by the browser). */
    @GET
    @Path("jobs/" + NAME + "/builds/" + NUMBER + "/artifacts/{path: .+}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    @Requires(value = Permission.READ, on = Requires.Scope.JOB)
    public Response artifact(@PathParam("name") String name, @PathParam("number") int number, @PathParam("path") String path) {
        existingBuild(name, number);
        InputStream in;
        try {
            in = controller.artifact(name, number, path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ApiException(404, "not_found", "build #" + number + " of job '" + name + "' has no artifact '" + path + "'");
        } catch (IOException e) {
            throw new ApiException(400, "invalid_path", "'" + path + "' is not a path inside the build's artifacts");
        }
        String file = path.contains("/") ? path.substring(path.lastIndexOf('/') + 1) : path;
        StreamingOutput body = out -> {
            try (InputStream source = in) {
                source.transferTo(out);
            }
        };
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM).header("Content-Disposition", attachment(file))
                .header("X-Content-Type-Options", "nosniff").build();
    }

    /** Every archived artifact of a build as one zip attachment. */
    @GET
    @Path("jobs/" + NAME + "/builds/" + NUMBER + "/artifacts.zip")
    @Produces({"application/zip", MediaType.APPLICATION_JSON})
    @Requires(value = Permission.READ, on = Requires.Scope.JOB)
    public Response artifactsZip(@PathParam("name") String name, @PathParam("number") int number) {
        existingBuild(name, number);
        StreamingOutput body = out -> controller.artifactsZip(name, number, out);
        String file = name.replace('/', '-') + "-" + number + "-artifacts.zip";
        return Response.ok(body, "application/zip").header("Content-Disposition", attachment(file)).build();
    }

    /** A Content-Disposition that is safe whatever the name holds (RFC 6266 with an RFC 5987 fallback). */
    private static String attachment(String fileName) {
        String ascii = fileName.replaceAll("[^A-Za-z0-9._-]", "_");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + java.net.URLEncoder.encode(fileName, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    @POST
    @Path("jobs/" + NAME + "/builds/" + NUMBER + "/stop")
    @Requires(value = Permission.CANCEL, on = Requires.Scope.JOB)
    public Response stop(@PathParam("name") String name, @PathParam("number") int number) {
        existingBuild(name, number);
        if (!controller.stop(name, number)) {
            throw new ApiException(409, "not_running", "build #" + number + " of job '" + name + "' is already completed");
        }
        return Response.accepted(Map.of("number", number, "stopping", true)).build();
    }

    private JobRecord existingJob(String name) {
        checkName(name);
        return controller.job(name).orElseThrow(() -> ApiException.notFound("there is no job '" + name + "'"));
    }

    private BuildRecord existingBuild(String name, int number) {
        checkName(name);
        Optional<BuildRecord> b = controller.build(name, number);
        if (b.isPresent()) {
            return b.get();
        }
        existingJob(name);
        throw ApiException.notFound("job '" + name + "' has no build #" + number);
    }

    static void checkName(String name) {
        String why = JobNames.check(name);
        if (why != null) {
            throw ApiException.badRequest("invalid_name", why);
        }
    }

    private URI jobUri(String name) {
        return uriInfo.getBaseUriBuilder().path("api/v1/jobs").path(name).build();
    }

    private static int intParam(String what, String value, int dflt, int min, int max) {
        if (value == null || value.isEmpty()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw ApiException.badRequest("invalid_parameter", "query parameter '" + what + "' must be a whole number of at least " + min + ", got '" + value + "'");
    }

    static Map<String, Object> job(JobRecord j, boolean withScript) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", j.name());
        m.put("version", j.version());
        m.put("created", iso(j.created()));
        m.put("updated", iso(j.updated()));
        if (withScript) {
            m.put("script", j.script());
            m.put("description", j.spec().description());
            if (j.spec().scm() != null) {
                m.put("scm", DefinitionJson.scm(j.spec().scm()));
            }
            m.put("parameters", DefinitionJson.parameters(j.settings().parameters()));
            m.put("options", DefinitionJson.options(j.settings().options()));
            m.put("triggers", DefinitionJson.triggers(j.spec().triggers()));
        }
        return m;
    }

    static Map<String, Object> build(BuildRecord b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", b.number());
        m.put("status", b.status().name());
        m.put("result", b.status() == BuildStatus.COMPLETED ? b.result() : null);
        m.put("durationMillis", b.durationMillis());
        List<Object> stages = new ArrayList<>();
        for (StageRow s : b.stages() == null ? List.<StageRow>of() : b.stages()) {
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("name", s.name());
            st.put("parent", s.parent());
            st.put("result", s.result());
            st.put("durationMillis", s.durationMillis());
            stages.add(st);
        }
        m.put("stages", stages);
        m.put("tests", b.tests() == null ? Map.of() : b.tests());
        m.put("artifacts", b.artifacts() == null ? List.of() : b.artifacts());
        m.put("parameters", b.parameters() == null ? Map.of() : b.parameters());
        m.put("cause", b.cause());
        m.put("causes", b.causes() == null ? List.of() : b.causes());
        m.put("queuedAt", iso(b.queuedAt()));
        m.put("startedAt", iso(b.startedAt()));
        return m;
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
