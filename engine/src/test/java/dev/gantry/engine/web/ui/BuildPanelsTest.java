package dev.gantry.engine.web.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.plugin.TestPluginJar;
import dev.gantry.engine.testing.ControllerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins' build panels on the build page: sandboxed, escaped, and a failing or slow panel does not break the page. */
class BuildPanelsTest {
    private static final String XSS = "<img src=x onerror=alert(1)>";

    @TempDir
    Path home;

    private static String panel(String cls, String id, String title, String render) {
        return "package demo;\nimport dev.gantry.api.ui.BuildPanel;\nimport java.util.Optional;\n"
                + "@org.pf4j.Extension\npublic class " + cls + " implements BuildPanel {\n"
                + "  public String id() { return \"" + id + "\"; }\n"
                + "  public String title() { return " + title + "; }\n"
                + "  public Optional<String> render(BuildView build) throws RuntimeException {\n" + render + "\n  }\n}\n";
    }

    private void plugin() throws Exception {
        TestPluginJar.plugin("demo", "1.0.0")
                .step("demo.Report", "report", """
                        context.service(dev.gantry.api.report.BuildReports.class).orElseThrow().attach(
                                new dev.gantry.api.report.BuildReport("demo:files", args.string("value"), java.util.Map.of("note", "<b>\\"q\\"</b>"), "x"));
                        return null;
                        """)
                .source("demo.FilesPanel", panel("FilesPanel", "files", "\"Files " + XSS.replace("\"", "\\\"") + "\"", """
                        if (build.reports().isEmpty()) { return Optional.empty(); }
                        StringBuilder html = new StringBuilder("<table style=\\"color: green\\">");
                        for (var r : build.reports()) { html.append("<tr><td>").append(r.name()).append("</td><td>\\"").append(r.summary().get("note")).append("</td></tr>"); }
                        html.append("</table><script>parent.document.title='owned'</script>");
                        return Optional.of(html.toString());
                        """))
                .source("demo.BrokenPanel", panel("BrokenPanel", "broken", "\"Broken\"",
                        "throw new IllegalStateException(\"no data " + XSS.replace("\"", "\\\"") + "\");"))
                .source("demo.SlowPanel", panel("SlowPanel", "slow", "\"Slow\"", """
                        try { new java.util.concurrent.CountDownLatch(1).await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                        return Optional.of("late");
                        """))
                .source("demo.EmptyPanel", panel("EmptyPanel", "empty", "\"Nothing here\"", "return Optional.empty();"))
                .build(home.resolve("plugins"));
    }

    @Test
    void panelsAreShownInSandboxedFramesEscapedAndFailuresNamed() throws Exception {
        plugin();
        try (ControllerFixture c = ControllerFixture.in(home).plugins().start()) {
            c.putJob("app", "report '" + XSS + "'");
            int n = c.trigger("app");
            assertEquals("SUCCESS", c.completed("app", n).path("result").asText(), c.log("app", n));

            long started = System.nanoTime();
            HttpResponse<String> r = c.get("/job/app/~" + n);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(200, r.statusCode());
            assertTrue(millis < BuildPanels.LIMIT_MILLIS + 5_000, "the slow panel held the page for " + millis + " ms");
            String page = r.body();

            assertFalse(page.contains(XSS), "nothing a plugin or a build wrote reaches the page as markup");
            assertTrue(page.contains("<h2>Files &lt;img src=x onerror=alert(1)&gt;</h2>"), page);
            Matcher frame = Pattern.compile("<iframe ([^\\n]*?)></iframe>").matcher(page);
            assertTrue(frame.find(), page);
            String attrs = frame.group(1);
            assertTrue(attrs.startsWith("class=\"plugin-panel\" sandbox=\"\" "), attrs);
            assertFalse(attrs.contains("allow-"), attrs);
            Matcher srcdoc = Pattern.compile("srcdoc=\"([^\"]*)\"").matcher(attrs);
            assertTrue(srcdoc.find(), attrs);
            String doc = srcdoc.group(1);
            assertFalse(doc.contains("<"), "the frame's document is attribute-escaped: " + doc);
            String decoded = doc.replace("&#34;", "\"").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            assertEquals("<table style=\"color: green\"><tr><td>" + XSS + "</td><td>\"<b>\"q\"</b></td></tr></table>"
                    + "<script>parent.document.title='owned'</script>", decoded, "the panel's HTML, whole, inside the sandbox");
            assertFalse(frame.find(), "one frame: the broken, slow and empty panels have none");

            assertTrue(page.contains("panel broken of plugin demo failed: IllegalStateException: no data &lt;img src=x onerror=alert(1)&gt;"), page);
            assertTrue(page.contains("panel slow of plugin demo failed: it did not render within " + BuildPanels.LIMIT_MILLIS + " ms"), page);
            assertFalse(page.contains("Nothing here"), "a panel with nothing to show is left out");

            String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertTrue(csp.contains("script-src 'self'") && csp.contains("style-src 'self' 'unsafe-inline'") && !csp.contains("frame-src"), csp);
        }
    }

    @Test
    void aBuildPageWithoutPanelsKeepsTheStrictPolicy() throws Exception {
        try (ControllerFixture c = ControllerFixture.start(home, 1)) {
            c.putJob("plain", "echo 'hi'");
            int n = c.trigger("plain");
            c.completed("plain", n);
            HttpResponse<String> r = c.get("/job/plain/~" + n);
            assertEquals(200, r.statusCode());
            assertFalse(r.body().contains("<iframe"));
            assertEquals(UiServlet.CSP, r.headers().firstValue("Content-Security-Policy").orElseThrow());
        }
    }
}
