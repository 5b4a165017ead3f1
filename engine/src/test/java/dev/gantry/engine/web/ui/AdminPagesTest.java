package dev.gantry.engine.web.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.security.Role;
import dev.gantry.engine.testing.ControllerFixture;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account and administration pages over plain HTTP (JavaScript off): my tokens and password,
 * users and roles, credentials, script approvals and the audit log; their permissions (the REST
 * API's), and the escaping of every text a user or pipeline provides.
 */
class AdminPagesTest {
    private static final String IMG = "<img src=x onerror=alert(1)>";
    private static final String SCRIPT_TAG = "\"><script>alert(1)</script>";
    private static final String SCRIPT = "pipeline { agent any\n stages { stage('s') { steps { echo 'hi' } } } }\n";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"");
    private static final Pattern SECRET = Pattern.compile("id=\"secret\" readonly value=\"([^\"]*)\"");

    @TempDir
    static Path home;
    static ControllerFixture gantry;
    static String origin;

    @BeforeAll
    static void start() throws Exception {
        gantry = ControllerFixture.in(home).start();
        origin = gantry.url.substring(0, gantry.url.length() - 1);
        gantry.putJob("team/app", SCRIPT);
        gantry.completed("team/app", gantry.trigger("team/app"));
    }

    @AfterAll
    static void stop() {
        gantry.close();
    }

    /** A browser's session: its cookie and the CSRF token its pages carry. */
    private record Session(String cookie, String csrf) {
        HttpResponse<String> get(String path) {
            return gantry.sendText(gantry.anonymous(path).header("Cookie", cookie).GET().build());
        }

        HttpResponse<String> post(String path, String... pairs) {
            StringBuilder b = new StringBuilder("_csrf=" + csrf);
            for (int i = 0; i < pairs.length; i += 2) {
                b.append('&').append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
            }
            return gantry.sendText(gantry.anonymous(path).header("Cookie", cookie).header("Origin", origin)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(b.toString())).build());
        }

        /** A multipart form; a value starting with {@code file:NAME:} is a file part named NAME with the rest as content. */
        HttpResponse<String> multipart(String path, Map<String, String> fields) {
            String boundary = "gantry-test-boundary";
            StringBuilder b = new StringBuilder();
            b.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n").append(csrf).append("\r\n");
            for (Map.Entry<String, String> e : fields.entrySet()) {
                b.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(e.getKey()).append('"');
                String v = e.getValue();
                if (v.startsWith("file:")) {
                    String[] parts = v.split(":", 3);
                    b.append("; filename=\"").append(parts[1]).append("\"\r\nContent-Type: application/octet-stream\r\n\r\n").append(parts[2]);
                } else {
                    b.append("\r\n\r\n").append(v);
                }
                b.append("\r\n");
            }
            b.append("--").append(boundary).append("--\r\n");
            return gantry.sendText(gantry.anonymous(path).header("Cookie", cookie).header("Origin", origin)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(HttpRequest.BodyPublishers.ofString(b.toString())).build());
        }
    }

    private static Session signIn(String user, String password) {
        String body = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpResponse<String> r = gantry.sendText(gantry.anonymous("login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertEquals(303, r.statusCode(), user + ": " + r.body());
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        cookie = cookie.substring(0, cookie.indexOf(';'));
        String page = gantry.sendText(gantry.anonymous("account").header("Cookie", cookie).GET().build()).body();
        Matcher m = CSRF.matcher(page);
        assertTrue(m.find(), page);
        return new Session(cookie, m.group(1));
    }

    private static Session admin() {
        return signIn("admin", ControllerFixture.ADMIN_PASSWORD);
    }

    private static void newUser(String name, String password, Role role, String folder) {
        gantry.security.createUser(name, password);
        if (role != null) {
            gantry.security.grant(name, role, folder);
        }
    }

    /**
     * The payloads show as text, never as markup: no raw opening tag of theirs is in the page, and
     * their escaped text is (jte escapes {@code <} everywhere, and {@code "} in attributes).
     */
    private static void escaped(String page, String... payloads) {
        for (String p : payloads) {
            int lt = p.indexOf('<');
            int end = lt + 1;
            while (Character.isLetter(p.charAt(end))) {
                end++;
            }
            String tag = p.substring(lt, end + 1); // "<img " or "<script>": not the page's own <script src=...>
            assertFalse(page.contains(tag), "raw " + tag + " of " + p + " in " + page);
            assertTrue(page.contains("&lt;" + p.substring(lt + 1, end)), "escaped " + p + " in " + page);
        }
    }

    private static String secret(HttpResponse<String> r) {
        Matcher m = SECRET.matcher(r.body());
        assertTrue(m.find(), "the secret is shown once: " + r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""), "never stored by the browser");
        return m.group(1);
    }

    @Test
    void aUserCreatesUsesAndRevokesTheirOwnTokensWithTheNameShownAsText() {
        newUser("tess", "tess-password-1", null, null);
        Session tess = signIn("tess", "tess-password-1");
        HttpResponse<String> created = tess.post("/account/tokens", "name", IMG + SCRIPT_TAG);
        assertEquals(201, created.statusCode(), created.body());
        String token = secret(created);
        assertTrue(token.startsWith("gantry_"), token);
        escaped(created.body(), IMG, SCRIPT_TAG);

        HttpResponse<String> whoami = gantry.sendText(gantry.anonymous("api/v1/whoami").header("Authorization", "Bearer " + token).GET().build());
        assertEquals(200, whoami.statusCode(), whoami.body());
        assertTrue(whoami.body().contains("\"tess\""), whoami.body());

        String account = tess.get("/account").body();
        assertFalse(account.contains(token), "never shown again");
        assertFalse(account.contains(">never<"), "the use was noted: " + account);
        escaped(account, IMG, SCRIPT_TAG);
        String id = gantry.security.tokens("tess").get(0).id();
        assertEquals(200, tess.post("/account/tokens/" + id + "/revoke").statusCode());
        assertEquals(401, gantry.sendText(gantry.anonymous("api/v1/whoami").header("Authorization", "Bearer " + token).GET().build()).statusCode());
        assertEquals(400, tess.post("/account/tokens", "name", "").statusCode(), "a token needs a name");
    }

    @Test
    void aUserDisabledOverRestCanNeitherSignInNorUseTokensUntilEnabled() {
        newUser("rex", "rex-password-1", Role.VIEWER, "");
        String token = gantry.security.createToken("rex", "ci").token();
        Session rex = signIn("rex", "rex-password-1");
        HttpResponse<String> off = gantry.send("PUT", "api/v1/users/rex/disabled", Map.of("disabled", true));
        assertEquals(200, off.statusCode(), off.body());
        assertTrue(off.body().contains("\"disabled\":true"), off.body());
        String bearer = "Bearer " + token;
        assertEquals(401, gantry.sendWith(bearer, "GET", "api/v1/whoami", null).statusCode(), "the token is refused");
        assertEquals(303, rex.get("/").statusCode(), "the session ended");
        assertEquals(401, gantry.sendWith(null, "PUT", "api/v1/users/rex/disabled", Map.of("disabled", false)).statusCode());
        assertEquals(409, gantry.send("PUT", "api/v1/users/admin/disabled", Map.of("disabled", true)).statusCode(), "the last admin stays");
        assertEquals(400, gantry.send("PUT", "api/v1/users/rex/disabled", Map.of()).statusCode());
        assertEquals(200, gantry.send("PUT", "api/v1/users/rex/disabled", Map.of("disabled", false)).statusCode());
        assertEquals(200, gantry.sendWith(bearer, "GET", "api/v1/whoami", null).statusCode(), "enabled again");
        for (String action : List.of("user.disable", "user.enable")) {
            boolean audited = false;
            for (var e : gantry.json("api/v1/audit?action=" + action).path("entries")) {
                audited |= e.path("target").asText().equals("rex") && e.path("actor").asText().equals("admin");
            }
            assertTrue(audited, action + " of rex is audited");
        }
    }

    @Test
    void changingMyPasswordNeedsTheCurrentOneAndEndsMySessions() {
        newUser("paul", "paul-password-1", Role.VIEWER, "");
        Session paul = signIn("paul", "paul-password-1");
        Session other = signIn("paul", "paul-password-1");
        HttpResponse<String> wrong = paul.post("/account/password", "current", "nope-nope-nope", "password", "paul-password-2", "confirm", "paul-password-2");
        assertEquals(400, wrong.statusCode());
        assertTrue(wrong.body().contains("current password is wrong"), wrong.body());
        assertEquals(400, paul.post("/account/password", "current", "paul-password-1", "password", "paul-password-2", "confirm", "typo").statusCode());
        assertEquals(400, paul.post("/account/password", "current", "paul-password-1", "password", "short", "confirm", "short").statusCode());
        HttpResponse<String> ok = paul.post("/account/password", "current", "paul-password-1", "password", "paul-password-2", "confirm", "paul-password-2");
        assertEquals(303, ok.statusCode(), ok.body());
        assertTrue(ok.headers().firstValue("Location").orElse("").startsWith("/login"));
        assertEquals(303, paul.get("/account").statusCode(), "this session ended");
        assertEquals(303, other.get("/account").statusCode(), "and the other one");
        signIn("paul", "paul-password-2");
    }

    @Test
    void anAdministratorManagesUsersRolesAndAccounts() {
        Session admin = admin();
        gantry.send("PUT", "api/v1/folders/squad", Map.of("description", IMG));
        HttpResponse<String> created = admin.post("/users", "name", "dana", "password", "", "role", "developer", "folder", "squad");
        assertEquals(201, created.statusCode(), created.body());
        String password = secret(created);
        assertTrue(created.body().contains("developer on squad"), created.body());
        Session dana = signIn("dana", password);
        assertEquals(403, dana.get("/job/team/app").statusCode(), "nothing outside squad");

        assertEquals(409, admin.post("/users", "name", "dana").statusCode(), "the name is taken");
        assertEquals(400, admin.post("/users", "name", IMG).statusCode(), "not a user name");
        assertFalse(admin.post("/users", "name", IMG).body().contains("<img "));
        assertEquals(400, admin.post("/users/dana/grant", "role", "developer", "folder", "no-such").statusCode());

        String page = admin.get("/users/dana").body();
        assertTrue(page.contains("on folder squad"), page);
        assertEquals(200, admin.post("/users/dana/grant", "role", "viewer", "folder", "").statusCode());
        assertTrue(gantry.security.grants("dana").stream().anyMatch(g -> g.role().equals("viewer") && g.folder().isEmpty()));
        assertEquals(200, admin.post("/users/dana/revoke", "role", "developer", "folder", "squad").statusCode());
        assertFalse(gantry.security.grants("dana").stream().anyMatch(g -> g.role().equals("developer")));

        assertEquals(200, admin.post("/users/dana/disable").statusCode());
        assertEquals(303, dana.get("/").statusCode(), "a disabled user's session ended");
        HttpResponse<String> refused = gantry.sendText(gantry.anonymous("login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=dana&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8))).build());
        assertEquals(401, refused.statusCode(), refused.body());
        assertTrue(admin.get("/users").body().contains("disabled"));
        assertEquals(200, admin.post("/users/dana/enable").statusCode());
        signIn("dana", password);

        HttpResponse<String> reset = admin.post("/users/dana/password", "password", "");
        String fresh = secret(reset);
        signIn("dana", fresh);
        assertEquals(409, admin.post("/users/admin/disable").statusCode(), "the last admin stays");
        assertEquals(409, admin.post("/users/admin/delete").statusCode(), "the last admin stays");
        assertEquals(200, admin.post("/users/dana/delete").statusCode());
        assertTrue(gantry.security.user("dana").isEmpty());
        assertEquals(404, admin.get("/users/dana").statusCode());
    }

    @Test
    void credentialsAreListedWithoutSecretsAndManagedPerScope() {
        Session admin = admin();
        gantry.send("PUT", "api/v1/folders/ops", Map.of("description", "ops"));
        HttpResponse<String> c = admin.post("/credentials/new", "folder", "", "type", "string", "id", "deploy-token",
                "description", IMG + SCRIPT_TAG, "field.secret", "hunter2-the-secret");
        assertEquals(201, c.statusCode(), c.body());
        String list = admin.get("/credentials").body();
        assertTrue(list.contains("deploy-token"), list);
        escaped(list, IMG, SCRIPT_TAG);
        assertFalse(list.contains("hunter2"), "never the secret");
        String edit = admin.get("/credentials/edit?folder=&id=deploy-token").body();
        assertFalse(edit.contains("hunter2"), "never the secret: " + edit);
        escaped(edit, IMG, SCRIPT_TAG);

        HttpResponse<String> updated = admin.post("/credentials/edit", "folder", "", "id", "deploy-token", "description", "rotated", "field.secret", "");
        assertEquals(200, updated.statusCode(), updated.body());
        var lookup = gantry.controller.secrets().orElseThrow().credentials().lookup("any", 1);
        assertEquals("hunter2-the-secret", lookup.find("deploy-token").fields().get("secret"), "an empty secret field keeps the stored one");
        admin.post("/credentials/edit", "folder", "", "id", "deploy-token", "field.secret", "new-secret-value");
        assertEquals("new-secret-value", gantry.controller.secrets().orElseThrow().credentials().lookup("any", 2).find("deploy-token").fields().get("secret"));
        String used = admin.get("/credentials/edit?folder=&id=deploy-token").body();
        assertTrue(used.contains("href=\"/job/any/~2\""), "the builds that used it: " + used);

        assertEquals(400, admin.post("/credentials/new", "folder", "", "type", "usernamePassword", "id", "db", "field.username", "u").statusCode(),
                "the password is required");
        assertEquals(201, admin.post("/credentials/new", "folder", "ops", "type", "usernamePassword", "id", "db", "field.username", "db-user",
                "field.password", "db-password-value").statusCode());
        String db = admin.get("/credentials/edit?folder=ops&id=db").body();
        assertTrue(db.contains("value=\"db-user\""), "the user name is no secret: " + db);
        assertFalse(db.contains("db-password-value"), "the password is: " + db);
        assertEquals(201, admin.post("/credentials/new", "folder", "", "type", "sshUserPrivateKey", "id", "key", "field.username", "git",
                "field.privateKey", "-----BEGIN OPENSSH PRIVATE KEY-----\r\nabc\r\n-----END OPENSSH PRIVATE KEY-----\r\n").statusCode());
        assertEquals("-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n",
                gantry.controller.secrets().orElseThrow().credentials().lookup("x", 1).find("key").fields().get("privateKey"));
        HttpResponse<String> file = admin.multipart("/credentials/new", Map.of("folder", "", "type", "file", "id", "settings",
                "description", "maven", "field.fileName", "", "field.upload.content", "file:settings.xml:<settings/>"));
        assertEquals(201, file.statusCode(), file.body());
        var settings = gantry.controller.secrets().orElseThrow().credentials().lookup("x", 1).find("settings").fields();
        assertEquals("settings.xml", settings.get("fileName"), "named after the upload");
        assertEquals("<settings/>", new String(java.util.Base64.getDecoder().decode(settings.get("contentBase64")), StandardCharsets.UTF_8));
        assertEquals(201, admin.multipart("/credentials/new", Map.of("folder", "", "type", "certificate", "id", "cert",
                "field.upload.keystore", "file:ks.p12:binary", "field.password", "pw")).statusCode());
        assertTrue(admin.get("/credentials/new?type=file").body().contains("enctype=\"multipart/form-data\""));

        newUser("olga", "olga-password-1", Role.OPERATOR, "ops");
        Session olga = signIn("olga", "olga-password-1");
        String hers = olga.get("/credentials").body();
        assertTrue(hers.contains("Folder ops") && hers.contains(">db<"), hers);
        assertFalse(hers.contains("deploy-token"), "only the folder she manages: " + hers);
        assertTrue(olga.get("/").body().contains("href=\"/credentials\""), "the menu links the page");
        assertEquals(403, olga.post("/credentials/new", "folder", "", "type", "string", "id", "x", "field.secret", "s").statusCode());
        assertEquals(403, olga.get("/credentials/edit?folder=&id=deploy-token").statusCode());
        assertEquals(403, olga.post("/credentials/delete", "folder", "", "id", "deploy-token").statusCode());
        assertEquals(201, olga.post("/credentials/new", "folder", "ops", "type", "string", "id", "x", "field.secret", "s").statusCode());
        assertEquals(200, olga.post("/credentials/delete", "folder", "ops", "id", "x").statusCode());
        assertEquals(404, admin.post("/credentials/delete", "folder", "", "id", "gone").statusCode());
    }

    @Test
    void scriptApprovalsShowWhoAskedAndAreDecidedAndRevoked() {
        Session admin = admin();
        String signature = "method java.lang.String " + IMG;
        gantry.controller.secrets().orElseThrow().approvals().policyFor("team/app", 1).rejected(signature, true, "Jenkinsfile:3 " + SCRIPT_TAG);
        gantry.controller.secrets().orElseThrow().approvals().policyFor("team/app", 1).rejected("method java.lang.Runtime exec", true, "Jenkinsfile");
        String page = admin.get("/script-approvals").body();
        escaped(page, IMG, SCRIPT_TAG);
        assertTrue(page.contains("href=\"/job/team/app/~1\""), page);
        assertEquals(200, admin.post("/script-approvals/decide", "signature", signature, "decision", "approve").statusCode());
        assertEquals(200, admin.post("/script-approvals/decide", "signature", "method java.lang.Runtime exec", "decision", "deny").statusCode());
        var approvals = gantry.controller.secrets().orElseThrow().approvals();
        assertEquals("APPROVED", approvals.find(signature).orElseThrow().status());
        assertEquals("DENIED", approvals.find("method java.lang.Runtime exec").orElseThrow().status());
        assertTrue(approvals.policyFor("team/app", 2).isApproved(signature.replace("  ", " ")));
        assertEquals(200, admin.post("/script-approvals/revoke", "signature", signature).statusCode());
        assertTrue(approvals.find(signature).isEmpty());
        assertEquals(400, admin.post("/script-approvals/decide", "signature", "not a signature at all", "decision", "approve").statusCode());

        gantry.putJob("encode", "node {\n  echo 'start'\n  echo java.util.Base64.getEncoder().encodeToString('hi'.bytes)\n}\n");
        int n = gantry.trigger("encode");
        assertEquals("FAILURE", gantry.completed("encode", n).get("result").asText());
        String asked = admin.get("/script-approvals").body();
        int row = asked.indexOf("staticMethod java.util.Base64 getEncoder");
        assertTrue(row > 0, asked);
        String cells = asked.substring(row, asked.indexOf("</tr>", row));
        assertTrue(cells.contains("href=\"/job/encode/~" + n + "\"") && cells.contains("encode, line 3"), "the build and the line that asked: " + cells);
    }

    @Test
    void theAuditLogIsPagedFilteredAndEscaped() {
        Session admin = admin();
        for (int i = 0; i < 60; i++) {
            gantry.security.audit().record("robot", "test.page", "t" + i, i == 59 ? IMG : "");
        }
        String first = admin.get("/audit?actor=robot").body();
        escaped(first, IMG);
        assertTrue(first.indexOf(">t59<") < first.indexOf(">t58<"), "newest first");
        assertFalse(first.contains(">t9<"), "50 a page");
        assertTrue(first.contains("href=\"/audit?page=1&amp;actor=robot\""), first);
        String second = admin.get("/audit?page=1&actor=robot").body();
        assertTrue(second.contains(">t9<") && !second.contains(">t10<"), second);
        String tokens = admin.get("/audit?action=login").body();
        assertFalse(tokens.contains("test.page"), "filtered by action");
    }

    @Test
    void viewersAndAnonymousUsersCannotReachTheAdministrationPages() {
        newUser("vic", "vic-password-1", Role.VIEWER, "");
        Session vic = signIn("vic", "vic-password-1");
        for (String page : List.of("/users", "/users/admin", "/credentials", "/credentials/new?type=string", "/credentials/edit?folder=&id=x",
                "/script-approvals", "/audit")) {
            HttpResponse<String> r = vic.get(page);
            assertEquals(403, r.statusCode(), page + ": " + r.body());
            assertEquals(303, gantry.sendText(gantry.anonymous(page).GET().build()).statusCode(), page);
        }
        assertEquals(200, vic.get("/account").statusCode(), "everyone has an account page");
        assertEquals(303, gantry.sendText(gantry.anonymous("/account").GET().build()).statusCode(), "but only once signed in");
        String dashboard = vic.get("/").body();
        for (String link : List.of("/users", "/credentials", "/script-approvals", "/audit")) {
            assertFalse(dashboard.contains("href=\"" + link + "\""), "no link to " + link);
        }
        assertTrue(dashboard.contains("href=\"/account\""));
        String adminDashboard = admin().get("/").body();
        for (String link : List.of("/users", "/credentials", "/script-approvals", "/audit")) {
            assertTrue(adminDashboard.contains("href=\"" + link + "\""), "a link to " + link);
        }
        assertEquals(403, vic.post("/users", "name", "mallory", "password", "mallory-password").statusCode());
        assertTrue(gantry.security.user("mallory").isEmpty());
    }
}
