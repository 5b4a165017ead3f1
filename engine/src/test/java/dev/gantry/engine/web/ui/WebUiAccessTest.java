package dev.gantry.engine.web.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.security.Role;
import dev.gantry.engine.security.Security;
import dev.gantry.engine.testing.ControllerFixture;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may see which page of the web UI and send which form: sign-in redirects, permissions per
 * page and per form (every form of {@link UiForm}), CSRF tokens and foreign origins.
 */
class WebUiAccessTest {
    private static final String SCRIPT = "pipeline { agent any\n stages { stage('s') { steps { echo 'hi' } } } }\n";
    private static final String OTHER_SCRIPT = "pipeline { agent any\n stages { stage('t') { steps { echo 'changed' } } } }\n";
    /** Reads team/*; nothing else. */
    private static final String VIEWER = "vera";
    /** Reads team/*, develops in other/* only: no configure on team/app. */
    private static final String DEVELOPER = "dave";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"");

    @TempDir
    static Path home;
    static ControllerFixture gantry;
    static String origin;

    @BeforeAll
    static void start() throws Exception {
        gantry = ControllerFixture.in(home).agents(Duration.ofSeconds(30)).start();
        origin = gantry.url.substring(0, gantry.url.length() - 1);
        gantry.putJob("team/app", SCRIPT);
        gantry.putJob("other/secret", SCRIPT);
        gantry.completed("team/app", gantry.trigger("team/app"));
        for (String user : List.of(VIEWER, DEVELOPER)) {
            gantry.security.createUser(user, password(user));
            gantry.security.grant(user, Role.VIEWER, "team");
        }
        gantry.security.grant(DEVELOPER, Role.DEVELOPER, "other");
    }

    @AfterAll
    static void stop() {
        gantry.close();
    }

    private static String password(String user) {
        return user + "-secret-password";
    }

    /** A browser's session: its cookie and the CSRF token its pages carry. */
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

    private static HttpResponse<String> login(String user, String password, String from) {
        return gantry.sendText(gantry.anonymous("login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("username", user, "password", password, "from", from))).build());
    }

    /** Signs in through the login form and reads the CSRF token from the dashboard's header. */
    private static Session signIn(String user, String password) {
        HttpResponse<String> r = login(user, password, "/");
        assertEquals(303, r.statusCode(), r.body());
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        cookie = cookie.substring(0, cookie.indexOf(';'));
        HttpResponse<String> page = get(cookie, "/");
        assertEquals(200, page.statusCode(), page.body());
        Matcher m = CSRF.matcher(page.body());
        assertTrue(m.find(), "the header's logout form carries the token: " + page.body());
        return new Session(cookie, m.group(1));
    }

    private static HttpResponse<String> get(String cookie, String path) {
        return gantry.sendText(gantry.anonymous(path).header("Cookie", cookie).GET().build());
    }

    private static HttpResponse<String> basicGet(String user, String path) {
        return gantry.sendText(gantry.anonymous(path).header("Authorization", ControllerFixture.basic(user, password(user))).GET().build());
    }

    /** POSTs an urlencoded form with these headers (name, value pairs); redirects are not followed. */
    private static HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder b = gantry.anonymous(path).header("Content-Type", "application/x-www-form-urlencoded");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return gantry.sendText(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The path of {@code f} for job team/app, build #1 and a plugin id. */
    private static String path(UiForm f) {
        return f.template.replace("{job}", "team/app").replace("{n}", "1").replace("{plugin}", "no-such-plugin")
                .replace("{user}", DEVELOPER).replace("{id}", "abc123");
    }

    /** Fields enough for any form to act, were it allowed to. */
    private static final String ANY_FIELDS = form("name", "team/new-job", "script", OTHER_SCRIPT, "stage", "s", "id", "x",
            "labels", "linux", "executors", "1", "version", "1", "role", "admin", "folder", "team", "type", "string",
            "field.secret", "s3cret", "signature", "method java.lang.String toUpperCase", "decision", "approve", "password", "another-password-1");

    private static int builds(String job) {
        return gantry.json("api/v1/jobs/" + job + "/builds").path("builds").size();
    }

    @Test
    void anonymousReadersAreSentToTheLoginPageAndBackAfterwards() {
        List<String> pages = List.of("/", "/folder/team", "/new", "/new?folder=team", "/agents", "/plugins", "/system", "/job/team/app",
                "/job/team/app/~config", "/job/team/app/~build", "/job/team/app/~1", "/job/team/app/~1/live", "/job/team/app/~1/log?start=0",
                "/job/team/app/~1/step?id=x", "/job/team/app/~1/replay", "/job/team/nope", "/agents/x", "/plugins/x");
        for (String page : pages) {
            HttpResponse<String> r = gantry.sendText(gantry.anonymous(page).GET().build());
            assertEquals(303, r.statusCode(), page + ": " + r.body());
            assertEquals("/login?from=" + URLEncoder.encode(page, StandardCharsets.UTF_8), r.headers().firstValue("Location").orElse(""), page);
            assertFalse(r.body().contains("team/app"), page + " shows nothing");
        }
        HttpResponse<String> back = login("admin", ControllerFixture.ADMIN_PASSWORD, "/job/team/app/~1/log?start=0");
        assertEquals(303, back.statusCode(), back.body());
        assertEquals("/job/team/app/~1/log?start=0", back.headers().firstValue("Location").orElse(""), "lands where it was going");
        for (String offsite : List.of("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "/%0d%0aX:y")) {
            HttpResponse<String> r = login("admin", ControllerFixture.ADMIN_PASSWORD, offsite);
            String location = r.headers().firstValue("Location").orElse("");
            assertTrue(location.equals("/") || (location.startsWith("/") && !location.startsWith("//") && !location.contains("\\")),
                    offsite + " led to " + location);
        }
        HttpResponse<String> loginPage = gantry.sendText(gantry.anonymous("login?from=%2Fjob%2Fteam%2Fapp").GET().build());
        assertTrue(loginPage.body().contains("href=\"/static/ui.css\"") && loginPage.body().contains("name=\"from\" value=\"/job/team/app\""),
                loginPage.body());
        assertEquals(200, gantry.sendText(gantry.anonymous("static/ui.css").GET().build()).statusCode(), "static files need no sign-in");
    }

    @Test
    void everyFormIsRefusedToAnonymousUsersAndViewers() {
        Session viewer = signIn(VIEWER, password(VIEWER));
        int before = builds("team/app");
        int agents = gantry.json("api/v1/agents").size();
        for (UiForm f : UiForm.values()) {
            String path = path(f);
            assertEquals(f, UiForm.of(path), path);
            HttpResponse<String> anonymous = post(path, ANY_FIELDS);
            assertEquals(403, anonymous.statusCode(), "anonymous " + path + ": " + anonymous.body());
            assertTrue(anonymous.body().contains("sign in first"), anonymous.body());
            if (f.target == UiForm.Target.SELF) {
                continue; // a user's own account: every signed-in user may (AdminPagesTest)
            }
            HttpResponse<String> basic = post(path, ANY_FIELDS, "Authorization", ControllerFixture.basic(VIEWER, password(VIEWER)));
            assertEquals(403, basic.statusCode(), "viewer (Basic) " + path + ": " + basic.body());
            assertTrue(basic.body().contains("lacks the &#39;" + f.permission.label() + "&#39; permission")
                    || basic.body().contains("lacks the '" + f.permission.label() + "' permission"), basic.body());
            HttpResponse<String> session = post(path, ANY_FIELDS + "&_csrf=" + viewer.csrf(), "Cookie", viewer.cookie(), "Origin", origin);
            assertEquals(403, session.statusCode(), "viewer (session) " + path + ": " + session.body());
        }
        assertEquals(before, builds("team/app"), "no build was started");
        assertTrue(gantry.json("api/v1/jobs/team/app").get("script").asText().contains("echo 'hi'"), "the job is unchanged");
        assertEquals(404, gantry.get("api/v1/jobs/team/new-job").statusCode(), "no job was created");
        assertEquals(agents, gantry.json("api/v1/agents").size(), "no agent was added");
    }

    @Test
    void aDeveloperWithoutConfigureCannotSaveTheConfigurationButCanWhereTheyDevelop() {
        Session dev = signIn(DEVELOPER, password(DEVELOPER));
        HttpResponse<String> page = get(dev.cookie(), "/job/team/app/~config");
        assertEquals(200, page.statusCode(), "reading the configuration needs read: " + page.body());
        assertTrue(page.body().contains("readonly"), page.body());
        assertFalse(page.body().contains(">Save</button>"), "no Save button: " + page.body());
        HttpResponse<String> save = post("/job/team/app/~config", form("script", OTHER_SCRIPT, "_csrf", dev.csrf()), "Cookie", dev.cookie(),
                "Origin", origin);
        assertEquals(403, save.statusCode(), save.body());
        assertTrue(gantry.json("api/v1/jobs/team/app").get("script").asText().contains("echo 'hi'"), "the job is unchanged");

        String own = get(dev.cookie(), "/job/other/secret/~config").body();
        assertTrue(own.contains(">Save</button>"), own);
        HttpResponse<String> saved = post("/job/other/secret/~config", form("script", OTHER_SCRIPT, "_csrf", dev.csrf()),
                "Cookie", dev.cookie(), "Origin", origin);
        assertEquals(303, saved.statusCode(), saved.body());
        assertTrue(gantry.json("api/v1/jobs/other/secret").get("script").asText().contains("changed"));
        HttpResponse<String> created = post("/new", form("name", "other/made", "script", SCRIPT, "_csrf", dev.csrf()),
                "Cookie", dev.cookie(), "Origin", origin);
        assertEquals(303, created.statusCode(), "configure on a folder creates jobs in it: " + created.body());
        HttpResponse<String> elsewhere = post("/new", form("name", "team/made", "script", SCRIPT, "_csrf", dev.csrf()),
                "Cookie", dev.cookie(), "Origin", origin);
        assertEquals(403, elsewhere.statusCode(), elsewhere.body());
    }

    @Test
    void aCookieFormWithoutOrWithAWrongCsrfTokenIsRefused() {
        Session admin = signIn("admin", ControllerFixture.ADMIN_PASSWORD);
        int before = builds("team/app");
        HttpResponse<String> none = post("/job/team/app/~build", "", "Cookie", admin.cookie());
        assertEquals(403, none.statusCode(), none.body());
        assertTrue(none.body().contains("CSRF"), none.body());
        HttpResponse<String> wrong = post("/job/team/app/~build", form("_csrf", admin.csrf() + "x"), "Cookie", admin.cookie());
        assertEquals(403, wrong.statusCode(), wrong.body());
        HttpResponse<String> upload = gantry.sendText(gantry.anonymous("plugins/upload").header("Cookie", admin.cookie())
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nwrong\r\n--b--\r\n")).build());
        assertEquals(403, upload.statusCode(), "a multipart form's token is checked too: " + upload.body());
        assertEquals(before, builds("team/app"), "nothing was started");

        HttpResponse<String> ok = post("/job/team/app/~build", form("_csrf", admin.csrf()), "Cookie", admin.cookie());
        assertEquals(303, ok.statusCode(), ok.body());
        HttpResponse<String> header = post("/job/team/app/~build", "", "Cookie", admin.cookie(), Security.CSRF_HEADER, admin.csrf());
        assertEquals(303, header.statusCode(), "the header does as well as the field: " + header.body());
        String location = header.headers().firstValue("Location").orElseThrow();
        int number = Integer.parseInt(location.substring(location.lastIndexOf('~') + 1));
        assertTrue(gantry.completed("team/app", number).path("cause").asText().contains("admin"), "the build says who started it");
    }

    @Test
    void aFormFromAForeignOriginIsRefusedWhateverItsCredentials() {
        Session admin = signIn("admin", ControllerFixture.ADMIN_PASSWORD);
        int before = builds("team/app");
        for (String foreign : List.of("http://evil.example", "null", origin.replace("127.0.0.1", "localhost"))) {
            HttpResponse<String> cookie = post("/job/team/app/~build", form("_csrf", admin.csrf()), "Cookie", admin.cookie(), "Origin", foreign);
            assertEquals(403, cookie.statusCode(), foreign + ": " + cookie.body());
            assertTrue(cookie.body().contains("foreign origin"), cookie.body());
            HttpResponse<String> basic = post("/job/team/app/~build", "", "Authorization",
                    ControllerFixture.basic("admin", ControllerFixture.ADMIN_PASSWORD), "Origin", foreign);
            assertEquals(403, basic.statusCode(), foreign + " (Basic): " + basic.body());
        }
        HttpResponse<String> referer = post("/job/team/app/~build", form("_csrf", admin.csrf()), "Cookie", admin.cookie(),
                "Referer", "http://evil.example/page");
        assertEquals(403, referer.statusCode(), referer.body());
        assertEquals(before, builds("team/app"), "nothing was started");
    }

    @Test
    void aViewerSeesOnlyWhatTheyMayReadAndNoFormsTheyMayNotUse() {
        Session viewer = signIn(VIEWER, password(VIEWER));
        String dashboard = get(viewer.cookie(), "/").body();
        assertTrue(dashboard.contains("href=\"/folder/team\""), dashboard);
        assertFalse(dashboard.contains("other"), "no folder the viewer may not read: " + dashboard);
        assertFalse(dashboard.contains("href=\"/new\"") || dashboard.contains("href=\"/system\"") || dashboard.contains("href=\"/agents\""),
                "no links to pages the viewer may not use: " + dashboard);
        assertTrue(dashboard.contains(">" + VIEWER + "</strong>") && dashboard.contains("action=\"/logout\""), "the header: " + dashboard);
        String folder = get(viewer.cookie(), "/folder/team").body();
        assertTrue(folder.contains("href=\"/job/team/app\""), folder);
        for (String refused : List.of("/folder/other", "/job/other/secret", "/job/other/secret/~config", "/system", "/agents", "/plugins",
                "/new", "/job/team/app/~1/replay")) {
            HttpResponse<String> r = get(viewer.cookie(), refused);
            assertEquals(403, r.statusCode(), refused + ": " + r.body());
            assertFalse(r.body().contains("echo"), refused + " shows nothing of the job");
        }
        String job = get(viewer.cookie(), "/job/team/app").body();
        assertFalse(job.contains("id=\"build-form\""), "no build form: " + job);
        String build = get(viewer.cookie(), "/job/team/app/~1").body();
        assertFalse(build.contains("/replay\"") || build.contains("/restart\""), "no replay or restart: " + build);
        assertEquals(403, basicGet(VIEWER, "/job/other/secret").statusCode(), "Basic as well as the cookie");

        Session dev = signIn(DEVELOPER, password(DEVELOPER));
        String devDashboard = get(dev.cookie(), "/").body();
        assertTrue(devDashboard.contains("href=\"/folder/other\"") && devDashboard.contains("href=\"/folder/team\""), devDashboard);
        assertTrue(devDashboard.contains("href=\"/new\""), "configure somewhere: the New job link: " + devDashboard);
    }

    @Test
    void signingOutEndsTheSession() {
        Session s = signIn(VIEWER, password(VIEWER));
        HttpResponse<String> out = post("/logout", form("_csrf", s.csrf()), "Cookie", s.cookie(), "Origin", origin);
        assertEquals(303, out.statusCode(), out.body());
        assertEquals("/login", out.headers().firstValue("Location").orElse(""));
        HttpResponse<String> after = get(s.cookie(), "/");
        assertEquals(303, after.statusCode(), "the old cookie no longer signs in");
    }
}
