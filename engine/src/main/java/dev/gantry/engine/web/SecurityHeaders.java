package dev.gantry.engine.web;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Puts the browser security headers on every response, errors included: a Content-Security-Policy
 * that allows only this origin's scripts, styles and frames (so no inline script runs, whatever a
 * page echoes), no framing, no MIME sniffing, and no Referer to other sites.
 */
final class SecurityHeaders extends Handler.Wrapper {
    static final String CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    SecurityHeaders(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        put(response.getHeaders());
        return super.handle(request, response, callback);
    }

    /** Puts the headers on {@code h} (also used for Jetty's own error responses, which start afresh). */
    static void put(HttpFields.Mutable h) {
        h.put("Content-Security-Policy", CSP);
        h.put("X-Frame-Options", "DENY");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "same-origin");
    }
}
