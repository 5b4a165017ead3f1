package dev.gantry.engine.web.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.plugin.TestPluginJar;
import dev.gantry.engine.testing.ControllerFixture;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Plugin build panels in real headless Chromium: the example plugin's checksum panel (compiled
 * from its sources in {@code plugins/example-plugin}) renders its table inside the sandboxed
 * frame, while a hostile panel's scripts and event handlers do nothing and its frame cannot reach
 * the page around it.
 */
class PluginPanelBrowserTest {
    private static final Path EXAMPLE_SOURCES = Path.of("../plugins/example-plugin/src/main/java/dev/gantry/plugins/checksum");
    private static final String HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    @TempDir
    Path home;

    /** The example plugin, built from its own sources as they are in this checkout. */
    private void examplePlugin() throws Exception {
        TestPluginJar jar = TestPluginJar.plugin("checksum", "1.0.0");
        try (DirectoryStream<Path> sources = Files.newDirectoryStream(EXAMPLE_SOURCES.toAbsolutePath().normalize(), "*.java")) {
            for (Path s : sources) {
                String name = s.getFileName().toString();
                jar.source("dev.gantry.plugins.checksum." + name.substring(0, name.length() - ".java".length()), Files.readString(s));
            }
        }
        jar.build(home.resolve("plugins"));
    }

    /** A panel that tries everything a panel must not be able to do. */
    private void hostilePlugin() throws Exception {
        TestPluginJar.plugin("hostile", "1.0.0").source("hostile.Panel", """
                package hostile;
                import dev.gantry.api.ui.BuildPanel;
                import java.util.Optional;
                @org.pf4j.Extension
                public class Panel implements BuildPanel {
                  public String id() { return "hostile"; }
                  public String title() { return "Hostile"; }
                  public Optional<String> render(BuildView build) {
                    return Optional.of("<p id=\\"text\\">hostile panel of build " + build.number() + "</p>"
                        + "<script>document.getElementById('text').textContent = 'script ran'; alert('script');"
                        + " parent.document.title = 'owned'; parent.document.body.setAttribute('data-owned', 'script');</script>"
                        + "<img id=\\"img\\" src=\\"x\\" onerror=\\"document.getElementById('text').textContent = 'handler ran'; alert('onerror');"
                        + " parent.document.body.setAttribute('data-owned', 'onerror')\\">");
                  }
                }
                """).build(home.resolve("plugins"));
    }

    @Test
    void theChecksumPanelRendersInItsFrameAndAHostilePanelCanNeitherRunScriptsNorReachThePage() throws Exception {
        Browser.assumeInstalled();
        examplePlugin();
        hostilePlugin();
        try (ControllerFixture gantry = ControllerFixture.in(home).plugins().start()) {
            gantry.putJob("sums", "node {\n  writeFile file: 'a.txt', text: 'hello'\n  writeChecksum 'a.txt'\n}\n");
            int n = gantry.trigger("sums");
            assertEquals("SUCCESS", gantry.completed("sums", n).path("result").asText(), gantry.log("sums", n));

            ChromeDriver browser = Browser.start(1280, 900, null);
            try {
                String path = "/job/sums/~" + n;
                Browser.signIn(browser, gantry, path);
                String title = browser.getTitle();
                List<WebElement> frames = browser.findElements(By.cssSelector("iframe.plugin-panel"));
                assertEquals(2, frames.size(), browser.getPageSource());
                WebElement checksums = frame(frames, "Checksums");
                WebElement hostile = frame(frames, "Hostile");
                for (WebElement f : frames) {
                    assertEquals("", f.getAttribute("sandbox"), "sandboxed, nothing allowed");
                }

                browser.switchTo().frame(checksums);
                WebElement table = new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.findElement(By.tagName("table")));
                List<WebElement> cells = table.findElements(By.cssSelector("tbody td"));
                assertEquals(List.of("a.txt", HELLO_SHA256), cells.stream().map(WebElement::getText).toList());
                assertEquals("File", table.findElement(By.cssSelector("thead th")).getText());
                browser.switchTo().defaultContent();

                browser.switchTo().frame(hostile);
                WebElement text = new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("text")));
                // The broken image has had its chance to fire onerror once it is complete.
                new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> Boolean.TRUE.equals(
                        ((ChromeDriver) d).executeScript("return document.getElementById('img').complete;")));
                assertEquals("hostile panel of build " + n, text.getText(), "neither the script nor the onerror handler ran");
                assertEquals("null", browser.executeScript("return window.origin;"), "the frame has an opaque origin of its own");
                Object reach = browser.executeScript(
                        "try { return 'reached ' + window.parent.document.title; } catch (e) { return 'blocked ' + e.name; }");
                assertEquals("blocked SecurityError", reach, "the frame cannot read the page around it");
                Object cookies = browser.executeScript("try { return 'read ' + document.cookie; } catch (e) { return 'blocked ' + e.name; }");
                assertEquals("blocked SecurityError", cookies, "nor the session's cookies");
                browser.switchTo().defaultContent();

                assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert(), "a panel's script raised an alert");
                assertEquals(title, browser.getTitle(), "the page's title is unchanged");
                assertEquals(null, browser.findElement(By.tagName("body")).getAttribute("data-owned"), "the page is untouched");
                assertTrue(browser.findElements(By.id("text")).isEmpty(), "the panel's markup stays in its frame");
            } finally {
                browser.quit();
            }
        }
    }

    /** The panel frame titled {@code title}. */
    private static WebElement frame(List<WebElement> frames, String title) {
        return frames.stream().filter(f -> title.equals(f.getAttribute("title"))).findFirst()
                .orElseThrow(() -> new AssertionError("no panel frame titled " + title));
    }
}
