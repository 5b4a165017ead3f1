package dev.gantry.engine.web.ui;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium through its own chromedriver, for the UI's browser tests and the
 * screenshots: both paths are given, so Selenium Manager never looks anything up or downloads.
 * Without them the tests are skipped with a notice, except under {@code CI=true}, where they fail.
 */
final class Browser {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
    }

    /** Skips the calling test (or fails it under CI=true) when chromium or chromedriver is missing. */
    static void assumeInstalled() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (present) {
            return;
        }
        String why = "browser tests need " + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true: " + why);
        }
        System.err.println("NOTICE: skipping the web UI's browser tests: " + why);
        Assumptions.assumeTrue(false, why);
    }

    /**
     * Signs {@code browser} in through the real login form, as admin of the fixture: opens
     * {@code path}, which sends it to the login page, and waits until it is back on {@code path}.
     */
    static void signIn(org.openqa.selenium.WebDriver browser, dev.gantry.engine.testing.ControllerFixture gantry, String path) {
        browser.get(gantry.url + (path.startsWith("/") ? path.substring(1) : path));
        new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(30))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/login?from="));
        browser.findElement(org.openqa.selenium.By.id("username")).sendKeys("admin");
        browser.findElement(org.openqa.selenium.By.id("password")).sendKeys(dev.gantry.engine.testing.ControllerFixture.ADMIN_PASSWORD);
        browser.findElement(org.openqa.selenium.By.cssSelector("form button[type=submit]")).click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> !d.getCurrentUrl().contains("/login") && d.getCurrentUrl().endsWith(path));
    }

    /**
     * A new headless browser of {@code width} x {@code height} pixels that downloads into
     * {@code downloads} (null: the default); the caller quits it.
     */
    static ChromeDriver start(int width, int height, Path downloads) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=" + width + "," + height,
                "--disable-gpu", "--no-first-run", "--disable-extensions", "--force-color-profile=srgb");
        if (downloads != null) {
            options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toAbsolutePath().toString(),
                    "download.prompt_for_download", false));
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }
}
