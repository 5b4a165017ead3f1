package dev.gantry.engine.web.ui;

import dev.gantry.engine.plugin.PluginSystem;
import dev.gantry.engine.steps.StepLibrary;
import dev.gantry.engine.testing.ControllerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Takes the screenshots of the main pages shown in the README (docs/screenshots/*.png): starts a
 * controller in a temporary home with a few demo jobs and builds, and photographs each page in
 * headless Chromium. Run by scripts/screenshots; not a test.
 */
public final class UiScreenshots {
    private UiScreenshots() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/screenshots").toAbsolutePath();
        Files.createDirectories(out);
        Path home = Files.createTempDirectory("gantry-screens");
        try (ControllerFixture g = ControllerFixture.in(home).agents(Duration.ofSeconds(30)).start()) {
            g.controller.plugins(PluginSystem.start(PluginSystem.Config.forHome(home), StepLibrary.builtins()));
            demo(g);
            ChromeDriver b = Browser.start(1280, 960, null);
            try {
                Browser.signIn(b, g, "/");
                shot(b, g, "/", out.resolve("dashboard.png"), null);
                shot(b, g, "/job/shop/api", out.resolve("job.png"), null);
                shot(b, g, "/job/shop/api/~3", out.resolve("build.png"), null);
                shot(b, g, "/job/shop/release/~1", out.resolve("build-input.png"), "form.input");
                shot(b, g, "/job/shop/api/~3#tests", out.resolve("tests.png"), null);
                b.get(g.url + "job/shop/api/~config");
                b.executeScript("arguments[0].value = arguments[1];", b.findElement(By.id("script")),
                        "pipeline {\n    agent any\n    stages {\n        stage('Build') {\n            steps {\n                ech 'compiling'\n"
                                + "                sh 'make'\n            }\n        }\n    }\n}\n");
                b.findElement(By.cssSelector("form.form button[type=submit]")).click();
                new WebDriverWait(b, Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector(".problem")).isEmpty());
                Files.write(out.resolve("config.png"), b.getScreenshotAs(OutputType.BYTES));
                // The configuration beyond the script: SCM and triggers, with a bad cron shown at its field.
                b.get(g.url + "job/shop/api/~config");
                b.findElement(By.id("src-scm")).click();
                b.findElement(By.id("scm-url")).sendKeys("https://git.example.com/shop/api.git");
                b.findElement(By.id("scm-branch")).sendKeys("main");
                b.findElement(By.id("cron")).sendKeys("H 25 * * 1-5");
                b.findElement(By.id("pollSCM")).sendKeys("H/5 * * * *");
                b.findElement(By.id("upstream")).sendKeys("shop/web");
                b.findElement(By.id("quietPeriod")).sendKeys("5");
                b.findElement(By.cssSelector("#config-form button[type=submit]")).click();
                new WebDriverWait(b, Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("err-cron")).isEmpty());
                b.executeScript("document.querySelector('legend').parentNode.nextElementSibling.scrollIntoView();");
                Files.write(out.resolve("config-triggers.png"), b.getScreenshotAs(OutputType.BYTES));
                shot(b, g, "/job/shop/api/~test?class=shop.CartTest&name=appliesDiscount", out.resolve("test-history.png"), "#test-history");
                b.get(g.url + "job/shop/api/~3");
                var steps = b.findElements(By.cssSelector("#log details.step > summary"));
                if (steps.size() > 1) {
                    b.executeScript("arguments[0].scrollIntoView(); arguments[0].click();", steps.get(0));
                } else {
                    b.executeScript("document.getElementById('log').scrollIntoView();");
                }
                Files.write(out.resolve("console-steps.png"), b.getScreenshotAs(OutputType.BYTES));
                b.get(g.url + "agents");
                b.findElement(By.id("agent-name")).sendKeys("linux-1");
                b.findElement(By.id("agent-labels")).sendKeys("linux docker");
                b.findElement(By.cssSelector("form.form button[type=submit]")).click();
                new WebDriverWait(b, Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("secret")).isEmpty());
                Files.write(out.resolve("agents.png"), b.getScreenshotAs(OutputType.BYTES));
                shot(b, g, "/system", out.resolve("system.png"), null);
                admin(b, g, out);
            } finally {
                b.quit();
            }
            g.controller.stop("shop/release", 1);
        }
        System.out.println("screenshots written to " + out);
    }

    /** The account and administration pages, with a few users, credentials, approvals and audit entries. */
    private static void admin(ChromeDriver b, ControllerFixture g, Path out) throws Exception {
        g.security.createUser("ada", "ada-password-1");
        g.security.grant("ada", dev.gantry.engine.security.Role.DEVELOPER, "shop");
        g.security.createUser("grace", "grace-password-1");
        g.security.grant("grace", dev.gantry.engine.security.Role.OPERATOR, "");
        g.security.createUser("linus", "linus-password-1");
        g.security.grant("linus", dev.gantry.engine.security.Role.VIEWER, "");
        g.security.setDisabled("linus", true);
        g.security.createToken("admin", "laptop");
        var credentials = g.controller.secrets().orElseThrow().credentials();
        credentials.create("", "github-token", "string", "Token of the CI bot on GitHub", Map.of("secret", "x"));
        credentials.create("", "deploy-key", "sshUserPrivateKey", "Deploys to the web servers", Map.of("username", "deploy", "privateKey", "k"));
        credentials.create("shop", "registry", "usernamePassword", "The shop's container registry", Map.of("username", "shop", "password", "p"));
        credentials.lookup("shop/api", 3).find("registry");
        var approvals = g.controller.secrets().orElseThrow().approvals();
        approvals.policyFor("shop/api", 3).rejected("staticMethod java.util.Base64 getEncoder", true, "shop/api", 12);
        approvals.policyFor("shop/web", 1).rejected("method java.lang.String execute", true, "shop/web", 4);
        approvals.decide("method java.lang.String toUpperCase", dev.gantry.engine.secrets.ScriptApprovals.Decision.APPROVED);

        b.get(g.url + "account");
        b.findElement(By.id("token-name")).sendKeys("deploy script");
        b.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        new WebDriverWait(b, Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("secret")).isEmpty());
        Files.write(out.resolve("account.png"), b.getScreenshotAs(OutputType.BYTES));
        shot(b, g, "/users", out.resolve("users.png"), null);
        shot(b, g, "/users/ada", out.resolve("user.png"), null);
        shot(b, g, "/credentials", out.resolve("credentials.png"), null);
        shot(b, g, "/credentials/edit?folder=shop&id=registry", out.resolve("credential.png"), null);
        shot(b, g, "/script-approvals", out.resolve("script-approvals.png"), null);
        shot(b, g, "/audit", out.resolve("audit.png"), null);
    }

    private static void shot(ChromeDriver b, ControllerFixture g, String path, Path file, String waitFor) throws Exception {
        b.get(g.url + path.substring(1));
        if (waitFor != null) {
            new WebDriverWait(b, Duration.ofSeconds(60)).until(d -> !d.findElements(By.cssSelector(waitFor)).isEmpty());
        }
        Files.write(file, b.getScreenshotAs(OutputType.BYTES));
    }

    private static void demo(ControllerFixture g) {
        g.send("PUT", "api/v1/folders/shop", Map.of("description", "The web shop's services"));
        g.putJob("shop/api", """
                pipeline {
                    agent any
                    parameters {
                        string(name: 'TARGET', defaultValue: 'staging', description: 'Where to deploy')
                        booleanParam(name: 'SMOKE', defaultValue: true, description: 'Run the smoke tests')
                        choice(name: 'REGION', choices: ['eu-west', 'us-east'], description: 'Region')
                    }
                    stages {
                        stage('Build') { steps { sh 'printf "\\\\033[1;34m==>\\\\033[0m compiling 42 files\\\\n"; sleep 0.3'; writeFile file: 'dist/app.txt', text: 'app'; archiveArtifacts artifacts: 'dist/*.txt' } }
                        stage('Test') {
                            parallel {
                                stage('Unit') { steps { writeFile file: 'r/TEST-u.xml', text: '<testsuite name="u"><testcase classname="shop.CartTest" name="addsItems" time="0.01"/><testcase classname="shop.CartTest" name="appliesDiscount" time="0.02"><failure message="expected 90 but was 100">java.lang.AssertionError: expected 90 but was 100\\n\\tat shop.CartTest.appliesDiscount(CartTest.java:31)</failure></testcase></testsuite>'; junit 'r/*.xml' } }
                                stage('Lint') { steps { sh 'echo "\\\\033[33mwarning:\\\\033[0m unused import"' } }
                            }
                        }
                        stage('Deploy') { steps { echo "deploying to ${params.TARGET}" } }
                    }
                }
                """);
        for (int i = 0; i < 3; i++) {
            g.completed("shop/api", g.triggerWith("shop/api", Map.of("TARGET", i == 2 ? "production" : "staging")));
        }
        g.putJob("shop/web", "pipeline { agent any\n stages { stage('Build') { steps { sh 'sleep 0.2; exit 1' } } } }");
        g.completed("shop/web", g.trigger("shop/web"));
        g.putJob("tools", "pipeline { agent any\n stages { stage('Check') { steps { echo 'ok' } } } }");
        g.completed("tools", g.trigger("tools"));
        g.putJob("shop/release", """
                pipeline {
                    agent any
                    stages {
                        stage('Package') { steps { echo 'packaged' } }
                        stage('Approve') { steps { input message: 'Release to production?', ok: 'Release', parameters: [string(name: 'VERSION', defaultValue: '1.4.0', description: 'Version to release'), booleanParam(name: 'NOTIFY', defaultValue: true)] } }
                        stage('Release') { steps { echo 'released' } }
                    }
                }
                """);
        int n = g.trigger("shop/release");
        g.waitingInputs("shop/release", n);
    }
}
