package dev.gantry.engine.web.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.testing.ControllerFixture;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job configuration form beyond the script (SCM, triggers, options), a test's history across
 * builds and the console's step blocks, over plain HTTP as a browser without JavaScript sees them.
 */
class JobPagesTest {
    private static final String XSS = "<img src=x onerror=alert(1)>";
    private static final String ESCAPED = "&lt;img src=x onerror=alert(1)&gt;";
    private static final String TESTED = """
            pipeline {
                agent any
                parameters { booleanParam(name: 'FAIL', defaultValue: false) }
                stages {
                    stage('Test') {
                        steps {
                            echo 'before <img src=x onerror=alert(1)>'
                            script {
                                def failure = params.FAIL ? '<failure message="boom &lt;img src=x onerror=alert(1)&gt;">trace</failure>' : ''
                                writeFile file: 'r/TEST-a.xml', text: '<testsuite name="a"><testcase classname="shop.Cart" name="&lt;img src=x onerror=alert(1)&gt;" time="0.25">' + failure + '</testcase><testcase classname="shop.Cart" name="other" time="0.01"/></testsuite>'
                            }
                            junit 'r/*.xml'
                        }
                    }
                }
            }
            """;
    @TempDir
    static Path home;
    static ControllerFixture gantry;

    @BeforeAll
    static void start() throws Exception {
        gantry = ControllerFixture.in(home).triggers(Clock.systemDefaultZone()).start();
        gantry.putJob("shop/cart", TESTED);
        gantry.completed("shop/cart", gantry.triggerWith("shop/cart", Map.of("FAIL", "false")));
        gantry.completed("shop/cart", gantry.triggerWith("shop/cart", Map.of("FAIL", "true")));
        gantry.completed("shop/cart", gantry.triggerWith("shop/cart", Map.of("FAIL", "false")));
        assertEquals(201, gantry.send("POST", "/api/v1/credentials", Map.of("id", "git-login", "type", "usernamePassword",
                "description", "the forge", "fields", Map.of("username", "ci", "password", "s3cret"))).statusCode());
        gantry.putJob("shop/config", "pipeline { agent any\n stages { stage('a') { steps { echo 'x' } } } }\n");
    }

    @AfterAll
    static void stop() {
        gantry.close();
    }

    private static HttpResponse<String> page(String path) {
        HttpResponse<String> r = gantry.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertFalse(r.body().contains(XSS), path + " shows the payload unescaped");
        assertFalse(r.body().contains("<script>"), path + " has an inline script");
        return r;
    }

    private static HttpResponse<String> post(String path, Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> b.append(b.length() > 0 ? "&" : "").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        try {
            return gantry.client.send(gantry.request(path).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(b.toString())).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError("POST " + path + ": " + e, e);
        }
    }

    private static long version(String job) {
        return gantry.json("api/v1/jobs/" + job).get("version").asLong();
    }

