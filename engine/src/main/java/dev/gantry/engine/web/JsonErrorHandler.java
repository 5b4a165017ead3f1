package dev.gantry.engine.web;

import dev.gantry.engine.web.api.RestApi;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (bad URIs, unparsable requests, anything that never reached Jersey) as the
 * API's JSON {@code {"code", "message"}} instead of Jetty's HTML page; never a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {
    JsonErrorHandler() {
        setShowStacks(false);
        setShowMessageInTitle(false);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) throws IOException {
        byte[] body = body(code, message);
        SecurityHeaders.put(response.getHeaders());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (!request.getConnectionMetaData().isPersistent()) {
            // Jetty closes the connection after a request it could not parse; say so, or a client
            // reuses the connection for its next request and reads EOF instead of an answer.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
        SecurityHeaders.put(fields);
        return ByteBuffer.wrap(body(status, reason));
    }

    static byte[] body(int code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", codeFor(code));
        String reason = HttpStatus.getMessage(code);
        // Jetty's messages for malformed requests are short and safe ("Ambiguous URI path segment");
        // anything for a 5xx may carry internals and is replaced.
        m.put("message", code >= 500 || message == null || message.isBlank() ? reason : message);
        return RestApi.toJson(m);
    }

    static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            case 500 -> "internal_error";
            case 503 -> "unavailable";
            default -> "http_" + status;
        };
    }
}
