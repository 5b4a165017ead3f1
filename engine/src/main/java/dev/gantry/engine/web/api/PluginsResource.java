package dev.gantry.engine.web.api;

import dev.gantry.engine.plugin.PluginConflictException;
import dev.gantry.engine.plugin.PluginInfo;
import dev.gantry.engine.plugin.PluginSystem;
import dev.gantry.engine.security.Permission;
import dev.gantry.engine.security.Requires;
import dev.gantry.engine.server.Controller;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plugins API under {@code /api/v1/plugins}: list with state and errors, upload a jar to
 * install it (without a restart where its dependencies allow), enable, disable, uninstall.
 * Uploads are bounded by the API's request body limit. Public only because Jersey invokes
 * resource methods reflectively.
 */
@Singleton
@Path("api/v1/plugins")
@Produces(MediaType.APPLICATION_JSON)
public final class PluginsResource {
    static final String ID = "{id: [A-Za-z0-9][A-Za-z0-9._-]*}";
    private final Controller controller;

    @Inject
    PluginsResource(Controller controller) {
        this.controller = controller;
    }

    @GET
    @Requires(Permission.READ)
    public Map<String, Object> list() {
        List<Object> plugins = new ArrayList<>();
        system().list().forEach(i -> plugins.add(json(i)));
        return Map.of("plugins", plugins);
    }

    @GET
    @Path(ID)
    @Requires(Permission.READ)
    public Map<String, Object> get(@PathParam("id") String id) {
        return json(system().get(id));
    }

    @POST
    // Any media type: whatever the client calls the jar, its content decides (and a non-jar is a clear 400).
    @Consumes(MediaType.WILDCARD)
    @Requires(Permission.MANAGE_PLUGINS)
    public Response install(InputStream jar) {
        PluginInfo info;
        try {
            info = system().install(jar);
        } catch (BodyLimit.TooLarge e) {
            throw new ApiException(413, "payload_too_large", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_plugin", e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the uploaded plugin", e);
        }
        return Response.created(URI.create("/api/v1/plugins/" + info.id())).entity(json(info)).build();
    }

    @POST
    @Path(ID + "/enable")
    @Requires(Permission.MANAGE_PLUGINS)
    public Map<String, Object> enable(@PathParam("id") String id) {
        return change(() -> system().enable(id));
    }

    @POST
    @Path(ID + "/disable")
    @Requires(Permission.MANAGE_PLUGINS)
    public Map<String, Object> disable(@PathParam("id") String id) {
        return change(() -> system().disable(id));
    }

    @DELETE
    @Path(ID)
    @Requires(Permission.MANAGE_PLUGINS)
    public Response uninstall(@PathParam("id") String id) {
        change(() -> {
            system().uninstall(id);
            return null;
        });
        return Response.noContent().build();
    }

    private interface Change {
        PluginInfo apply() throws IOException;
    }

    private Map<String, Object> change(Change c) {
        try {
            PluginInfo i = c.apply();
            return i == null ? Map.of() : json(i);
        } catch (PluginConflictException e) {
            throw new ApiException(409, "plugin_conflict", e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot change the plugins folder", e);
        }
    }

    private PluginSystem system() {
        return controller.plugins().orElseThrow(() -> new ApiException(503, "no_plugins", "this controller runs without a plugin system"));
    }

    static Map<String, Object> json(PluginInfo i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("version", i.version());
        m.put("state", i.state().name());
        m.put("error", i.error());
        m.put("warnings", i.warnings());
        m.put("steps", i.steps());
        m.put("extensions", i.extensions());
        m.put("description", i.description());
        m.put("license", i.license());
        m.put("requires", i.requires());
        m.put("dependencies", i.dependencies());
        m.put("bundled", i.bundled());
        m.put("file", i.file());
        return m;
    }
}
