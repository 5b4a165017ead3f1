package dev.gantry.engine.web.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.testing.ControllerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The web UI in real headless Chromium against a real controller. */
class WebUiBrowserTest {
    private static final String XSS = "<img src=x onerror=alert(1)>";
    @TempDir
    static Path home;
    @TempDir
    Path downloads;
    static ControllerFixture gantry;
    ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Browser.assumeInstalled();
        gantry = ControllerFixture.in(home).agents(Duration.ofSeconds(30)).start();
    }

    @AfterAll
    static void stop() {
        if (gantry != null) {
            gantry.close();
        }
    }

    @BeforeEach
    void open() {
        browser = Browser.start(1280, 900, downloads);
        // Every page needs a signed-in user: through the real login form, as a person would.
        Browser.signIn(browser, gantry, "/");
        assertEquals("admin", browser.findElement(By.id("user-name")).getText());
    }

    @AfterEach
    void quit() {
        browser.quit();
    }

    private WebDriverWait waiting(int seconds) {
        // The live part of the build page is replaced as it refreshes: an element may go stale between two looks.
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    private void go(String path) {
        browser.get(gantry.url + (path.startsWith("/") ? path.substring(1) : path));
    }

    private void assertNoAlert() {
        assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert(), "a script from a payload ran");
    }

    @Test
    void createJobRunWithParametersWatchItLiveAndApproveTheInput() {
        go("/new");
        browser.findElement(By.id("name")).sendKeys("web/demo");
        WebElement script = browser.findElement(By.id("script"));
        script.clear();
        // Typed through the page's form: the script text goes in as the user would type it.
        browser.executeScript("arguments[0].value = arguments[1];", script, """
                pipeline {
                    agent any
                    parameters { string(name: 'WHO', defaultValue: 'world', description: 'whom to greet') }
                    stages {
                        stage('Build') {
                            steps {
                                sh 'for i in 1 2 3 4 5 6; do echo "tick $i"; sleep 0.4; done'
                                echo "hello ${params.WHO}"
                            }
                        }
                        stage('Approve') {
                            steps { input message: 'Ship it?', ok: 'Ship', parameters: [string(name: 'TARGET', defaultValue: 'prod')] }
                        }
                        stage('<img src=x onerror=alert(1)>') {
                            parallel {
                                stage('Unit') { steps { echo 'unit' } }
                                stage('Lint') { steps { echo 'lint' } }
                            }
                        }
                    }
                }
                """);
        browser.findElement(By.cssSelector("main form button[type=submit]")).click();
        waiting(30).until(ExpectedConditions.urlContains("/job/web/demo"));

        WebElement who = browser.findElement(By.id("p-WHO"));
        who.clear();
        who.sendKeys(XSS);
        browser.findElement(By.cssSelector("#build-form button[type=submit]")).click();
        waiting(30).until(ExpectedConditions.urlMatches(".*/job/web/demo/~1$"));

        // The log grows live while the page stays loaded.
        WebElement log = browser.findElement(By.id("log"));
        waiting(60).until(d -> log.getText().contains("tick 2"));
        int early = browser.findElements(By.cssSelector("#log .line")).size();
        waiting(60).until(d -> log.getText().contains("tick 6"));
        assertTrue(browser.findElements(By.cssSelector("#log .line")).size() > early, "the log grew live");
        // Lines that arrive live land in their step's block.
        waiting(30).until(d -> d.findElement(By.cssSelector("#log details.step[data-title='Build › sh']")).getText().contains("tick 6"));
        waiting(60).until(d -> log.getText().contains("hello " + XSS));

        // The pending input appears without a reload; approving it lets the build finish.
        WebElement proceed = waiting(60).until(ExpectedConditions.elementToBeClickable(By.cssSelector("form.input button.proceed")));
        assertEquals("Ship", proceed.getText());
        assertEquals("prod", browser.findElement(By.cssSelector("form.input input[name='param.TARGET']")).getAttribute("value"));
        proceed.click();
        waiting(30).until(ExpectedConditions.urlMatches(".*/job/web/demo/~1$"));

        // The stage graph turns green, the parallel branches side by side.
        waiting(90).until(d -> "SUCCESS".equals(d.findElement(By.id("build-status")).getText()));
        waiting(30).until(d -> {
            List<WebElement> stages = d.findElements(By.cssSelector("#live .stage"));
            return stages.size() == 5 && stages.stream().allMatch(s -> "SUCCESS".equals(s.getAttribute("data-status")));
        });
        // The stream's end refreshes the live part once more; after that the page stays as it is.
        waiting(30).until(d -> d.findElement(By.id("log")).getAttribute("data-running") == null);
        waiting(10).until(d -> XSS.equals(d.findElement(By.cssSelector("#live .stages > li:nth-child(3) > a .name")).getText()));
        waiting(10).until(d -> d.findElements(By.cssSelector("#live .stages > li:nth-child(3) .branches > li")).size() == 2);
        assertTrue(browser.findElement(By.tagName("body")).getText().contains(XSS), "the parameter shows as text");
        assertTrue(browser.findElements(By.cssSelector("img[src=x]")).isEmpty(), "no img element was made from a payload");
        assertNoAlert();

        // The approval is the signed-in user's.
        assertTrue(gantry.log("web/demo", 1).contains("Approved by admin"), gantry.log("web/demo", 1));

        // A click on a stage opens its log.
        waiting(10).until(d -> {
            d.findElement(By.cssSelector("#live .stages > li:first-child > a")).click();
            return true;
        });
        waiting(30).until(d -> d.findElement(By.id("log")).getText().contains("tick 6"));
        assertFalse(browser.findElement(By.id("log")).getText().contains("lint"), "only the stage's own log");
        assertNoAlert();
    }

    @Test
    void downloadAnArtifactAndFindTheFailingTest() throws Exception {
        gantry.putJob("web/tests", """
                pipeline {
                    agent any
                    stages {
                        stage('Test') {
                            steps {
                                writeFile file: 'dist/app.txt', text: 'the app'
                                archiveArtifacts artifacts: 'dist/*.txt'
                                writeFile file: 'reports/TEST-calc.xml', text: '''<testsuite name="calc" tests="2" failures="1">
                                  <testcase classname="calc.AdderTest" name="adds" time="0.01"/>
                                  <testcase classname="calc.AdderTest" name="overflows" time="0.02"><failure message="expected 3 but was 4">java.lang.AssertionError: expected 3 but was 4
                                    at calc.AdderTest.overflows(AdderTest.java:42)</failure></testcase>
                                </testsuite>'''
                                junit 'reports/*.xml'
                                echo 'log line <img src=x onerror=alert(1)> \\u001b[32mgreen\\u001b[0m'
                            }
                        }
                    }
                }
                """);
        int n = gantry.trigger("web/tests");
        gantry.completed("web/tests", n);
        go("/job/web/tests/~" + n);

        WebElement failure = browser.findElement(By.cssSelector("#tests .test.failure"));
        assertTrue(failure.getText().contains("calc.AdderTest.overflows"), failure.getText());
        // The first failure is shown open; a click on its summary folds and unfolds it.
        if (failure.findElement(By.tagName("details")).getAttribute("open") == null) {
            failure.findElement(By.tagName("summary")).click();
        }
        waiting(10).until(d -> failure.findElement(By.cssSelector("pre.trace")).isDisplayed());
        assertTrue(failure.findElement(By.cssSelector("pre.trace")).getText().contains("AdderTest.java:42"));

        WebElement line = browser.findElements(By.cssSelector("#log .line")).stream()
                .filter(l -> l.getText().contains("log line")).findFirst().orElseThrow();
        assertTrue(line.getText().contains("log line " + XSS + " green"), line.getText());
        assertEquals("green", line.findElement(By.cssSelector(".a-f2")).getText());
        assertNoAlert();

        browser.findElement(By.linkText("dist/app.txt")).click();
        Path file = downloads.resolve("app.txt");
        ControllerFixture.await(() -> Files.exists(file), Duration.ofSeconds(30), () -> "no download in " + downloads);
        ControllerFixture.await(() -> readQuietly(file).equals("the app"), Duration.ofSeconds(30), () -> "download incomplete");
    }

    @Test
    void configureScmAndTriggersWithACronErrorShownAtItsField() {
        gantry.putJob("web/conf", "pipeline { agent any\n stages { stage('a') { steps { echo 'x' } } } }\n");
        go("/job/web/conf/~config");
        browser.findElement(By.id("src-scm")).click();
        waiting(10).until(d -> d.findElement(By.id("scm-url")).isDisplayed());
        assertFalse(browser.findElement(By.id("script")).isDisplayed(), "the inline script is hidden while SCM is chosen");
        browser.findElement(By.id("scm-url")).sendKeys("https://git.example.com/web/conf.git");
        browser.findElement(By.id("scm-branch")).sendKeys("main");
        browser.findElement(By.id("cron")).sendKeys("H 99 * * *");
        browser.findElement(By.id("pollSCM")).sendKeys("H/10 * * * *");
        browser.findElement(By.id("upstream")).sendKeys("web/tests");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("threshold"))).selectByValue("UNSTABLE");
        browser.findElement(By.id("quietPeriod")).sendKeys("3");
        browser.findElement(By.cssSelector("#config-form button[type=submit]")).click();

        WebElement error = waiting(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("err-cron")));
        assertTrue(error.getText().contains("Invalid cron spec"), error.getText());
        assertEquals("true", browser.findElement(By.id("cron")).getAttribute("aria-invalid"));
        assertEquals("H 99 * * *", browser.findElement(By.id("cron")).getAttribute("value"), "the form keeps what was typed");
        assertEquals("https://git.example.com/web/conf.git", browser.findElement(By.id("scm-url")).getAttribute("value"));
        assertEquals(0, gantry.json("api/v1/jobs/web/conf").get("triggers").size(), "nothing was saved");

        WebElement cron = browser.findElement(By.id("cron"));
        cron.clear();
        cron.sendKeys("H 4 * * 1-5");
        browser.findElement(By.cssSelector("#config-form button[type=submit]")).click();
        waiting(30).until(ExpectedConditions.urlContains("/~config?saved"));
        assertTrue(browser.findElement(By.cssSelector("p.ok")).getText().contains("Saved"));

        var job = gantry.json("api/v1/jobs/web/conf");
        assertEquals("https://git.example.com/web/conf.git", job.at("/scm/url").asText(), job.toString());
        assertEquals("main", job.at("/scm/branch").asText());
        assertEquals("H 4 * * 1-5", job.at("/triggers/cron").asText());
        assertEquals("H/10 * * * *", job.at("/triggers/pollSCM").asText());
        assertEquals("web/tests", job.at("/triggers/upstream/upstreamProjects").asText());
        assertEquals("UNSTABLE", job.at("/triggers/upstream/threshold").asText());
        assertEquals(3, job.at("/options/quietPeriod").asInt());
        assertNoAlert();
    }

    @Test
    void aFailingTestsHistoryAndAStepFoldedInTheConsole() {
        gantry.putJob("web/history", """
                pipeline {
                    agent any
                    parameters { booleanParam(name: 'FAIL', defaultValue: true) }
                    stages {
                        stage('Test') {
                            steps {
                                echo 'step output <img src=x onerror=alert(1)>'
                                script {
                                    def failure = params.FAIL ? '<failure message="boom">trace</failure>' : ''
                                    writeFile file: 'r/TEST-x.xml', text: '<testsuite name="x"><testcase classname="calc.X" name="&lt;img src=x onerror=alert(1)&gt;" time="0.5">' + failure + '</testcase></testsuite>'
                                }
                                junit 'r/*.xml'
                            }
                        }
                    }
                }
                """);
        gantry.completed("web/history", gantry.triggerWith("web/history", java.util.Map.of("FAIL", "false")));
        int n = gantry.triggerWith("web/history", java.util.Map.of("FAIL", "true"));
        gantry.completed("web/history", n);
        go("/job/web/history/~" + n);

        // The console: each step's output folds and unfolds with a click on its summary.
        WebElement step = browser.findElements(By.cssSelector("#log details.step")).stream()
                .filter(d -> "Test › echo".equals(d.getAttribute("data-title"))).findFirst().orElseThrow();
        WebElement line = step.findElement(By.cssSelector(".line"));
        assertTrue(line.isDisplayed() && line.getText().contains("step output " + XSS), line.getText());
        step.findElement(By.tagName("summary")).click();
        waiting(10).until(d -> !line.isDisplayed());
        step.findElement(By.tagName("summary")).click();
        waiting(10).until(d -> line.isDisplayed());

        // The failing test links to its history across builds.
        browser.findElement(By.cssSelector("#tests .test.failure a.history")).click();
        waiting(30).until(ExpectedConditions.urlContains("/job/web/history/~test?"));
        assertEquals("calc.X." + XSS, browser.findElement(By.cssSelector("h1 .test-name")).getText());
        List<WebElement> rows = browser.findElements(By.cssSelector("#test-history tbody tr"));
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).getText().contains("#" + n) && rows.get(0).getText().contains("FAILED") && rows.get(0).getText().contains("boom"),
                rows.get(0).getText());
        assertTrue(rows.get(1).getText().contains("PASSED"), rows.get(1).getText());
        assertTrue(browser.findElements(By.cssSelector("img[src=x]")).isEmpty(), "no img element was made from a payload");
        assertNoAlert();
    }

    @Test
    void signingOutSendsTheBrowserBackToTheLoginPage() {
        go("/agents");
        browser.findElement(By.cssSelector("#logout button")).click();
        waiting(30).until(ExpectedConditions.urlContains("/login"));
        go("/agents");
        waiting(30).until(ExpectedConditions.urlContains("/login?from=%2Fagents"));
        assertTrue(browser.findElements(By.id("user-name")).isEmpty());
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
