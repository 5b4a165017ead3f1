package dev.gantry.engine.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.testing.ControllerFixture;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The login page, session cookies, CSRF tokens, foreign origins, idle expiry and the security headers. */
class BrowserSessionTest {
    private static final String SCRIPT = "pipeline { agent any; stages { stage('s') { steps { echo 'hi' } } } }";
    private final AtomicLong now = new AtomicLong();

    @TempDir
    Path home;

    private ControllerFixture start() throws Exception {
        return ControllerFixture.in(home).executors(1)
                .security(Security.Options.defaults().withBcryptCost(4).withClock(now::get)).start();
    }

    private static HttpRequest.BodyPublisher form(String... pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return HttpRequest.BodyPublishers.ofString(b.toString());
    }

    private static HttpResponse<String> send(ControllerFixture c, HttpRequest r) {
        return c.sendText(r);
    }

    private String login(ControllerFixture c) {
        HttpResponse<String> r = send(c, c.anonymous("login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(form("username", "admin", "password", ControllerFixture.ADMIN_PASSWORD, "next", "/jobs/x")).build());
        assertEquals(303, r.statusCode(), r.body());
        assertEquals("/jobs/x", r.headers().firstValue("Location").orElse(""));
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), cookie);
        assertFalse(cookie.contains("Secure"), "plain HTTP: a Secure cookie would never come back: " + cookie);
        return cookie.substring(0, cookie.indexOf(';'));
    }