    /** The form as the configuration page sends it for an SCM job with triggers and options. */
    private static Map<String, String> scmForm(long version, String cron) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("version", Long.toString(version));
        f.put("description", "built from git");
        f.put("source", "scm");
        f.put("script", "");
        f.put("scm.url", "https://git.example.com/shop/config.git");
        f.put("scm.branch", "main");
        f.put("scm.path", "ci/Jenkinsfile");
        f.put("scm.credentialsId", "git-login");
        f.put("cron", cron);
        f.put("pollSCM", "H/15 * * * *");
        f.put("upstream", "cart");
        f.put("threshold", "UNSTABLE");
        f.put("quietPeriod", "5");
        f.put("concurrency", "abort");
        f.put("numToKeep", "10");
        f.put("daysToKeep", "");
        f.put("artifactNumToKeep", "2");
        f.put("artifactDaysToKeep", "");
        return f;
    }

    /** The text of the inline error shown beside the field {@code id}, or null. */
    private static String fieldError(String body, String id) {
        Matcher m = Pattern.compile("<div class=\"field-error\" id=\"err-" + Pattern.quote(id) + "\" role=\"alert\">(.*?)</div>", Pattern.DOTALL).matcher(body);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void configPageOffersScmTriggersOptionsAndTheCredentialsTheJobSees() {
        String body = page("/job/shop/config/~config").body();
        for (String field : new String[] {"name=\"scm.url\"", "name=\"scm.branch\"", "name=\"scm.path\"", "name=\"cron\"", "name=\"pollSCM\"",
                "name=\"upstream\"", "name=\"threshold\"", "name=\"quietPeriod\"", "name=\"concurrency\"", "name=\"numToKeep\""}) {
            assertTrue(body.contains(field), field + " in " + body);
        }
        assertTrue(body.contains("<option value=\"git-login\">git-login (usernamePassword, global: the forge)</option>"), body);
        assertFalse(body.contains("s3cret"), "never a credential's secret");
    }

    @Test
    void aBadCronIsShownAtItsFieldTheFormKeepsTheInputAndNothingIsSaved() {
        long before = version("shop/config");
        HttpResponse<String> r = post("/job/shop/config/~config", scmForm(before, "H 25 * * *"));
        assertEquals(400, r.statusCode(), r.body());
        String error = fieldError(r.body(), "cron");
        assertTrue(error != null && error.contains("Invalid cron spec") && error.contains("hour"), r.body());
        assertTrue(r.body().contains("aria-invalid=\"true\"") && r.body().contains(">H 25 * * *</textarea>"), "the cron typed stays: " + r.body());
        assertTrue(r.body().contains("value=\"https://git.example.com/shop/config.git\""), "the other fields stay as typed");
        assertTrue(r.body().contains("<option value=\"git-login\" selected>"), r.body());
        assertEquals(before, version("shop/config"), "nothing saved");
    }

    @Test
    void savedScmTriggersAndOptionsAreTheJobsDefinitionOverRest() throws Exception {
        gantry.putJob("shop/saved", "pipeline { agent any\n stages { stage('a') { steps { echo 'x' } } } }\n");
        HttpResponse<String> r = post("/job/shop/saved/~config", scmForm(version("shop/saved"), "H 4 * * 1-5"));
        assertEquals(303, r.statusCode(), r.body());
        JsonNode job = gantry.json("api/v1/jobs/shop/saved");
        assertEquals("https://git.example.com/shop/config.git", job.at("/scm/url").asText(), job.toString());
        assertEquals("main", job.at("/scm/branch").asText());
        assertEquals("ci/Jenkinsfile", job.at("/scm/path").asText());
        assertEquals("git-login", job.at("/scm/credentialsId").asText());
        assertEquals("H 4 * * 1-5", job.at("/triggers/cron").asText(), job.toString());
        assertEquals("H/15 * * * *", job.at("/triggers/pollSCM").asText());
        assertEquals("cart", job.at("/triggers/upstream/upstreamProjects").asText());
        assertEquals("UNSTABLE", job.at("/triggers/upstream/threshold").asText());
        assertEquals(5, job.at("/options/quietPeriod").asInt());
        assertTrue(job.at("/options/disableConcurrentBuilds/abortPrevious").asBoolean(), job.toString());
        assertEquals(10, job.at("/options/buildDiscarder/numToKeep").asInt());
        // The page shows the stored definition again, as saved.
        String again = page("/job/shop/saved/~config?saved").body();
        assertTrue(again.contains(">H 4 * * 1-5</textarea>") && again.contains("id=\"src-scm\" name=\"source\" value=\"scm\" checked"), again);
        assertTrue(again.contains("<option value=\"abort\" selected>"), again);
    }

    @Test
    void theSecondOfTwoEditorsGetsAConflictAndKeepsWhatTheyTyped() {
        gantry.putJob("shop/twice", "pipeline { agent any\n stages { stage('a') { steps { echo 'x' } } } }\n");
        long read = version("shop/twice");
        Map<String, String> first = scmForm(read, "H 1 * * *");
        assertEquals(303, post("/job/shop/twice/~config", first).statusCode());
        Map<String, String> second = scmForm(read, "H 2 * * *");
        second.put("scm.url", "https://git.example.com/other.git");
        HttpResponse<String> r = post("/job/shop/twice/~config", second);
        assertEquals(409, r.statusCode(), r.body());
        assertTrue(r.body().contains("Someone else saved this job") && r.body().contains("nothing was saved"), r.body());
        assertTrue(r.body().contains(">H 2 * * *</textarea>") && r.body().contains("value=\"https://git.example.com/other.git\""), r.body());
        assertTrue(r.body().contains("name=\"version\" value=\"" + (read + 1) + "\""), "saving again replaces the newer version: " + r.body());
        assertEquals("H 1 * * *", gantry.json("api/v1/jobs/shop/twice").at("/triggers/cron").asText(), "the first editor's save stands");
    }

    @Test
    void scmFieldsWithMarkupAreShownAsText() {
        Map<String, String> f = scmForm(version("shop/config"), "");
        f.put("scm.url", XSS);
        f.put("scm.branch", XSS);
        f.put("description", XSS);
        HttpResponse<String> r = post("/job/shop/config/~config", f);
        assertEquals(400, r.statusCode(), r.body());
        assertFalse(r.body().contains(XSS), r.body());
        assertTrue(fieldError(r.body(), "scm-url").contains(ESCAPED), r.body());
        assertTrue(fieldError(r.body(), "scm-branch").contains(ESCAPED), r.body());
        assertTrue(r.body().contains("id=\"description\" name=\"description\" value=\"&lt;img src=x onerror=alert(1)>\""),
                "an attribute keeps the markup as text: " + r.body());
    }

    @Test
    void eachTestOfABuildLinksToItsHistoryAcrossBuilds() {
        String build = page("/job/shop/cart/~2").body();
        String history = "/job/shop/cart/~test?class=shop.Cart&amp;name=%3Cimg+src%3Dx+onerror%3Dalert%281%29%3E";
        assertTrue(build.contains("href=\"" + history + "\""), build);
        assertTrue(build.indexOf("Failures") < build.indexOf("Other tests"), "failures first");
        String body = page(history.replace("&amp;", "&")).body();
        assertTrue(body.contains("shop.Cart." + ESCAPED), body);
        assertTrue(body.contains("1 failed, 2 passed, 0 skipped, 0 without this test; last failure in #2."), body);
        assertTrue(body.contains("boom " + ESCAPED), "the failure's message, as text: " + body);
        Matcher rows = Pattern.compile("<tr class=\"(\\w+)\"><td><a href=\"/job/shop/cart/~(\\d)#tests\">").matcher(body);
        StringBuilder seen = new StringBuilder();
        while (rows.find()) {
            seen.append(rows.group(2)).append(':').append(rows.group(1)).append(' ');
        }
        assertEquals("3:success 2:failure 1:success ", seen.toString(), "newest first, with each build's outcome of the test");
        assertTrue(body.contains("<rect class=\"bar failure\""), body);
        assertEquals(404, gantry.get("/job/shop/nope/~test?name=x").statusCode());
    }

    @Test
    void theConsoleFoldsEachStepsOutputIntoDetails() {
        String body = page("/job/shop/cart/~1").body();
        Matcher step = Pattern.compile("<details class=\"step success\" open data-step=\"([^\"]+)\" data-title=\"Test › echo\"><summary>"
                + "<span class=\"title\">Test › echo</span><span class=\"dur\">SUCCESS[^<]*</span></summary><div class=\"line\"[^>]*>.*?before "
                + Pattern.quote(ESCAPED), Pattern.DOTALL).matcher(body);
        assertTrue(step.find(), body);
        String full = page("/job/shop/cart/~1/log?start=0").body();
        assertTrue(full.contains("data-title=\"Test › junit\""), full);
    }

    @Test
    void theLiveStreamSaysWhichStepWroteWhichLines() throws Exception {
        String first = firstEvent("/api/v1/jobs/shop/cart/builds/1/log/stream?steps=true");
        JsonNode event = ControllerFixture.JSON.readTree(first);
        boolean echo = false;
        for (JsonNode s : event.get("steps")) {
            echo |= "Test › echo".equals(s.path("title").asText()) && "SUCCESS".equals(s.path("status").asText());
        }
        assertTrue(echo, event.toString());
        assertFalse(firstEvent("/api/v1/jobs/shop/cart/builds/1/log/stream").contains("\"steps\""), "only on request");
    }

    /**
     * The data of the stream's first log event. The build is complete, so the stream must end by
     * itself after its end event; it is read whole, on a connection of its own. The client is
     * shut down without waiting: {@code HttpClient.close()} waited forever for its selector thread
     * once (JDK 25, after a completed server-sent-events response).
     */
    private static String firstEvent(String path) throws Exception {
        java.net.http.HttpClient own = java.net.http.HttpClient.newHttpClient();
        try {
            HttpResponse<String> r = own.sendAsync(gantry.request(path).build(), HttpResponse.BodyHandlers.ofString())
                    .get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("event: end"), r.body());
            Matcher data = Pattern.compile("^data: (\\{\"start\".*)$", Pattern.MULTILINE).matcher(r.body());
            assertTrue(data.find(), path + " has no log event: " + r.body());
            return data.group(1);
        } finally {
            own.shutdownNow();
        }
    }
}
