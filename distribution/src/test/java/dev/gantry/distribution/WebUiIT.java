package dev.gantry.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built distribution's controller serves the web UI beside the API (templates and static files packaged). */
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
        Gantry.Server started = Gantry.startServer(dir.resolve("server.log"), List.of("--home", home.toString(), "--port", "0"));
        server = started.process();
        URI base = started.base();
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

    private HttpResponse<String> send(URI base, String method, String path, String type, String body) throws Exception {
        return http.send(Gantry.request(base.resolve(path)).header("Content-Type", type)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aJobsTriggersAndScmAreConfiguredInTheUiTestsHaveAHistoryAndStepsFold() throws Exception {
        Gantry.Server started = Gantry.startServer(dir.resolve("server.log"), List.of("--home", dir.resolve("home").toString(), "--port", "0"));
        server = started.process();
        URI base = started.base();
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
