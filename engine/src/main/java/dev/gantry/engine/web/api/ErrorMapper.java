package dev.gantry.engine.web.api;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Turns every exception that leaves a resource into a JSON error with the right status, so that no
 * client ever sees an HTML page or a stack trace; unexpected exceptions are logged and answered
 * with a generic 500.
 */
final class ErrorMapper implements ExceptionMapper<Throwable> {
    private static final System.Logger LOG = System.getLogger(ErrorMapper.class.getName());

    @Context
    private UriInfo uriInfo;
    @Context
    private Request request;

    ErrorMapper() {
    }

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof ApiException a) {
            Response r = json(a.status(), a.body() != null ? a.body() : error(a.code(), a.getMessage()));
            return a.status() == 413 ? closing(r) : r;
        }
        if (e instanceof NoSuchElementException) {
            return json(404, error("not_found", e.getMessage() == null ? "not found" : e.getMessage()));
        }
        if (e instanceof NotFoundException) {
            return json(404, error("not_found", "no such resource: " + describe() + " (see /api/v1/openapi.json for the API)"));
        }
        if (e instanceof NotAllowedException n) {
            Response r = json(405, error("method_not_allowed", describe() + " is not allowed here; allowed: " + String.join(", ", n.getResponse().getAllowedMethods())));
            return Response.fromResponse(r).allow(n.getResponse().getAllowedMethods()).build();
        }
        if (e instanceof NotSupportedException) {
            return json(415, error("unsupported_media_type", "the request body must be application/json"));
        }
        if (e instanceof NotAcceptableException) {
            return json(406, error("not_acceptable", "this resource cannot answer in any of the media types the Accept header asks for"));
        }
        if (e instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
            int status = w.getResponse().getStatus();
            return json(status, error("http_" + status, w.getResponse().getStatusInfo().getReasonPhrase()));
        }
        LOG.log(System.Logger.Level.ERROR, "REST request " + describe() + " failed", e);
        return json(500, error("internal_error", "the server failed to handle the request; the details are in the server log"));
    }

    private String describe() {
        String method = request == null ? "?" : request.getMethod();
        String path = uriInfo == null ? "?" : "/" + uriInfo.getPath(false);
        return method + " " + path;
    }

    /**
     * Asks the client not to reuse the connection: the rest of the refused body is still on its
     * way, and the server will close the connection rather than read it.
     */
    static Response closing(Response r) {
        return Response.fromResponse(r).header("Connection", "close").build();
    }

    static Map<String, Object> error(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("message", message);
        return m;
    }

    private static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
