package dev.gantry.engine.web.api;

import dev.gantry.engine.security.Permission;
import dev.gantry.engine.security.Requires;
import dev.gantry.engine.server.BuildControl;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code POST /api/v1/admin/backup}: an online backup streamed to the client as a zip. Streamed
 * rather than written to a server path the client names, so that no API call can make the
 * controller write files where it chooses. Public only because Jersey invokes resource methods
 * reflectively.
 */
@Singleton
@Path("api/v1/admin")
public final class AdminResource {
    private final BuildControl control;

    @Inject
    AdminResource(BuildControl control) {
        this.control = control;
    }

    @POST
    @Path("backup")
    @Produces({"application/zip", MediaType.APPLICATION_JSON})
    @Requires(Permission.ADMINISTER)
    public Response backup() {
        StreamingOutput body = control::backup;
        String file = "gantry-backup-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC)) + ".zip";
        return Response.ok(body, "application/zip").header("Content-Disposition", "attachment; filename=\"" + file + "\"")
                .header("Cache-Control", "no-store").build();
    }
}
