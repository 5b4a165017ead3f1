package dev.gantry.engine.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import dev.gantry.engine.steps.StepLibrary;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installing, upgrading, disabling, enabling and uninstalling while the engine runs. */
class PluginManagementTest {
    @TempDir
    Path tmp;

    private Path jar(String id, String version, String step, String text, String deps) throws Exception {
        Path dir = tmp.resolve("uploads/" + id + "-" + version);
        TestPluginJar p = TestPluginJar.plugin(id, version).step(id + ".S" + version.replace('.', '_'), step, "return \"" + text + "\";");
        if (deps != null) {
            p.dependencies(deps);
        }
        return p.build(dir);
    }

    private static PluginInfo install(PluginSystem ps, Path jar) throws Exception {
        try (InputStream in = Files.newInputStream(jar)) {
            return ps.install(in);
        }
    }

    @Test
    void aStartInTheBackgroundIsWaitedForByEveryLookup() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        for (int i = 0; i < 5; i++) {
            TestPluginJar.plugin("p" + i, "1.0.0").step("p" + i + ".S", "step" + i, "return \"" + i + "\";").build(h.plugins);
        }
        for (int round = 0; round < 3; round++) {
            try (PluginSystem ps = PluginSystem.startInBackground(h.config("0.1.0"), StepLibrary.builtins())) {
                // asked at once, while the plugins may still be loading: the lookup waits instead of missing them
                assertTrue(ps.steps().find("step4").isPresent(), "round " + round);
                assertTrue(ps.started());
                assertEquals(5, ps.list().stream().filter(p -> p.state() == PluginState.STARTED).count(), ps.list().toString());
            }
            try (PluginSystem ps = PluginSystem.startInBackground(h.config("0.1.0"), StepLibrary.builtins())) {
                assertEquals(5, ps.startedJars().size(), "round " + round);
            }
        }
    }

    @Test
    void anInstalledPluginWorksAtOnceAndAnUpgradeReplacesItWithoutARestart() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        try (PluginSystem ps = h.start()) {
            StepLibrary live = ps.steps();
            assertTrue(live.find("shout").isEmpty());
            PluginInfo v1 = install(ps, jar("loud", "1.0.0", "shout", "one", null));
            assertEquals(PluginState.STARTED, v1.state());
            assertEquals(List.of("shout"), v1.steps());
            assertTrue(Files.isRegularFile(h.plugins.resolve("loud.jar")));
            assertEquals("one", h.run(ps, "echo shout()").log().lines().filter(l -> l.equals("one")).findFirst().orElse(null));
            StepLibrary before = live.snapshot();

            PluginInfo v2 = install(ps, jar("loud", "2.0.0", "shout", "two", null));
            assertEquals("2.0.0", v2.version());
            assertEquals(PluginState.STARTED, v2.state());
            assertTrue(h.run(ps, "echo shout()").log().lines().anyMatch(l -> l.equals("two")));
            assertEquals(1, ps.list().size());
            assertTrue(before.find("shout").isPresent(), "a build's snapshot keeps the steps it started with");
        }
    }

    @Test
    void disablingRemovesTheStepsAndSurvivesARestartAndEnablingBringsThemBack() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        try (PluginSystem ps = h.start()) {
            install(ps, jar("loud", "1.0.0", "shout", "one", null));
            PluginInfo off = ps.disable("loud");
            assertEquals(PluginState.DISABLED, off.state());
            assertTrue(ps.steps().find("shout").isEmpty());
            PluginHarness.Run r = h.run(ps, "shout()");
            assertEquals(Result.FAILURE, r.result());
            assertTrue(r.log().contains("No such step or function 'shout'"), r.log());
        }
        assertTrue(Files.readAllLines(h.plugins.resolve(PluginSystem.DISABLED_FILE)).contains("loud"));
        try (PluginSystem ps = h.start()) {
            assertEquals(PluginState.DISABLED, ps.get("loud").state());
            assertEquals(PluginState.STARTED, ps.enable("loud").state());
            assertTrue(ps.steps().find("shout").isPresent());
        }
        try (PluginSystem ps = h.start()) {
            assertEquals(PluginState.STARTED, ps.get("loud").state());
        }
    }

    @Test
    void uninstallingDeletesTheJarAndTheSteps() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        try (PluginSystem ps = h.start()) {
            install(ps, jar("loud", "1.0.0", "shout", "one", null));
            ps.uninstall("loud");
            assertFalse(Files.exists(h.plugins.resolve("loud.jar")));
            assertTrue(ps.list().isEmpty());
            assertTrue(ps.steps().find("shout").isEmpty());
            assertEquals("no plugin 'loud' is installed; see gantry plugin list",
                    assertThrows(java.util.NoSuchElementException.class, () -> ps.uninstall("loud")).getMessage());
        }
    }

    @Test
    void aPluginInstalledBeforeItsDependencyStartsOnceTheDependencyIsInstalled() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        try (PluginSystem ps = h.start()) {
            PluginInfo user = install(ps, jar("user", "1.0.0", "useBase", "used", "base@>=1.0.0"));
            assertEquals(PluginState.INVALID, user.state());
            assertTrue(user.error().startsWith("needs plugin 'base' >=1.0.0, which is not installed"), user.error());
            install(ps, jar("base", "1.0.0", "baseStep", "base", null));
            assertEquals(PluginState.STARTED, ps.get("user").state());
            assertEquals(PluginState.STARTED, ps.get("base").state());

            PluginConflictException refused = assertThrows(PluginConflictException.class, () -> ps.disable("base"));
            assertEquals("plugin 'base' is needed by 'user': disable it first", refused.getMessage());
            assertEquals("plugin 'base' is needed by 'user': uninstall or disable it first",
                    assertThrows(PluginConflictException.class, () -> ps.uninstall("base")).getMessage());

            install(ps, jar("base", "1.1.0", "baseStep", "base 1.1", null));
            assertEquals(PluginState.STARTED, ps.get("user").state(), "upgrading a dependency reloads what uses it");
            assertTrue(h.run(ps, "echo baseStep()").log().contains("base 1.1"));
            assertTrue(h.run(ps, "echo useBase()").log().contains("used"));
        }
    }

    @Test
    void anUploadThatIsNotAPluginIsRefusedAndLeavesNothingBehind() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        Path bad = TestPluginJar.plugin(null, "1.0.0").fileName("x.jar").build(tmp.resolve("uploads"));
        try (PluginSystem ps = h.start()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> install(ps, bad));
            assertTrue(e.getMessage().startsWith("the uploaded file is not a valid Gantry plugin: its META-INF/MANIFEST.MF has no Plugin-Id"), e.getMessage());
            try (var files = Files.list(h.plugins)) {
                assertEquals(List.of(), files.toList());
            }
        }
    }

    @Test
    void aBundledPluginCanBeDisabledButNotUninstalled() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        TestPluginJar.plugin("shipped", "1.0.0").step("shipped.S", "shippedStep", "return null;").build(h.bundled);
        try (PluginSystem ps = h.start()) {
            assertTrue(ps.get("shipped").bundled());
            PluginConflictException e = assertThrows(PluginConflictException.class, () -> ps.uninstall("shipped"));
            assertTrue(e.getMessage().startsWith("plugin 'shipped' is bundled with Gantry ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("and cannot be uninstalled: disable it instead (gantry plugin disable shipped)"), e.getMessage());
            assertEquals(PluginState.DISABLED, ps.disable("shipped").state());
        }
    }

    @Test
    void inspectingAHomeValidatesWithoutLoadingAnything() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        TestPluginJar.plugin("boom", "1.0.0").pluginClass("boom.Missing").build(h.plugins);
        TestPluginJar.plugin("lost", "1.0.0").dependencies("nowhere").build(h.plugins);
        try (PluginSystem ps = PluginSystem.inspect(h.config("0.1.0"), StepLibrary.builtins())) {
            assertEquals(PluginState.ENABLED, ps.get("boom").state(), "a main class is only tried when the plugin starts");
            assertEquals(PluginState.INVALID, ps.get("lost").state());
            assertEquals(PluginState.DISABLED, ps.disable("boom").state());
        }
    }
}
