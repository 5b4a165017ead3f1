package dev.gantry.engine.web.api;

import dev.gantry.engine.security.Permission;
import dev.gantry.engine.security.PublicEndpoint;
import dev.gantry.engine.security.Requires;
import dev.gantry.engine.scm.ControllerScm;
import dev.gantry.engine.scm.Multibranch;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.server.JobNames;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Source control endpoints: forges' push webhooks ({@code POST /webhooks/{provider}}), Jenkins'
 * {@code notifyCommit} ({@code POST /webhooks/{provider}/notifyCommit?url=...}) and multibranch
 * projects ({@code /multibranch/{name}}, a scan with {@code POST .../scan}). Public only because
 * Jersey invokes resource methods reflectively.
 */
@Singleton
@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class ScmResource {
    private final Controller controller;

    @Inject
    ScmResource(Controller controller) {
        this.controller = controller;
    }

    private ControllerScm scm() {
        return controller.scm().orElseThrow(() -> new ApiException(404, "not_found", "this controller has no source control support"));
    }

    @POST
    @Path("webhooks/{provider}")
    @Consumes(MediaType.WILDCARD)
    @PublicEndpoint("a forge's push: the provider verifies its signature or token against the webhook secret")
    public Response webhook(@PathParam("provider") String provider, @Context HttpHeaders headers, InputStream body) {
        byte[] bytes;
        try {
            bytes = body.readAllBytes();
        } catch (BodyLimit.TooLarge e) {
            throw new ApiException(413, "payload_too_large", e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the webhook's body", e);
        }
        ControllerScm.WebhookOutcome o;
        try {
            o = scm().webhook(provider, headers.getRequestHeaders(), bytes);
        } catch (SecurityException e) {
            throw new ApiException(401, "invalid_signature", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_payload", e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("delivery", o.delivery());
        out.put("duplicate", o.duplicate());
        if (o.push() != null) {
            Map<String, Object> push = new LinkedHashMap<>();
            push.put("repositoryUrl", o.push().repositoryUrl());
            push.put("branch", o.push().branch());
            push.put("tag", o.push().tag());
            push.put("revision", o.push().revision());
            out.put("push", push);
        }
        out.put("triggered", o.triggered());
        out.put("scanned", o.scanned());
        return Response.ok(out).build();
    }

    @POST
    @Path("webhooks/{provider}/notifyCommit")
    @Consumes(MediaType.WILDCARD)
    @PublicEndpoint("as Jenkins' notifyCommit: only makes jobs polling that URL poll now; it triggers nothing itself")
    public Map<String, Object> notifyCommit(@PathParam("provider") String provider, @QueryParam("url") String url) {
        if (url == null || url.isBlank()) {
            throw ApiException.badRequest("invalid_request", "notifyCommit needs ?url= with the repository's URL");
        }
        return Map.of("triggered", scm().notifyCommit(url));
    }

    /** The body of {@code PUT /multibranch/{name}}. */
    record ProjectBody(String url, String credentialsId, String path, String description) {
    }

    @GET
    @Path("multibranch")
    @Requires(Permission.READ)
    public Map<String, Object> projects() {
        List<Object> out = new java.util.ArrayList<>();
        scm().multibranch().list().forEach((name, p) -> out.add(project(name, p)));
        return Map.of("projects", out);
    }

    @GET
    @Path("multibranch/" + JobsResource.NAME)
    @Requires(value = Permission.READ, on = Requires.Scope.FOLDER)
    public Map<String, Object> project(@PathParam("name") String name) {
        Multibranch.Project p = scm().multibranch().get(name)
                .orElseThrow(() -> new NoSuchElementException("no multibranch project named " + name));
        return project(name, p);
    }

    @PUT
    @Path("multibranch/" + JobsResource.NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(value = Permission.CONFIGURE, on = Requires.Scope.FOLDER)
    public Map<String, Object> putProject(@PathParam("name") String name, ProjectBody body) {
        String why = JobNames.check(name);
        if (why != null) {
            throw ApiException.badRequest("invalid_name", why);
        }
        if (body == null) {
            throw ApiException.badRequest("invalid_request", "give the project as JSON: {\"url\": \"...\", \"credentialsId\": ..., \"path\": \"Jenkinsfile\"}");
        }
        Multibranch.Project p;
        try {
            p = new Multibranch.Project(body.url(), body.credentialsId(), body.path(), body.description());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_project", e.getMessage());
        }
        Map<String, Object> out = project(name, p);
        try {
            out.put("scan", scan(scm().multibranch().put(name, p)));
        } catch (IOException e) {
            out.put("scanError", e.getMessage());
        }
        return out;
    }

    @DELETE
    @Path("multibranch/" + JobsResource.NAME)
    @Requires(value = Permission.DELETE, on = Requires.Scope.FOLDER)
    public Response deleteProject(@PathParam("name") String name) {
        if (!scm().multibranch().delete(name)) {
            throw new NoSuchElementException("no multibranch project named " + name);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("multibranch/" + JobsResource.NAME + "/scan")
    @Consumes(MediaType.WILDCARD)
    @Requires(value = Permission.BUILD, on = Requires.Scope.FOLDER)
    public Map<String, Object> scanProject(@PathParam("name") String name) {
        try {
            return scan(scm().multibranch().scan(name));
        } catch (IOException e) {
            throw new ApiException(502, "scan_failed", e.getMessage());
        }
    }

    private static Map<String, Object> project(String name, Multibranch.Project p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("url", p.url());
        m.put("credentialsId", p.credentialsId());
        m.put("path", p.path());
        m.put("description", p.description());
        return m;
    }

    private static Map<String, Object> scan(Multibranch.ScanResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("branches", r.branches());
        m.put("created", r.created());
        m.put("deleted", r.deleted());
        m.put("queued", r.queued());
        return m;
    }
}
