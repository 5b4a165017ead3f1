package dev.gantry.engine.web.api;

import dev.gantry.engine.server.Controller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error answered as {@code {"code": ..., "message": ...}} with an HTTP status; thrown by the
 * resources and providers, turned into a response by {@link ErrorMapper}.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final transient Object body;

    ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    /** With a custom JSON body instead of code and message (the 400 for an invalid pipeline). */
    ApiException(int status, String code, String message, Object body) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.body = body;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    Object body() {
        return body;
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    /**
     * The 400 for a script that is not a valid pipeline: {@code code}, {@code message} (which is
     * {@code what} + " is not a valid pipeline: " + the problems) and {@code errors}, one per problem
     * with its line, column and message.
     */
    static ApiException invalidPipeline(String what, Controller.InvalidJobException e) {
        List<Object> errors = new ArrayList<>();
        e.problems().forEach(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("line", p.line());
            m.put("column", p.column());
            m.put("message", p.message());
            errors.add(m);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", "invalid_pipeline");
        out.put("message", what + " is not a valid pipeline: " + e.getMessage());
        out.put("errors", errors);
        return new ApiException(400, "invalid_pipeline", e.getMessage(), out);
    }
}
