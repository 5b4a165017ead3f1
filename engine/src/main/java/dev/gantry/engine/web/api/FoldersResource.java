package dev.gantry.engine.web.api;

import dev.gantry.engine.jobs.InvalidDefinitionException;
import dev.gantry.engine.queue.QueueItem;
import dev.gantry.engine.security.Permission;
import dev.gantry.engine.security.Requires;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.store.Folder;
import dev.gantry.engine.store.JobRecord;
import dev.gantry.engine.store.JobRepository;
import dev.gantry.engine.store.JobTreeConflictException;
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
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folders, jobs as code and the queue under {@code /api/v1}: {@code GET/PUT/DELETE /folders/{path}},
 * {@code POST /apply} (a YAML or JSON file of job definitions, all or nothing) and
 * {@code GET /queue}. Public only because Jersey invokes resource methods reflectively.
 */
@Singleton
@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class FoldersResource {
    private final Controller controller;

    @Context
    private UriInfo uriInfo;

    @Inject
    FoldersResource(Controller controller) {
        this.controller = controller;
    }

    /** The body of {@code PUT /folders/{path}}. */
    record FolderBody(String description) {
    }

    /** The body of {@code POST /apply}: a definition file's name (for messages and its format) and text. */
    record ApplyBody(String file, String content, Boolean dryRun) {
    }

    @GET
    @Path("folders")
    @Requires(Permission.READ)
    public Map<String, Object> root() {
        return listing("", null, controller.children(""));
    }

    @GET
    @Path("folders/" + JobsResource.NAME)
    @Requires(value = Permission.READ, on = Requires.Scope.FOLDER)
    public Map<String, Object> folder(@PathParam("name") String name) {
        JobsResource.checkName(name);
        Folder f = controller.folder(name).orElseThrow(() -> ApiException.notFound("there is no folder '" + name + "'"
                + (controller.job(name).isPresent() ? "; '" + name + "' is a job" : "")));
        return listing(name, f, controller.children(name));
    }

    @PUT
    @Path("folders/" + JobsResource.NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(value = Permission.CONFIGURE, on = Requires.Scope.FOLDER)
    public Response putFolder(@PathParam("name") String name, FolderBody body) {
        JobsResource.checkName(name);
        boolean existed = controller.folder(name).isPresent();
        Folder f;
        try {
            f = controller.saveFolder(name, body == null ? null : body.description());
        } catch (JobTreeConflictException e) {
            throw new ApiException(409, "name_conflict", e.getMessage());
        }
        Map<String, Object> out = folderJson(f);
        if (existed) {
            return Response.ok(out).build();
        }
        return Response.created(uriInfo.getBaseUriBuilder().path("api/v1/folders").path(name).build()).entity(out).build();
    }

    @DELETE
    @Path("folders/" + JobsResource.NAME)
    @Requires(value = Permission.DELETE, on = Requires.Scope.FOLDER)
    public Map<String, Object> deleteFolder(@PathParam("name") String name, @QueryParam("recursive") String recursive) {
        JobsResource.checkName(name);
        if (recursive != null && !recursive.equals("true") && !recursive.equals("false")) {
            throw ApiException.badRequest("invalid_parameter", "query parameter 'recursive' must be true or false, got '" + recursive + "'");
        }
        List<String> deleted;
        try {
            deleted = controller.deleteFolder(name, "true".equals(recursive));
        } catch (JobTreeConflictException e) {
            throw new ApiException(409, "folder_not_empty", e.getMessage() + " (?recursive=true)");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("deletedJobs", deleted);
        return out;
    }

    @POST
    @Path("apply")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.CONFIGURE)
    public Map<String, Object> apply(ApplyBody body) {
        if (body == null || body.content() == null) {
            throw ApiException.badRequest("missing_content", "POST {\"file\": \"jobs.yaml\", \"content\": \"<the file's text>\"} to apply job definitions");
        }
        String file = body.file() == null || body.file().isBlank() ? "definition.yaml" : body.file();
        Controller.ApplyResult r;
        try {
            r = controller.apply(file, body.content(), Boolean.TRUE.equals(body.dryRun()));
        } catch (InvalidDefinitionException e) {
            throw DefinitionJson.invalid(e);
        } catch (StaleVersionException e) {
            throw new ApiException(409, "stale_version", e.getMessage() + "; nothing of " + file + " was applied, apply it again");
        } catch (JobTreeConflictException e) {
            throw new ApiException(409, "name_conflict", e.getMessage() + "; nothing of " + file + " was applied");
        }
        List<Object> jobs = new ArrayList<>();
        for (Controller.Applied a : r.jobs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", a.name());
            m.put("version", a.version());
            m.put("action", a.action());
            m.put("kind", a.kind());
            if (a.scanError() != null) {
                m.put("scanError", a.scanError());
            }
            jobs.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dryRun", r.dryRun());
        out.put("jobs", jobs);
        return out;
    }

    @GET
    @Path("queue")
    @Requires(Permission.READ)
    public Map<String, Object> queue() {
        List<Object> items = new ArrayList<>();
        for (QueueItem q : controller.queue()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("job", q.job());
            m.put("number", q.number());
            m.put("queuedAt", q.queuedAt() == null ? null : q.queuedAt().toString());
            m.put("why", q.why());
            m.put("waitingFor", "start");
            items.add(m);
        }
        // Started builds whose node block waits for an executor (a build's script holds none).
        for (Map<String, Object> w : controller.nodeWaits()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("job", w.get("job"));
            m.put("number", w.get("build"));
            m.put("queuedAt", w.get("since"));
            m.put("why", w.get("reason"));
            m.put("waitingFor", "executor");
            m.put("label", w.get("label"));
            items.add(m);
        }
        return Map.of("items", items);
    }

    private static Map<String, Object> listing(String name, Folder f, JobRepository.Children children) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("description", f == null ? null : f.description());
        out.put("created", f == null || f.created() == null ? null : f.created().toString());
        List<Object> folders = new ArrayList<>();
        for (Folder sub : children.folders()) {
            folders.add(folderJson(sub));
        }
        List<Object> jobs = new ArrayList<>();
        for (JobRecord j : children.jobs()) {
            jobs.add(JobsResource.job(j, false));
        }
        out.put("folders", folders);
        out.put("jobs", jobs);
        return out;
    }

    private static Map<String, Object> folderJson(Folder f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        m.put("description", f.description());
        m.put("created", f.created() == null ? null : f.created().toString());
        return m;
    }
}
