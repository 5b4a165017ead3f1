package dev.gantry.engine.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.plugin.TestPluginJar;
import dev.gantry.engine.testing.ControllerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports a plugin step attaches to a controller build: over REST, in the build's detail, and after a restart. */
class ReportsApiTest {
    @TempDir
    Path home;

    static final String ATTACH = """
            dev.gantry.api.report.BuildReports reports = context.service(dev.gantry.api.report.BuildReports.class)
                    .orElseThrow(() -> new StepFailedException("no BuildReports in this build"));
            String name = args.string("value");
            Object data = name.equals("bad") ? java.util.Map.of("files", java.util.List.of("a", new Object())) : java.util.Map.of("files", java.util.List.of("a.txt", "b.txt"));
            reports.attach(new dev.gantry.api.report.BuildReport("demo:files", name, java.util.Map.of("count", name.length()), data));
            return reports.list().size();
            """;

    static void reportingPlugin(Path home) throws Exception {
        TestPluginJar.plugin("demo", "1.0.0").step("demo.Report", "report", ATTACH).build(home.resolve("plugins"));
    }

    @Test
    void reportsAreListedFetchedShownInTheBuildAndKeptAcrossARestart() throws Exception {
        reportingPlugin(home);
        try (ControllerFixture c = ControllerFixture.in(home).plugins().start()) {
            c.putJob("rep", "node { report 'unit'\n report 'integration'\n def n = report 'unit'\n echo \"reports: ${n}\" }");
            int n = c.trigger("rep");
            JsonNode b = c.completed("rep", n);
            assertEquals("SUCCESS", b.path("result").asText(), c.log("rep", n));
            assertTrue(c.log("rep", n).contains("reports: 2"), "attaching the same kind and name again replaces it");
            JsonNode detail = c.json("/api/v1/jobs/rep/builds/" + n);
            assertEquals("[{\"kind\":\"demo:files\",\"name\":\"unit\",\"summary\":{\"count\":4}},"
                    + "{\"kind\":\"demo:files\",\"name\":\"integration\",\"summary\":{\"count\":11}}]", detail.path("reports").toString());
        }
        try (ControllerFixture c = ControllerFixture.in(home).plugins().start()) {
            JsonNode list = c.json("/api/v1/jobs/rep/builds/1/reports");
            assertEquals(2, list.path("reports").size(), list.toString());
            assertEquals("integration", list.path("reports").get(1).path("name").asText());
            JsonNode one = c.json("/api/v1/jobs/rep/builds/1/reports/demo:files/unit");
            assertEquals("{\"kind\":\"demo:files\",\"name\":\"unit\",\"summary\":{\"count\":4},\"data\":{\"files\":[\"a.txt\",\"b.txt\"]}}", one.toString());

            HttpResponse<String> missing = c.get("/api/v1/jobs/rep/builds/1/reports/demo:files/nope");
            assertEquals(404, missing.statusCode());
            assertTrue(ControllerFixture.parse(missing).path("message").asText().contains("has no report of kind 'demo:files' named 'nope'"), missing.body());
            assertEquals(404, c.get("/api/v1/jobs/rep/builds/7/reports").statusCode());
            assertEquals(404, c.get("/api/v1/jobs/nojob/builds/1/reports").statusCode());
        }
    }

    @Test
    void aReportThatIsNotJsonFailsTheStepNamingWhere() throws Exception {
        reportingPlugin(home);
        try (ControllerFixture c = ControllerFixture.in(home).plugins().start()) {
            c.putJob("bad", "node { report 'fine'\n report 'bad' }");
            int n = c.trigger("bad");
            assertEquals("FAILURE", c.completed("bad", n).path("result").asText());
            String log = c.log("bad", n);
            assertTrue(log.contains("the report demo:files/bad has a java.lang.Object at data.files[1]"), log);
            assertEquals("[{\"kind\":\"demo:files\",\"name\":\"fine\",\"summary\":{\"count\":4}}]",
                    c.json("/api/v1/jobs/bad/builds/" + n).path("reports").toString());
        }
    }

    @Test
    void aBuildWithoutReportsHasAnEmptyList() throws Exception {
        try (ControllerFixture c = ControllerFixture.start(home, 1)) {
            c.putJob("plain", "echo 'hi'");
            int n = c.trigger("plain");
            c.completed("plain", n);
            assertEquals("{\"reports\":[]}", c.json("/api/v1/jobs/plain/builds/" + n + "/reports").toString());
            assertEquals("[]", c.json("/api/v1/jobs/plain/builds/" + n).path("reports").toString());
        }
    }
}
