package dev.gantry.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built distribution's controller serves the web UI beside the API (templates and static
 * files packaged), and its account and administration pages work end to end over HTTP: users,
 * roles, tokens and credentials created through the forms, payloads escaped, and browser
 * sessions that survive a restart of the controller.
 */
class WebUiIT {
    @TempDir
    Path dir;
    private Process server;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts the controller on {@code home} at a free port, logging to {@code log}; stopped after the test. Its base URI. */
    private URI start(Path home, String log) throws Exception {
        Gantry.Server started = Gantry.startServer(dir.resolve(log), List.of("--home", home.toString(), "--port", "0"));
        server = started.process();
        return started.base();
    }

    /** GET signed in as the admin (HTTP Basic). */
    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(Gantry.request(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> anonymous(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theControllerServesTheUiWithItsHomeAndPlugins() throws Exception {
        Path home = dir.resolve("home");
        URI base = start(home, "server.log");
        HttpResponse<String> signIn = anonymous(base, "system");
        assertEquals(303, signIn.statusCode(), "without credentials a page sends the browser to the login page: " + signIn.body());
        assertEquals("/login?from=%2Fsystem", signIn.headers().firstValue("Location").orElse(""));
        HttpResponse<String> login = anonymous(base, "login?from=%2Fsystem");
        assertEquals(200, login.statusCode(), login.body());
        assertTrue(login.body().contains("/static/ui.css"), login.body());
        assertEquals(200, anonymous(base, "static/ui.css").statusCode(), "the style sheet of the login page needs no sign-in");
        HttpResponse<String> root = get(base, "");
        assertEquals(200, root.statusCode(), root.body());
        assertTrue(root.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(root.body().contains("/static/ui.js"), root.body());
        assertTrue(root.body().contains("Signed in as"), root.body());
        HttpResponse<String> system = get(base, "system");
        assertTrue(system.body().contains(home.toAbsolutePath().normalize().toString()), system.body());
        assertTrue(system.body().contains("Database size"), system.body());
        HttpResponse<String> plugins = get(base, "plugins");
        assertEquals(200, plugins.statusCode());
        assertTrue(plugins.body().contains("Upload a plugin"), plugins.body());
        assertEquals(200, get(base, "static/ui.css").statusCode());
        assertEquals(200, get(base, "api/v1/jobs").statusCode(), "the API stays where it was");
    }

    private static final String IMG = "<img src=x onerror=alert(1)>";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"");
    private static final Pattern SECRET = Pattern.compile("id=\"secret\" readonly value=\"([^\"]*)\"");

    /** A browser's session cookie and the CSRF token of its pages. */
    private record Session(String cookie, String csrf) {
    }

    private static String form(String... pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    private Session signIn(URI base, String user, String password) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("username", user, "password", password))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, r.statusCode(), user + ": " + r.body());
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        cookie = cookie.substring(0, cookie.indexOf(';'));
        Matcher m = CSRF.matcher(page(base, cookie, "account").body());
        assertTrue(m.find(), "the account page carries the CSRF token");
        return new Session(cookie, m.group(1));
    }

    private HttpResponse<String> page(URI base, String cookie, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI base, Session s, String path, String... pairs) throws Exception {
        String origin = base.getScheme() + "://" + base.getAuthority();
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Cookie", s.cookie()).header("Origin", origin)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(pairs) + "&_csrf=" + s.csrf())).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDeveloperCreatedOnTheUsersPageUsesATokenAndStaysSignedInAcrossARestart() throws Exception {
        Path home = dir.resolve("home");
        URI base = start(home, "server.log");
        HttpResponse<String> team = http.send(Gantry.request(base.resolve("api/v1/folders/team")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"description\": \"the team\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(team.statusCode() == 200 || team.statusCode() == 201, "the folder is created: " + team.body());

        Session admin = signIn(base, "admin", Gantry.ADMIN_PASSWORD);
        HttpResponse<String> created = post(base, admin, "users", "name", "devon", "password", "devon-password-1", "role", "developer",
                "folder", "team");
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.body().contains("developer on team"), created.body());
        HttpResponse<String> credential = post(base, admin, "credentials/new", "folder", "team", "type", "string", "id", "deploy",
                "description", IMG, "field.secret", "the-secret-value");
        assertEquals(201, credential.statusCode(), credential.body());
        assertFalse(credential.body().contains(IMG) || credential.body().contains("the-secret-value"), credential.body());
        assertTrue(credential.body().contains("&lt;img src=x onerror=alert(1)&gt;"), credential.body());
        assertEquals(303, post(base, admin, "logout").statusCode());
        assertEquals(303, page(base, admin.cookie(), "users").statusCode(), "signed out");

        Session devon = signIn(base, "devon", "devon-password-1");
        HttpResponse<String> token = post(base, devon, "account/tokens", "name", IMG);
        assertEquals(201, token.statusCode(), token.body());
        assertFalse(token.body().contains(IMG), token.body());
        Matcher m = SECRET.matcher(token.body());
        assertTrue(m.find(), token.body());
        String bearer = "Bearer " + m.group(1);
        HttpResponse<String> folder = http.send(HttpRequest.newBuilder(base.resolve("api/v1/folders/team")).header("Authorization", bearer).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, folder.statusCode(), "the token acts as devon, with the role on team: " + folder.body());
        assertEquals(403, http.send(HttpRequest.newBuilder(base.resolve("api/v1/users")).header("Authorization", bearer).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        for (String adminPage : List.of("users", "audit", "script-approvals", "credentials")) {
            assertEquals(403, page(base, devon.cookie(), adminPage).statusCode(), adminPage);
        }

        server.destroy();
        assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the controller stops");
        URI again = start(home, "server2.log");
        HttpResponse<String> account = page(again, devon.cookie(), "account");
        assertEquals(200, account.statusCode(), "the session survived the restart: " + account.body());
        assertTrue(account.body().contains(">devon</strong>") && account.body().contains("&lt;img src=x"), account.body());
        HttpResponse<String> afterRestart = post(again, devon, "account/tokens", "name", "second");
        assertEquals(201, afterRestart.statusCode(), "its CSRF token too: " + afterRestart.body());
        assertEquals(303, page(again, admin.cookie(), "users").statusCode(), "a signed-out session stays ended");
        HttpResponse<String> audit = http.send(Gantry.request(again.resolve("audit?actor=devon")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, audit.statusCode());
        assertTrue(audit.body().contains("token.create") && !audit.body().contains(IMG), audit.body());
    }

    private HttpResponse<String> send(URI base, String method, String path, String type, String body) throws Exception {
        return http.send(Gantry.request(base.resolve(path)).header("Content-Type", type)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aJobsTriggersAndScmAreConfiguredInTheUiTestsHaveAHistoryAndStepsFold() throws Exception {
        URI base = start(dir.resolve("home"), "server.log");
        String script = """
                pipeline { agent any
                  stages { stage('T') { steps {
                    echo 'out <img src=x onerror=alert(1)>'
                    writeFile file: 'r/TEST-a.xml', text: '<testsuite name="a"><testcase classname="a.B" name="c" time="1"><failure message="no">t</failure></testcase></testsuite>'
                    junit 'r/*.xml'
                  } } }
                }
                """;
        assertEquals(201, send(base, "PUT", "api/v1/jobs/ui/conf", "application/json",
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of("script", script))).statusCode());
        assertEquals(201, send(base, "POST", "api/v1/jobs/ui/conf/builds", "application/json", "{}").statusCode());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!get(base, "api/v1/jobs/ui/conf/builds/1").body().contains("\"COMPLETED\"")) {
            assertTrue(System.nanoTime() < deadline, "build #1 did not complete");
            java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
        }
        String build = get(base, "job/ui/conf/~1").body();
        assertTrue(build.contains("<details class=\"step success\" open") && build.contains("data-title=\"T › echo\""), build);
        assertTrue(build.contains("out &lt;img src=x onerror=alert(1)&gt;"), build);
        assertTrue(build.contains("href=\"/job/ui/conf/~test?class=a.B&amp;name=c\""), build);
        HttpResponse<String> history = get(base, "job/ui/conf/~test?class=a.B&name=c");
        assertEquals(200, history.statusCode(), history.body());
        assertTrue(history.body().contains("1 failed, 0 passed"), history.body());

        String form = "version=1&source=scm&scm.url=https%3A%2F%2Fgit.example.com%2Fui.git&scm.branch=main&scm.path=Jenkinsfile"
                + "&pollSCM=H%2F5+*+*+*+*&threshold=SUCCESS&cron=";
        HttpResponse<String> bad = send(base, "POST", "job/ui/conf/~config", "application/x-www-form-urlencoded", form + "H+24+*+*+*");
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("id=\"err-cron\"") && bad.body().contains("Invalid cron spec"), bad.body());
        HttpResponse<String> good = send(base, "POST", "job/ui/conf/~config", "application/x-www-form-urlencoded", form + "H+3+*+*+*");
        assertEquals(303, good.statusCode(), good.body());
        String job = get(base, "api/v1/jobs/ui/conf").body();
        assertTrue(job.contains("\"cron\":\"H 3 * * *\"") && job.contains("\"url\":\"https://git.example.com/ui.git\""), job);
    }
}
