package dev.gantry.engine.web.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.security.Role;
import dev.gantry.engine.testing.ControllerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The account and administration pages in real headless Chromium: payloads in token names,
 * credential descriptions, script signatures and audit details render as text and run nothing;
 * and one flow as people would go through it (an admin creates a developer with a role on a
 * folder, the developer signs in, creates a token and uses it with the REST API; a viewer is
 * refused the administration pages).
 */
class AdminBrowserTest {
    private static final String IMG = "<img src=x onerror=alert(1)>";
    private static final String SCRIPT_TAG = "\"><script>alert(1)</script>";
    private static final String SCRIPT = "pipeline { agent any\n stages { stage('s') { steps { echo 'hi' } } } }\n";
    @TempDir
    static Path home;
    static ControllerFixture gantry;
    ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Browser.assumeInstalled();
        gantry = ControllerFixture.in(home).start();
        gantry.putJob("team/app", SCRIPT);
        gantry.putJob("other/secret", SCRIPT);
        gantry.security.createUser("vera", "vera-password-1");
        gantry.security.grant("vera", Role.VIEWER, "");
    }

    @AfterAll
    static void stop() {
        if (gantry != null) {
            gantry.close();
        }
    }

    @BeforeEach
    void open() {
        browser = Browser.start(1280, 900, null);
    }

    @AfterEach
    void quit() {
        browser.quit();
    }

    private void go(String path) {
        browser.get(gantry.url + (path.startsWith("/") ? path.substring(1) : path));
    }

    private void signIn(String user, String password) {
        go("/login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.getCurrentUrl().contains("/login"));
        assertEquals(user, browser.findElement(By.id("user-name")).getText());
    }

    private void submit(String formId) {
        browser.findElement(By.cssSelector("#" + formId + " button[type=submit]")).click();
    }

    /** The element, once the page that has it is loaded (a form's answer may still be on its way after the click). */
    private WebElement await(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElements(by).isEmpty() ? null : d.findElements(by).get(0));
    }

    /** Nothing of a payload ran or became markup: no alert, no element it would have made, no script but the UI's own. */
    private void nothingInjected(String page) {
        assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert(), "a script from a payload ran on " + page);
        assertTrue(browser.findElements(By.cssSelector("img[src='x'], img[onerror]")).isEmpty(), "an injected image on " + page);
        List<WebElement> scripts = browser.findElements(By.tagName("script"));
        assertEquals(1, scripts.size(), "only the UI's script on " + page);
        assertTrue(scripts.get(0).getAttribute("src").endsWith("/static/ui.js"), page);
    }

    private String text() {
        return browser.findElement(By.tagName("main")).getText();
    }

    @Test
    void payloadsInTokensCredentialsSignaturesAndTheAuditLogShowAsText() {
        signIn("admin", ControllerFixture.ADMIN_PASSWORD);

        go("/account");
        browser.findElement(By.id("token-name")).sendKeys(IMG + SCRIPT_TAG);
        submit("token-form");
        String token = await(By.id("secret")).getAttribute("value");
        assertTrue(token.startsWith("gantry_"), token);
        nothingInjected("/account (token created)");
        assertTrue(browser.findElement(By.cssSelector("td.token-name")).getText().equals(IMG + SCRIPT_TAG), text());
        go("/account");
        assertTrue(browser.findElements(By.id("secret")).isEmpty(), "the token is shown once");
        assertFalse(browser.getPageSource().contains(token));
        nothingInjected("/account");

        go("/credentials/new?type=string");
        browser.findElement(By.id("c-id")).sendKeys("deploy");
        browser.findElement(By.id("c-description")).sendKeys(SCRIPT_TAG + IMG);
        browser.findElement(By.id("f-secret")).sendKeys("the-secret-value");
        submit("credential-form");
        await(By.cssSelector("td.credential-description"));
        nothingInjected("/credentials (created)");
        assertEquals(SCRIPT_TAG + IMG, browser.findElement(By.cssSelector("td.credential-description")).getText());
        assertFalse(browser.getPageSource().contains("the-secret-value"), "never the secret");
        browser.findElement(By.cssSelector("a.credential-id")).click();
        await(By.id("h-uses"));
        nothingInjected("/credentials/edit");
        assertEquals(SCRIPT_TAG + IMG, browser.findElement(By.id("c-description")).getAttribute("value"));

        gantry.controller.secrets().orElseThrow().approvals().policyFor("team/app", 1)
                .rejected("method java.lang.String " + IMG + SCRIPT_TAG, true, "team/app " + SCRIPT_TAG);
        go("/script-approvals");
        nothingInjected("/script-approvals");
        assertTrue(browser.findElement(By.cssSelector("#pending code.signature")).getText().endsWith(IMG + SCRIPT_TAG), text());
        browser.findElement(By.cssSelector("#pending button[type=submit]")).click();
        await(By.cssSelector("#approved"));
        nothingInjected("/script-approvals (approved)");
        assertTrue(browser.findElement(By.cssSelector("#approved code.signature")).getText().endsWith(IMG + SCRIPT_TAG), text());

        gantry.security.audit().record("robot", "test.payload", IMG, SCRIPT_TAG);
        go("/audit");
        nothingInjected("/audit");
        assertEquals(IMG, browser.findElement(By.cssSelector("td.audit-target")).getText());
        assertEquals(SCRIPT_TAG, browser.findElement(By.cssSelector("td.audit-detail")).getText());
        browser.findElement(By.id("audit-action")).sendKeys("token.create");
        browser.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().contains("action=token.create"));
        nothingInjected("/audit?action=token.create");
        assertTrue(browser.findElement(By.cssSelector("td.audit-detail")).getText().contains(IMG + SCRIPT_TAG), text());

        go("/users");
        nothingInjected("/users");
    }

    @Test
    void anAdminCreatesADeveloperWhoSignsInAndUsesATokenWhileAViewerIsRefused() {
        signIn("admin", ControllerFixture.ADMIN_PASSWORD);
        browser.findElement(By.linkText("Users")).click();
        browser.findElement(By.id("user-name-field")).sendKeys("devon");
        browser.findElement(By.id("user-password")).sendKeys("devon-password-1");
        new Select(browser.findElement(By.id("user-role"))).selectByValue("developer");
        browser.findElement(By.id("user-folder")).sendKeys("team");
        submit("user-form");
        await(By.cssSelector("p.ok"));
        assertTrue(text().contains("User devon created."), text());
        browser.findElement(By.linkText("devon")).click();
        await(By.id("grant-form"));
        assertTrue(text().contains("on folder team"), text());
        browser.findElement(By.cssSelector("#logout button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().contains("/login"));

        signIn("devon", "devon-password-1");
        assertTrue(browser.findElements(By.linkText("Users")).isEmpty(), "no administration links for a developer");
        browser.findElement(By.id("my-account")).click();
        await(By.id("token-form"));
        assertTrue(text().contains("developer on team"), text());
        browser.findElement(By.id("token-name")).sendKeys("ci");
        submit("token-form");
        String token = await(By.id("secret")).getAttribute("value");
        String basic = ControllerFixture.basic("devon", token);
        HttpResponse<String> job = gantry.sendText(gantry.anonymous("api/v1/jobs/team/app").header("Authorization", basic).GET().build());
        assertEquals(200, job.statusCode(), job.body());
        HttpResponse<String> built = gantry.sendWith(basic, "POST", "api/v1/jobs/team/app/builds", Map.of());
        assertTrue(built.statusCode() == 201 || built.statusCode() == 202, built.statusCode() + " " + built.body());
        HttpResponse<String> other = gantry.sendText(gantry.anonymous("api/v1/jobs/other/secret").header("Authorization", basic).GET().build());
        assertEquals(403, other.statusCode(), "only the folder granted: " + other.body());
        go("/account");
        assertFalse(browser.findElement(By.cssSelector("table.list tbody td:nth-child(4)")).getText().equals("never"),
                "the token's use shows: " + text());

        browser.quit();
        browser = Browser.start(1280, 900, null);
        signIn("vera", "vera-password-1");
        for (String page : List.of("/users", "/credentials", "/script-approvals", "/audit")) {
            go(page);
            assertEquals("Error 403", browser.findElement(By.tagName("h1")).getText(), page);
        }
    }
}
