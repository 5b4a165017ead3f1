package dev.gantry.engine.web.ui;

import dev.gantry.engine.security.Identity;
import dev.gantry.engine.security.Origins;
import dev.gantry.engine.security.Security;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The web UI's side of security, for a servlet request: who sent it (through {@link Security}'s
 * one authentication, as the REST API does), whether a change comes from a foreign page, and the
 * CSRF token a cookie-authenticated change carries. Thread-safe.
 */
final class UiAccess {
    /** The request attribute that holds the signed-in {@link Identity} once the servlet's entry checked it. */
    static final String IDENTITY = "gantry.ui.identity";
    /** The largest {@code _csrf} part read from a multipart form. */
    private static final int MAX_TOKEN = 256;

    private final Security security;

    UiAccess(Security security) {
        this.security = security;
    }

    /**
     * Who sent {@code req}: Basic, Bearer or the session cookie.
     *
     * @return the identity, or null when the request carries no credentials (or an expired session)
     * @throws Security.Refused for wrong credentials (401) or while throttled (429)
     */
    Identity identify(HttpServletRequest req) throws Security.Refused {
        String session = null;
        Cookie[] cookies = req.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (Security.COOKIE.equals(c.getName())) {
                    session = c.getValue();
                    break;
                }
            }
        }
        return security.authenticate(req.getHeader("Authorization"), session, req.getRemoteAddr());
    }

    /** The foreign origin a change comes from, or null: the REST API's rule ({@link Origins#foreign}). */
    static String foreignOrigin(HttpServletRequest req) {
        return Origins.foreign(req.getScheme(), req.getServerName(), req.getServerPort(), req.getHeader("Origin"), req.getHeader("Referer"),
                req.getHeader("Sec-Fetch-Site"));
    }

    /**
     * Whether a change by {@code me} carries the CSRF token it needs: always true for Basic and
     * Bearer (a browser does not attach those to another site's request on its own); with a
     * session, the {@value Security#CSRF_HEADER} header or the {@value Security#CSRF_FIELD} form
     * field (urlencoded or multipart) must hold the session's token.
     */
    static boolean csrfOk(HttpServletRequest req, Identity me) throws IOException {
        if (me.via() != Identity.Via.SESSION) {
            return true;
        }
        String given = req.getHeader(Security.CSRF_HEADER);
        if (given == null) {
            given = req.getParameter(Security.CSRF_FIELD);
        }
        String type = req.getContentType();
        if (given == null && type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            try {
                Part part = req.getPart(Security.CSRF_FIELD);
                if (part != null && part.getSize() <= MAX_TOKEN) {
                    try (InputStream in = part.getInputStream()) {
                        given = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
            } catch (ServletException | IllegalStateException e) {
                return false; // not a readable multipart body: no token
            }
        }
        return me.session().csrfMatches(given);
    }
}
