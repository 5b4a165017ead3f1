package dev.gantry.engine.security;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one place every REST request is authenticated and authorised, before its resource method
 * runs: reads HTTP Basic, Bearer or the session cookie; refuses state changes from a foreign
 * {@code Origin} and cookie-authenticated state changes without the session's CSRF token; checks
 * the permission the method declares ({@link Requires} and friends; a method without a
 * declaration is refused); afterwards writes successful configuration changes to the audit log.
 */
@Priority(Priorities.AUTHENTICATION)
final class AccessFilter implements ContainerRequestFilter, ContainerResponseFilter {
    static final String IDENTITY = "gantry.identity";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<Permission> UNAUDITED = Set.of(Permission.READ, Permission.BUILD, Permission.CANCEL, Permission.REPLAY);

    private final Security security;

    @Context
    private ResourceInfo resourceInfo;
    @Context
    private HttpServletRequest servletRequest;

    AccessFilter(Security security) {
        this.security = security;
    }

    /** What a resource method declares. */
    sealed interface Access permits Public, Agent, AnyUser, Needs {
    }

    record Public() implements Access {
    }

    record Agent() implements Access {
    }

    record AnyUser() implements Access {
    }

    record Needs(Requires requires) implements Access {
    }

    /**
     * The declaration on {@code method}, or null when it has none or more than one (both refused).
     */
    static Access access(Method method) {
        int n = 0;
        Access a = null;
        if (method.isAnnotationPresent(PublicEndpoint.class)) {
            n++;
            a = new Public();
        }
        if (method.isAnnotationPresent(AgentEndpoint.class)) {
            n++;
            a = new Agent();
        }
        if (method.isAnnotationPresent(SignedIn.class)) {
            n++;
            a = new AnyUser();
        }
        Requires r = method.getAnnotation(Requires.class);
        if (r != null) {
            n++;
            a = new Needs(r);
        }
        return n == 1 ? a : null;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        Method method = resourceInfo.getResourceMethod();
        Access access = method == null ? null : access(method);
        if (access == null) {
            request.abortWith(error(403, "forbidden", "the endpoint " + describe(request)
                    + " declares no permission, so nobody may call it (a server bug; see docs/security.md)"));
            return;
        }
        boolean unsafe = !SAFE.contains(request.getMethod());
        if (unsafe) {
            String foreign = foreignOrigin(request);
            if (foreign != null) {
                request.abortWith(error(403, "foreign_origin", "refused a " + request.getMethod() + " from the foreign origin '" + foreign
                        + "': state changes are accepted only from pages of this controller"));
                return;
            }
        }
        if (access instanceof Public || access instanceof Agent) {
            return; // public, or authenticated by the agent protocol itself with the agent's secret
        }
        Identity identity;
        try {
            identity = identify(request);
        } catch (Security.Refused e) {
            Response.ResponseBuilder b = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(body(e.status() == 429 ? "too_many_attempts" : "unauthorized", e.getMessage()));
            if (e.status() == 429) {
                b.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
            } else {
                b.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Gantry\", charset=\"UTF-8\"");
            }
            request.abortWith(b.build());
            return;
        }
        if (identity == null) {
            request.abortWith(unauthenticated(request));
            return;
        }
        if (unsafe && identity.via() == Identity.Via.SESSION && !csrfOk(request, identity.session())) {
            request.abortWith(error(403, "csrf", "a " + request.getMethod() + " with a session cookie needs the session's CSRF token in the "
                    + Security.CSRF_HEADER + " header or the " + Security.CSRF_FIELD + " form field (GET /api/v1/whoami tells it);"
                    + " scripts should use an API token instead"));
            return;
        }
        if (access instanceof Needs needs) {
            Requires r = needs.requires();
            String item = r.on() == Requires.Scope.GLOBAL ? null : request.getUriInfo().getPathParameters().getFirst("name");
            boolean folder = r.on() == Requires.Scope.FOLDER;
            if (!identity.permits(r.value(), item, folder)) {
                request.abortWith(error(403, "forbidden", "user '" + identity.name() + "' lacks the '" + r.value().label() + "' permission"
                        + (item == null ? "" : " on " + (folder ? "folder" : "job") + " '" + item + "'") + " for " + describe(request)
                        + "; an administrator can grant a role with it (gantry user grant)"));
                return;
            }
        }
        request.setProperty(IDENTITY, identity);
        boolean secure = "https".equalsIgnoreCase(request.getUriInfo().getBaseUri().getScheme());
        request.setSecurityContext(new SecurityContext() {
            @Override
            public java.security.Principal getUserPrincipal() {
                return identity;
            }

            @Override
            public boolean isUserInRole(String role) {
                return identity.grants().stream().anyMatch(g -> g.folder().isEmpty() && g.role().equalsIgnoreCase(role));
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return identity.via() == Identity.Via.SESSION ? FORM_AUTH : BASIC_AUTH;
            }
        });
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (SAFE.contains(request.getMethod()) || response.getStatus() >= 300 || response.getStatus() < 200
                || !(request.getProperty(IDENTITY) instanceof Identity identity)) {
            return;
        }
        Method method = resourceInfo.getResourceMethod();
        Requires r = method == null ? null : method.getAnnotation(Requires.class);
        if (r == null || !r.audit() || UNAUDITED.contains(r.value())) {
            return;
        }
        String resource = method.getDeclaringClass().getSimpleName().replaceFirst("Resource$", "");
        String action = Character.toLowerCase(resource.charAt(0)) + resource.substring(1) + "." + method.getName();
        var params = request.getUriInfo().getPathParameters();
        String target = params.getFirst("name") != null ? params.getFirst("name")
                : params.getFirst("id") != null ? params.getFirst("id") : "/" + request.getUriInfo().getPath();
        security.audit().record(identity.name(), action, target, describe(request) + " answered " + response.getStatus(), address());
    }

    private Identity identify(ContainerRequestContext request) throws Security.Refused {
        Cookie cookie = request.getCookies().get(Security.COOKIE);
        return security.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION), cookie == null ? null : cookie.getValue(), address());
    }

    private Response unauthenticated(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        if (request.getMethod().equals("GET") && !path.startsWith("api/") && accept != null && accept.contains("text/html")) {
            // A browser on a page: to the login page, and back afterwards.
            String raw = request.getUriInfo().getRequestUri().getRawPath();
            return Response.seeOther(URI.create("/login?" + LoginResource.FROM + "=" + java.net.URLEncoder.encode(raw, StandardCharsets.UTF_8))).build();
        }
        return Response.status(401).type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Gantry\", charset=\"UTF-8\"")
                .entity(body("unauthorized", describe(request) + " needs credentials: HTTP Basic with user and password or API token,"
                        + " 'Authorization: Bearer TOKEN', or a session from /login"))
                .build();
    }

    private static boolean csrfOk(ContainerRequestContext request, Sessions.Session session) throws IOException {
        String given = request.getHeaderString(Security.CSRF_HEADER);
        if (given == null && request.getMediaType() != null && request.getMediaType().isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                && request.hasEntity()) {
            byte[] body = request.getEntityStream().readAllBytes();
            request.setEntityStream(new ByteArrayInputStream(body));
            given = formField(new String(body, StandardCharsets.UTF_8), Security.CSRF_FIELD);
        }
        return session.csrfMatches(given);
    }

    static String formField(String form, String name) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The foreign origin of a state change, or null: {@link Origins#foreign}. */
    static String foreignOrigin(ContainerRequestContext request) {
        URI base = request.getUriInfo().getBaseUri();
        return Origins.foreign(base.getScheme(), base.getHost(), base.getPort(), request.getHeaderString("Origin"),
                request.getHeaderString("Referer"), request.getHeaderString("Sec-Fetch-Site"));
    }

    private String address() {
        try {
            return servletRequest == null ? "" : servletRequest.getRemoteAddr();
        } catch (IllegalStateException e) {
            return "";
        }
    }

    private static String describe(ContainerRequestContext request) {
        return request.getMethod() + " /" + request.getUriInfo().getPath();
    }

    static Map<String, Object> body(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("message", message);
        return m;
    }

    static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(code, message)).build();
    }
}