    @Test
    void theLoginPageIsAPlainFormWithoutScriptAndWithSecurityHeaders() throws Exception {
        try (ControllerFixture c = start()) {
            HttpResponse<String> page = send(c, c.anonymous("login?next=%22%3E%3Cscript%3Ealert(1)%3C/script%3E").GET().build());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<form method=\"post\" action=\"/login\" class=\"form\">"), page.body());
            assertFalse(page.body().contains("<script"), page.body());
            assertFalse(page.body().contains("style="), page.body());
            for (String path : new String[] {"login", "health", "api/v1/jobs", "api/v1/no-such-thing", "api/v1/jobs/a/%2e%2e/b"}) {
                HttpResponse<String> r = send(c, c.anonymous(path).GET().build());
                assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"), path + ": " + r.headers());
                assertFalse(r.headers().firstValue("Content-Security-Policy").orElse("").contains("unsafe-inline"));
                assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""), path);
                assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), path);
                assertEquals("same-origin", r.headers().firstValue("Referrer-Policy").orElse(""), path);
            }
            HttpResponse<String> offsite = send(c, c.anonymous("login").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(form("username", "admin", "password", ControllerFixture.ADMIN_PASSWORD, "next", "//evil.example/")).build());
            assertEquals("/", offsite.headers().firstValue("Location").orElse(""), "no redirect off the controller");
            HttpResponse<String> wrong = send(c, c.anonymous("login").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(form("username", "admin", "password", "wrong-password")).build());
            assertEquals(401, wrong.statusCode());
            assertTrue(wrong.body().contains("Wrong user name or password"), wrong.body());
            assertTrue(wrong.headers().allValues("Set-Cookie").isEmpty());
            HttpResponse<String> browser = send(c, c.anonymous("metrics").header("Accept", "text/html,*/*").GET().build());
            assertEquals(303, browser.statusCode(), "a browser on a page goes to the login page");
            assertEquals("/login?from=%2Fmetrics", browser.headers().firstValue("Location").orElse(""));
            HttpResponse<String> api = send(c, c.anonymous("api/v1/jobs").header("Accept", "text/html,*/*").GET().build());
            assertEquals(401, api.statusCode(), "the API answers 401, whatever the client accepts");
        }
    }

    @Test
    void aSessionChangesStateOnlyWithItsCsrfTokenAndOnlyFromItsOwnOrigin() throws Exception {
        try (ControllerFixture c = start()) {
            String cookie = login(c);
            HttpResponse<String> me = send(c, c.anonymous("api/v1/whoami").header("Cookie", cookie).GET().build());
            assertEquals(200, me.statusCode(), me.body());
            String csrf = ControllerFixture.parse(me).path("csrfToken").asText();
            assertFalse(csrf.isEmpty());
            assertEquals(200, send(c, c.anonymous("api/v1/jobs").header("Cookie", cookie).GET().build()).statusCode(), "reading needs no token");

            String json = "{\"script\": \"" + SCRIPT.replace("'", "\\u0027") + "\"}";
            HttpResponse<String> noToken = send(c, c.anonymous("api/v1/jobs/j").header("Cookie", cookie).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
            assertEquals(403, noToken.statusCode(), noToken.body());
            assertEquals("csrf", ControllerFixture.parse(noToken).path("code").asText());
            HttpResponse<String> wrongToken = send(c, c.anonymous("api/v1/jobs/j").header("Cookie", cookie).header(Security.CSRF_HEADER, csrf + "x")
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
            assertEquals(403, wrongToken.statusCode());
            assertEquals(404, c.get("api/v1/jobs/j").statusCode(), "nothing was created");

            String origin = c.url.substring(0, c.url.length() - 1);
            HttpResponse<String> ok = send(c, c.anonymous("api/v1/jobs/j").header("Cookie", cookie).header(Security.CSRF_HEADER, csrf)
                    .header("Origin", origin).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
            assertEquals(201, ok.statusCode(), ok.body());

            for (String foreign : new String[] {"http://evil.example", "null", origin.replace("127.0.0.1", "localhost")}) {
                HttpResponse<String> r = send(c, c.anonymous("api/v1/jobs/j/builds").header("Cookie", cookie).header(Security.CSRF_HEADER, csrf)
                        .header("Origin", foreign).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
                assertEquals(403, r.statusCode(), foreign + ": " + r.body());
                assertEquals("foreign_origin", ControllerFixture.parse(r).path("code").asText());
            }
            HttpResponse<String> basicForeign = send(c, c.request("api/v1/jobs/j").header("Origin", "http://evil.example").DELETE().build());
            assertEquals(403, basicForeign.statusCode(), "Basic credentials a browser remembers do not cross origins either");
            HttpResponse<String> referer = send(c, c.request("api/v1/jobs/j").header("Referer", "http://evil.example/page").DELETE().build());
            assertEquals(403, referer.statusCode());
            HttpResponse<String> formLogin = send(c, c.anonymous("login").header("Origin", "http://evil.example")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(form("username", "admin", "password", ControllerFixture.ADMIN_PASSWORD)).build());
            assertEquals(403, formLogin.statusCode(), "no login from another site's form");
            assertEquals(0, c.json("api/v1/jobs/j/builds").path("builds").size());
            assertEquals(200, c.get("api/v1/jobs/j").statusCode());
            assertEquals(201, c.send("POST", "api/v1/jobs/j/builds", "{}").statusCode(), "Basic without Origin (a CLI) needs no CSRF token");
            c.completed("j", 1);

            HttpResponse<String> logoutWithoutToken = send(c, c.anonymous("logout").header("Cookie", cookie)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(form("x", "y")).build());
            assertEquals(403, logoutWithoutToken.statusCode());
            HttpResponse<String> logout = send(c, c.anonymous("logout").header("Cookie", cookie)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(form(Security.CSRF_FIELD, csrf)).build());
            assertEquals(303, logout.statusCode(), logout.body());
            assertTrue(logout.headers().firstValue("Set-Cookie").orElse("").contains("Max-Age=0"));
            assertEquals(401, send(c, c.anonymous("api/v1/whoami").header("Cookie", cookie).GET().build()).statusCode());
        }
    }

    @Test
    void aSessionEndsAfterItsIdleTime() throws Exception {
        try (ControllerFixture c = start()) {
            String cookie = login(c);
            now.addAndGet(Duration.ofMinutes(29).toNanos());
            assertEquals(200, send(c, c.anonymous("api/v1/whoami").header("Cookie", cookie).GET().build()).statusCode());
            now.addAndGet(Duration.ofMinutes(29).toNanos());
            assertEquals(200, send(c, c.anonymous("api/v1/whoami").header("Cookie", cookie).GET().build()).statusCode(), "each request restarts the idle clock");
            now.addAndGet(Duration.ofMinutes(31).toNanos());
            assertEquals(401, send(c, c.anonymous("api/v1/whoami").header("Cookie", cookie).GET().build()).statusCode());
            assertEquals(401, send(c, c.anonymous("api/v1/whoami").header("Cookie", Security.COOKIE + "=made-up").GET().build()).statusCode());
        }
    }

    @Test
    void failedLoginsAreThrottledPerUserAndPerAddress() throws Exception {
        try (ControllerFixture c = start()) {
            c.security.createUser("ada", "ada-password");
            for (int i = 0; i < 5; i++) {
                assertEquals(401, c.sendWith(ControllerFixture.basic("ada", "guess-" + i), "GET", "api/v1/whoami", null).statusCode());
            }
            HttpResponse<String> locked = c.sendWith(ControllerFixture.basic("ada", "ada-password"), "GET", "api/v1/whoami", null);
            assertEquals(429, locked.statusCode(), "even the right password waits: " + locked.body());
            assertEquals("30", locked.headers().firstValue("Retry-After").orElse(""));
            HttpResponse<String> page = send(c, c.anonymous("login").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(form("username", "ada", "password", "ada-password")).build());
            assertEquals(429, page.statusCode(), "the login page shares the throttle");
            assertEquals(200, c.get("api/v1/whoami").statusCode(), "other users are not locked out");

            now.addAndGet(Duration.ofSeconds(31).toNanos());
            assertEquals(401, c.sendWith(ControllerFixture.basic("ada", "guess-6"), "GET", "api/v1/whoami", null).statusCode());
            HttpResponse<String> doubled = c.sendWith(ControllerFixture.basic("ada", "ada-password"), "GET", "api/v1/whoami", null);
            assertEquals(429, doubled.statusCode());
            assertEquals("60", doubled.headers().firstValue("Retry-After").orElse(""), "each further failure doubles the wait");
            now.addAndGet(Duration.ofSeconds(61).toNanos());
            assertEquals(200, c.sendWith(ControllerFixture.basic("ada", "ada-password"), "GET", "api/v1/whoami", null).statusCode());

            for (int i = 0; i < 20; i++) {
                c.sendWith(ControllerFixture.basic("user" + i, "guess"), "GET", "api/v1/whoami", null);
            }
            assertEquals(429, c.sendWith(ControllerFixture.basic("ada", "ada-password"), "GET", "api/v1/whoami", null).statusCode(),
                    "twenty failures from one address lock that address");
            assertTrue(c.security.audit().entries("ada", "login.failure", 0, 100).size() >= 6);
        }
    }
}
