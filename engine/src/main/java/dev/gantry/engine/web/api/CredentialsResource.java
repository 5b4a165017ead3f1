package dev.gantry.engine.web.api;

import dev.gantry.engine.security.Permission;
import dev.gantry.engine.security.Requires;
import dev.gantry.engine.security.SignedIn;
import dev.gantry.engine.secrets.CredentialStore;
import dev.gantry.engine.secrets.CredentialTypes;
import dev.gantry.engine.secrets.SecretsService;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.store.CredentialRepository;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Credentials under {@code /api/v1/credentials} (global) and
 * {@code /api/v1/folders/{name}/credentials} (a folder's): create, list, read, update, delete,
 * and which builds used them ({@code /api/v1/credential-uses}). Secret fields are accepted on
 * create and update and never answered. Public only because Jersey invokes resource methods
 * reflectively.
 */
@Singleton
@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class CredentialsResource {
    private static final String FOLDER = "folders/{name: .+}/credentials";
    private final Controller controller;

    @Inject
    CredentialsResource(Controller controller) {
        this.controller = controller;
    }

    /** The body of a create ({@code id}, {@code type} required) or update (everything optional). */
    record CredentialBody(String id, String type, String description, Map<String, String> fields) {
    }

    @GET
    @Path("credentials")
    @Requires(Permission.MANAGE_CREDENTIALS)
    public Map<String, Object> list() {
        return listing("");
    }

    @GET
    @Path(FOLDER)
    @Requires(value = Permission.MANAGE_CREDENTIALS, on = Requires.Scope.FOLDER)
    public Map<String, Object> listFolder(@PathParam("name") String folder) {
        return listing(folder(folder));
    }

    @POST
    @Path("credentials")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.MANAGE_CREDENTIALS)
    public Response create(CredentialBody body) {
        return create("", body);
    }

    @POST
    @Path(FOLDER)
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(value = Permission.MANAGE_CREDENTIALS, on = Requires.Scope.FOLDER)
    public Response createInFolder(@PathParam("name") String folder, CredentialBody body) {
        return create(folder(folder), body);
    }

    @GET
    @Path("credentials/{id}")
    @Requires(Permission.MANAGE_CREDENTIALS)
    public Map<String, Object> get(@PathParam("id") String id) {
        return one("", id);
    }

    @GET
    @Path(FOLDER + "/{id}")
    @Requires(value = Permission.MANAGE_CREDENTIALS, on = Requires.Scope.FOLDER)
    public Map<String, Object> getInFolder(@PathParam("name") String folder, @PathParam("id") String id) {
        return one(folder(folder), id);
    }

    @PUT
    @Path("credentials/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.MANAGE_CREDENTIALS)
    public Map<String, Object> update(@PathParam("id") String id, CredentialBody body) {
        return update("", id, body);
    }

    @PUT
    @Path(FOLDER + "/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(value = Permission.MANAGE_CREDENTIALS, on = Requires.Scope.FOLDER)
    public Map<String, Object> updateInFolder(@PathParam("name") String folder, @PathParam("id") String id, CredentialBody body) {
        return update(folder(folder), id, body);
    }

    @DELETE
    @Path("credentials/{id}")
    @Requires(Permission.MANAGE_CREDENTIALS)
    public Response delete(@PathParam("id") String id) {
        return delete("", id);
    }

    @DELETE
    @Path(FOLDER + "/{id}")
    @Requires(value = Permission.MANAGE_CREDENTIALS, on = Requires.Scope.FOLDER)
    public Response deleteInFolder(@PathParam("name") String folder, @PathParam("id") String id) {
        return delete(folder(folder), id);
    }

    /** The credential types and their fields, for forms and the CLI. */
    @GET
    @Path("credential-types")
    @SignedIn
    public Map<String, Object> types() {
        List<Map<String, Object>> out = CredentialTypes.all().stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", t.id());
            m.put("displayName", t.displayName());
            m.put("fields", t.fields().stream().map(f -> Map.of("name", f.name(), "secret", f.secret(), "required", f.required(),
                    "help", f.help())).toList());
            return m;
        }).toList();
        return Map.of("types", out);
    }

    /** Which build used which credential, newest first; each filter is optional. */
    @GET
    @Path("credential-uses")
    @Requires(Permission.MANAGE_CREDENTIALS)
    public Map<String, Object> uses(@QueryParam("job") String job, @QueryParam("folder") String folder,
                                    @QueryParam("credential") String credential, @QueryParam("limit") Integer limit) {
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 1000) {
            throw ApiException.badRequest("invalid_limit", "limit must be between 1 and 1000, got " + n);
        }
        List<Map<String, Object>> out = store().uses(job, folder, credential, n).stream().map(CredentialsResource::use).toList();
        return Map.of("uses", out);
    }

    private Map<String, Object> listing(String scope) {
        return Map.of("folder", scope, "credentials", store().list(scope).stream().map(CredentialsResource::info).toList());
    }

    private Response create(String scope, CredentialBody body) {
        if (body == null) {
            throw ApiException.badRequest("invalid_body", "the body must be a JSON object with id, type, description and fields");
        }
        try {
            CredentialStore.Info info = store().create(scope, body.id(), body.type(), body.description(), body.fields());
            return Response.status(201).entity(info(info)).build();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_credential", e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiException(409, "conflict", e.getMessage());
        }
    }

    private Map<String, Object> one(String scope, String id) {
        return info(store().info(scope, id).orElseThrow(() -> ApiException.notFound("there is no credential '" + id + "' "
                + (scope.isEmpty() ? "in the global scope" : "in folder '" + scope + "'"))));
    }

    private Map<String, Object> update(String scope, String id, CredentialBody body) {
        if (body == null) {
            throw ApiException.badRequest("invalid_body", "the body must be a JSON object with type, description or fields");
        }
        if (body.id() != null && !body.id().equals(id)) {
            throw ApiException.badRequest("invalid_credential", "the body's id '" + body.id() + "' differs from the URL's '" + id
                    + "'; a credential cannot be renamed: create the new one and delete the old one");
        }
        try {
            return info(store().update(scope, id, body.type(), body.description(), body.fields()));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_credential", e.getMessage());
        }
    }

    private Response delete(String scope, String id) {
        if (!store().delete(scope, id)) {
            throw ApiException.notFound("there is no credential '" + id + "' " + (scope.isEmpty() ? "in the global scope" : "in folder '" + scope + "'"));
        }
        return Response.noContent().build();
    }

    private static String folder(String folder) {
        JobsResource.checkName(folder);
        return folder;
    }

    private CredentialStore store() {
        return controller.secrets().map(SecretsService::credentials).orElseThrow(() ->
                new ApiException(503, "unavailable", "this controller runs without a credential store"));
    }

    private static Map<String, Object> info(CredentialStore.Info i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("folder", i.scope());
        m.put("type", i.type());
        m.put("description", i.description());
        m.put("created", i.created().toString());
        m.put("updated", i.updated().toString());
        return m;
    }

    private static Map<String, Object> use(CredentialRepository.Use u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", u.job());
        m.put("build", u.build());
        m.put("folder", u.scope());
        m.put("credential", u.credentialId());
        m.put("used", u.used().toString());
        return m;
    }
}
