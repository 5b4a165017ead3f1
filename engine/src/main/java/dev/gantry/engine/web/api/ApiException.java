package dev.gantry.engine.web.api;

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
}
