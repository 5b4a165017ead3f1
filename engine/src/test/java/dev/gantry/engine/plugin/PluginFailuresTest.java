package dev.gantry.engine.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin that throws, while starting or in a step, fails alone and says so. */
class PluginFailuresTest {
    @TempDir
    Path tmp;

    private static final String THROWING_PLUGIN = """
            package boom;
            public class BoomPlugin extends dev.gantry.api.extension.GantryPlugin {
                @Override public void start() { throw new IllegalStateException("no config for " + context().pluginId()); }
            }
            """;

    @Test
    void aPluginThatThrowsInStartIsFailedWithTheExceptionAndWhatNeedsItStaysUnloaded() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        TestPluginJar.plugin("boom", "1.0.0").pluginClass("boom.BoomPlugin").source("boom.BoomPlugin", THROWING_PLUGIN)
                .step("boom.Step", "boomStep", "return null;").build(h.plugins);
        TestPluginJar.plugin("afterBoom", "1.0.0").dependencies("boom").build(h.plugins);
        TestPluginJar.plugin("fine", "1.0.0").step("fine.Step", "fineStep", "return \"ok\";").build(h.plugins);
        try (PluginSystem ps = h.start()) {
            PluginInfo boom = ps.get("boom");
            assertEquals(PluginState.FAILED, boom.state());
            assertEquals("threw while starting: java.lang.IllegalStateException: no config for boom", boom.error());
            assertTrue(ps.steps().find("boomStep").isEmpty());
            assertEquals(PluginState.INVALID, ps.get("afterBoom").state());
            assertEquals("needs plugin 'boom', which cannot be loaded: threw while starting: java.lang.IllegalStateException: no config for boom",
                    ps.get("afterBoom").error());
            assertEquals(PluginState.STARTED, ps.get("fine").state());
            assertEquals(Result.SUCCESS, h.run(ps, "echo fineStep()").result());
        }
    }

    @Test
    void aPluginMainClassThatIsMissingOrThrowsInItsConstructorFails() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        TestPluginJar.plugin("ghost", "1.0.0").pluginClass("ghost.Missing").build(h.plugins);
        TestPluginJar.plugin("grumpy", "1.0.0").step("grumpy.Step", "grumpy", "return null;")
                .source("grumpy.Bad", "package grumpy; @org.pf4j.Extension public class Bad implements dev.gantry.api.notify.Notifier {\n"
                        + " public Bad() { throw new IllegalArgumentException(\"grr\"); }\n"
                        + " public String id() { return \"bad\"; }\n"
                        + " public void notify(dev.gantry.api.notify.BuildEvent e, java.util.Map<String, Object> s, SecretResolver r) { }\n}")
                .build(h.plugins);
        try (PluginSystem ps = h.start()) {
            assertEquals(PluginState.FAILED, ps.get("ghost").state());
            assertTrue(ps.get("ghost").error().contains("its Plugin-Class ghost.Missing cannot be loaded from ghost.jar"), ps.get("ghost").error());
            assertEquals(PluginState.FAILED, ps.get("grumpy").state());
            assertEquals("its extension grumpy.Bad threw in its constructor: java.lang.IllegalArgumentException: grr", ps.get("grumpy").error());
            assertTrue(ps.steps().find("grumpy").isEmpty(), "a failed plugin contributes nothing");
        }
    }

    @Test
    void aStepThatThrowsFailsTheBuildNamingThePluginAndTheProcessGoesOn() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        TestPluginJar.plugin("flaky", "1.2.3")
                .step("flaky.Npe", "npeStep", "String s = null; return s.length();")
                .step("flaky.Deep", "deepStep", "return recurse(0);\n  }\n  private int recurse(int n) { return recurse(n + 1) + 1;")
                .step("flaky.Linkage", "linkageStep", "throw new NoClassDefFoundError(\"com/example/Gone\");")
                .build(h.plugins);
        try (PluginSystem ps = h.start()) {
            PluginHarness.Run npe = h.run(ps, "npeStep()");
            assertEquals(Result.FAILURE, npe.result());
            assertTrue(npe.log().contains("step 'npeStep' of plugin flaky 1.2.3 failed: java.lang.NullPointerException"), npe.log());
            assertTrue(npe.log().contains("\tat flaky.Npe.run("), "the plugin author gets the frames: " + npe.log());

            PluginHarness.Run deep = h.run(ps, "try { deepStep() } catch (e) { echo \"caught: ${e.message}\" }\necho 'still running'");
            assertEquals(Result.SUCCESS, deep.result(), deep.log());
            assertTrue(deep.log().contains("caught: step 'deepStep' of plugin flaky 1.2.3 failed: java.lang.StackOverflowError"), deep.log());
            assertTrue(deep.log().contains("still running"), deep.log());

            PluginHarness.Run linkage = h.run(ps, "linkageStep()");
            assertEquals(Result.FAILURE, linkage.result());
            assertTrue(linkage.log().contains("step 'linkageStep' of plugin flaky 1.2.3 failed: java.lang.NoClassDefFoundError: com/example/Gone"), linkage.log());
        }
    }

    @Test
    void aPluginStepNamedLikeABuiltInStepIsLeftOutWithAWarning() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        TestPluginJar.plugin("copycat", "1.0.0").step("copycat.Echo", "echo", "return null;")
                .step("copycat.Own", "ownStep", "return null;").build(h.plugins);
        try (PluginSystem ps = h.start()) {
            PluginInfo c = ps.get("copycat");
            assertEquals(PluginState.STARTED, c.state());
            assertEquals(java.util.List.of("ownStep"), c.steps());
            assertEquals(java.util.List.of("its step 'echo' is left out: a built-in step has that name"), c.warnings());
            assertTrue(ps.steps().find("echo").orElseThrow().getClass().getName().startsWith("dev.gantry.engine.steps."));
        }
    }

    @Test
    void aPluginThatThrowsWhileStoppingIsStillReplacedByItsUpgrade() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        String stubborn = """
                package stubborn;
                public class Stubborn extends dev.gantry.api.extension.GantryPlugin {
                    @Override public void stop() { throw new IllegalStateException("will not stop"); }
                }
                """;
        TestPluginJar.plugin("stubborn", "1.0.0").pluginClass("stubborn.Stubborn").source("stubborn.Stubborn", stubborn).build(h.plugins);
        TestPluginJar.plugin("fine", "1.0.0").step("fine.Step", "fineStep", "return \"ok\";").build(h.plugins);
        Path upgrade = TestPluginJar.plugin("stubborn", "2.0.0").build(tmp.resolve("upload"));
        try (PluginSystem ps = h.start()) {
            assertEquals(PluginState.STARTED, ps.get("stubborn").state());
            PluginInfo after;
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(upgrade)) {
                after = ps.install(in);
            }
            assertEquals(PluginState.STARTED, after.state(), "PF4J logs the exception from stop() and unloads the old version anyway");
            assertEquals("2.0.0", after.version());
            assertEquals(PluginState.STARTED, ps.get("fine").state());
            assertEquals(Result.SUCCESS, h.run(ps, "echo fineStep()").result());
        }
        try (PluginSystem ps = h.start()) {
            assertEquals(PluginState.STARTED, ps.get("stubborn").state());
            assertEquals("2.0.0", ps.get("stubborn").version());
        }
    }
}
