package dev.gantry.plugins.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.report.BuildReport;
import dev.gantry.testkit.PluginTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** writeChecksum's report of the build's checksums, and the panel that shows it. */
class ChecksumReportTest {
    private static final String HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    @Test
    void everyChecksumOfTheBuildIsInOneReportAndThePanelShowsThem(@TempDir Path ws) throws Exception {
        Files.writeString(ws.resolve("a.txt"), "hello");
        Files.writeString(ws.resolve("<b>.txt"), "");
        PluginTestKit.TestRun run = PluginTestKit.create().workspace(ws)
                .run("node { writeChecksum 'a.txt'\n writeChecksum '<b>.txt'\n writeChecksum 'a.txt' }")
                .assertSuccess();
        BuildReport report = run.report("checksum:checksums", "sha256");
        assertEquals(Map.of("files", 2), report.summary());
        assertEquals(Map.of("files", List.of(
                        Map.of("file", "<b>.txt", "sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                        Map.of("file", "a.txt", "sha256", HELLO_SHA256))),
                report.data(), "a file digested again is listed once, last");

        String html = run.render(new ChecksumPanel()).orElseThrow();
        assertTrue(html.contains("<td style=\"padding: 2px 12px 2px 0\">a.txt</td><td><code>" + HELLO_SHA256 + "</code></td>"), html);
        assertTrue(html.contains("&lt;b&gt;.txt"), html);
        assertFalse(html.contains("<b>"), html);
    }

    @Test
    void aBuildWithoutChecksumsHasNoPanel() {
        PluginTestKit.TestRun run = PluginTestKit.create().run("echo 'no files'").assertSuccess();
        assertTrue(run.reports().isEmpty());
        assertTrue(run.render(new ChecksumPanel()).isEmpty());
    }
}
