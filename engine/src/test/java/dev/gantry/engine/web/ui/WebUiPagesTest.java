package dev.gantry.engine.web.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.testing.ControllerFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UI's pages over plain HTTP, as a browser with JavaScript off sees them. */
class WebUiPagesTest {
    private static final String XSS = "<img src=x onerror=alert(1)>";
    @TempDir
    static Path home;
    static ControllerFixture gantry;

    @BeforeAll
    static void start() throws Exception {
        gantry = ControllerFixture.in(home).agents(Duration.ofSeconds(30)).start();
        gantry.putJob("team/app", """
                pipeline {
                    agent any
                    parameters { string(name: 'WHO', defaultValue: 'world', description: 'whom to greet') }
                    stages {
                        stage('<img src=x onerror=alert(1)>') { steps { echo "hello ${params.WHO}" } }
                        stage('Test') {
                            parallel {
                                stage('Unit') { steps { echo '\\u001b[31mred\\u001b[0m plain' } }
                                stage('Lint') { steps { writeFile file: 'out/a.txt', text: 'artifact'; archiveArtifacts artifacts: 'out/*.txt' } }
                            }
                        }
                    }
                }
                """);
        int n = gantry.triggerWith("team/app", Map.of("WHO", XSS));
        gantry.completed("team/app", n);
    }

    @AfterAll
    static void stop() {
        gantry.close();
    }

    /** POSTs an urlencoded form; redirects are not followed. */
    static HttpResponse<String> form(String path, String body) {
        try {
            return gantry.client.send(gantry.request(path).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError("POST " + path + ": " + e, e);
        }
    }

    private static HttpResponse<String> page(String path) {
        HttpResponse<String> r = gantry.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), path);
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"), path);
        assertFalse(r.body().contains(XSS), path + " shows the payload unescaped");
        assertFalse(r.body().contains("<script>"), path + " has an inline script");
        assertFalse(java.util.regex.Pattern.compile("<[a-zA-Z][^<>]*\\son[a-z]+\\s*=").matcher(r.body().replaceAll("=\"[^\"]*\"", "=\"\"")).find(), path + " has an inline event handler");
        return r;
    }

    @Test
    void dashboardListsFoldersJobsAndAgents() {
        String body = page("/").body();
        assertTrue(body.contains("href=\"/folder/team\""), body);
        assertTrue(body.contains("built-in"), body);
        String folder = page("/folder/team").body();
        assertTrue(folder.contains("href=\"/job/team/app\""), folder);
        assertTrue(folder.contains("SUCCESS"), folder);
    }

    @Test
    void buildPageEscapesStageNamesParametersAndLogLines() {
        String body = page("/job/team/app/~1").body();
        assertTrue(body.contains("&lt;img src=x onerror=alert(1)&gt;"), body);
        assertTrue(body.contains("hello &lt;img"), "the log line is shown as text: " + body);
        assertTrue(body.contains("class=\"a-f1\">red</span>"), "ANSI red becomes a class: " + body);
        assertTrue(body.contains("data-stage=\"Unit\""), body);
        assertTrue(body.contains("/api/v1/jobs/team/app/builds/1/artifacts/out/a.txt"), body);
    }

    @Test
    void jobPageHasHistoryChartAndParametersForm() {
        String body = page("/job/team/app").body();
        assertTrue(body.contains("<svg"), body);
        assertTrue(body.contains("name=\"WHO\""), body);
        assertTrue(body.contains("value=\"world\""), body);
        assertTrue(body.contains("href=\"/job/team/app/~1\""), body);
    }

    @Test
    void buildFormTriggersWithParametersAndRedirectsToTheBuild() {
        HttpResponse<String> r = form("/job/team/app/~build", ("WHO=form"));
        assertEquals(303, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        int number = Integer.parseInt(location.substring(location.lastIndexOf('~') + 1));
        gantry.completed("team/app", number);
        assertTrue(gantry.log("team/app", number).contains("hello form"));
    }

    @Test
    void configPageShowsTheLintersProblemsInlineAndSavesNothing() {
        HttpResponse<String> r = form("/job/team/app/~config", ("script=" + java.net.URLEncoder.encode(
                        "pipeline {\n  agent any\n  stages { stage('a') { steps { ech 'x' } } }\n}\n", java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("class=\"problem\""), r.body());
        assertTrue(r.body().contains("did you mean"), r.body());
        assertTrue(gantry.json("api/v1/jobs/team/app").get("script").asText().contains("parallel"));
    }

    @Test
    void fullLogIsPagedAndStepLogsOpen() {
        String body = page("/job/team/app/~1/log?start=0").body();
        assertTrue(body.contains("hello &lt;img"), body);
        String step = page("/job/team/app/~1").body();
        int at = step.indexOf("/job/team/app/~1/step?id=");
        String href = step.substring(at, step.indexOf('"', at)).replace("&amp;", "&");
        assertTrue(page(href).body().contains("class=\"line\""), href);
    }

    @Test
    void aLogPageStartsAtTheFirstWholeLineOfItsRange() {
        java.util.regex.Pattern anchor = java.util.regex.Pattern.compile("class=\"line\" id=\"o(\\d+)\"");
        java.util.regex.Matcher m = anchor.matcher(page("/job/team/app/~1/log?start=0").body());
        assertTrue(m.find() && m.find(), "two lines at least");
        long second = Long.parseLong(m.group(1));
        java.util.regex.Matcher at = anchor.matcher(page("/job/team/app/~1/log?start=" + second).body());
        assertTrue(at.find());
        assertEquals(second, Long.parseLong(at.group(1)), "a page starting at a line's first byte begins with that line");
        java.util.regex.Matcher inside = anchor.matcher(page("/job/team/app/~1/log?start=" + (second + 1)).body());
        assertTrue(inside.find());
        assertTrue(Long.parseLong(inside.group(1)) > second, "a page starting inside a line begins with the next one");
    }

    @Test
    void agentsPluginsAndSystemPagesRender() {
        page("/agents");
        page("/plugins");
        String system = page("/system").body();
        assertTrue(system.contains("href=\"/metrics\""), system);
        assertTrue(system.contains(home.toAbsolutePath().toString()) || system.contains("Home"), system);
    }

    @Test
    void addingAnAgentShowsItsSecretOnce() {
        HttpResponse<String> r = form("/agents", ("name=linux-1&labels=linux+docker&executors=2"));
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(r.body().contains("gantry agent --url"), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        assertFalse(page("/agents").body().contains("id=\"secret\""));
    }

    @Test
    void unknownPagesAndBuildsAnswer404AsHtml() {
        HttpResponse<String> r = gantry.get("/job/team/nope");
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("there is no job"), r.body());
        assertEquals(404, gantry.get("/job/team/app/~999").statusCode());
        assertEquals(200, gantry.get("/static/ui.js").statusCode());
        assertEquals(404, gantry.get("/static/secret.txt").statusCode());
    }
}
