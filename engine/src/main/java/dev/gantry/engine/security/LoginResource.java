package dev.gantry.engine.security;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/**
 * The login page ({@code GET /login}, a plain HTML form with no script), the login itself
 * ({@code POST /login}: a session cookie, HttpOnly, SameSite=Lax, Secure over HTTPS) and
 * {@code POST /logout}. Public only because Jersey invokes resource methods reflectively.
 */
@Singleton
@Path("/")
public final class LoginResource {
    private static final String HTML = "text/html; charset=utf-8";
    /**
     * The query parameter and form field naming the page to return to after signing in (a path on
     * this controller; anything else lands on the dashboard). {@code next}, its older name, is
     * still read.
     */
    public static final String FROM = "from";
    private final Security security;

    @Context
    private HttpServletRequest http;
    @Context
    private UriInfo uriInfo;

    @Inject
    LoginResource(Security security) {
        this.security = security;
    }

    @GET
    @Path("login")
    @Produces(HTML)
    @PublicEndpoint("the login page itself")
    public Response page(@QueryParam(FROM) String from, @QueryParam("next") String next) {
        return page(200, null, from != null ? from : next);
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(HTML)
    @PublicEndpoint("signing in: the password is the credential")
    public Response login(@FormParam("username") String username, @FormParam("password") String password, @FormParam(FROM) String from,
                          @FormParam("next") String older) {
        String next = from != null ? from : older;
        if (username == null || password == null || username.isEmpty() || password.isEmpty()) {
            return page(400, "Enter your user name and password.", next);
        }
        Identity me;
        try {
            me = security.login(username, password, http == null ? "" : http.getRemoteAddr());
        } catch (Security.Refused e) {
            Response r = page(e.status(), e.status() == 429 ? "Too many failed attempts. Try again in " + e.retryAfterSeconds() + " seconds."
                    : "Wrong user name or password.", next);
            return e.status() == 429 ? Response.fromResponse(r).header("Retry-After", Long.toString(e.retryAfterSeconds())).build() : r;
        }
        return Response.seeOther(URI.create(localPath(next))).header("Set-Cookie", cookie(me.session().id(), false))
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("logout")
    @SignedIn
    public Response logout(@Context SecurityContext sc) {
        Identity me = Identity.of(sc);
        security.logout(me, http == null ? "" : http.getRemoteAddr());
        return Response.seeOther(URI.create("/login")).header("Set-Cookie", cookie("", true)).build();
    }

    private String cookie(String value, boolean clear) {
        boolean secure = "https".equalsIgnoreCase(uriInfo.getBaseUri().getScheme());
        return Security.COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "") + (clear ? "; Max-Age=0" : "");
    }

    /**
     * {@code next} when it is a path (with its query) on this server, else {@code /}: never a
     * redirect elsewhere, whatever the spelling ({@code //host}, {@code /\host}, {@code http:},
     * control characters, encoded or not).
     */
    static String localPath(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\") || next.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return "/";
        }
        try {
            URI u = URI.create(next);
            return u.getScheme() == null && u.getAuthority() == null ? next : "/";
        } catch (IllegalArgumentException e) {
            return "/";
        }
    }

    private static Response page(int status, String error, String next) {
        // The web UI's look (its style sheet and header), but no script: the page works as a plain form.
        String html = """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Sign in · Gantry</title>
                <link rel="stylesheet" href="/static/ui.css">
                <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
                </head>
                <body class="login">
                <header class="top"><a class="brand" href="/">Gantry</a></header>
                <main id="main">
                <h1>Sign in to Gantry</h1>
                %s<form method="post" action="/login" class="form">
                <input type="hidden" name="from" value="%s">
                <div class="field"><label for="username">User name</label><input id="username" name="username" autocomplete="username" required autofocus></div>
                <div class="field"><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
                <button type="submit">Sign in</button>
                </form>
                </main>
                </body>
                </html>
                """.formatted(error == null ? "" : "<p class=\"error\" role=\"alert\">" + escape(error) + "</p>\n", escape(localPath(next)));
        return Response.status(status).type(HTML).entity(html).header("Cache-Control", "no-store").build();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
