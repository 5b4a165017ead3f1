package dev.gantry.engine.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The set of plugins is checked before anything loads; a plugin that cannot load never stops the others. */
class PluginValidationTest {
    @TempDir
    Path tmp;

    private static String hello(String pkg) {
        return "context.console().println(\"hello from " + pkg + "\"); return null;";
    }

    @Test
    void aPluginWithAMissingDependencyStaysUnloadedWithAnExplanationWhileOthersStart() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        TestPluginJar.plugin("needy", "1.0.0").dependencies("base@>=1.0.0").step("needy.Hello", "needyHello", hello("needy")).build(h.plugins);
        TestPluginJar.plugin("fine", "1.0.0").step("fine.Hello", "fineHello", hello("fine")).build(h.plugins);
        try (PluginSystem ps = h.start()) {
            PluginInfo needy = ps.get("needy");
            assertEquals(PluginState.INVALID, needy.state());
            assertEquals("needs plugin 'base' >=1.0.0, which is not installed: install it (gantry plugin install base.jar) or remove 'needy'", needy.error());
            assertEquals(PluginState.STARTED, ps.get("fine").state());
            assertTrue(ps.steps().find("fineHello").isPresent());
            assertTrue(ps.steps().find("needyHello").isEmpty());
        }
    }

    @Test
    void anOptionalDependencyThatIsMissingIsNoProblem() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        TestPluginJar.plugin("relaxed", "1.0.0").dependencies("base?@>=1.0.0").step("relaxed.Hello", "relaxedHello", hello("relaxed")).build(h.plugins);
        try (PluginSystem ps = h.start()) {
            assertEquals(PluginState.STARTED, ps.get("relaxed").state());
            assertNull(ps.get("relaxed").error());
        }
    }

    @Test
    void aDependencyOfTheWrongVersionIsAConflictNamingBothVersions() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        TestPluginJar.plugin("base", "1.2.0").build(h.plugins);
        TestPluginJar.plugin("modern", "1.0.0").dependencies("base@>=2.0.0").build(h.plugins);
        TestPluginJar.plugin("optionalModern", "1.0.0").dependencies("base?@>=2.0.0").build(h.plugins);
        try (PluginSystem ps = h.start()) {
            assertEquals(PluginState.STARTED, ps.get("base").state());
            PluginInfo modern = ps.get("modern");
            assertEquals(PluginState.INVALID, modern.state());
            assertEquals("needs plugin 'base' >=2.0.0, but 'base' 1.2.0 is installed: install a version of 'base' that matches,"
                    + " or a version of 'modern' made for 'base' 1.2.0", modern.error());
            assertEquals(PluginState.INVALID, ps.get("optionalModern").state(), "an optional dependency that is present must fit too");
        }
    }

    @Test
    void aPluginForANewerEngineStaysUnloadedAndSaysWhichEngineItNeeds() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        TestPluginJar.plugin("future", "1.0.0").requires(">=9.0.0").build(h.plugins);
        TestPluginJar.plugin("bare", "1.0.0").requires("0.2.0").build(h.plugins);
        TestPluginJar.plugin("current", "1.0.0").requires("0.1.0").build(h.plugins);
        TestPluginJar.plugin("user", "1.0.0").dependencies("future").build(h.plugins);
        try (PluginSystem ps = h.start()) {
            assertEquals(PluginState.INVALID, ps.get("future").state());
            assertEquals("needs Gantry >=9.0.0 (Plugin-Requires), but this is Gantry 0.1.0: upgrade Gantry, or install a version of 'future' made for 0.1.0",
                    ps.get("future").error());
            assertEquals(PluginState.INVALID, ps.get("bare").state(), "a bare version means that version or newer");
            assertEquals(PluginState.STARTED, ps.get("current").state());
            assertTrue(ps.get("user").error().startsWith("needs plugin 'future', which cannot be loaded: needs Gantry >=9.0.0"), ps.get("user").error());
        }
    }

    @Test
    void jarsWithoutAUsableManifestAreListedByFileNameWithTheReason() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        TestPluginJar.plugin(null, "1.0.0").fileName("anonymous.jar").build(h.plugins);
        TestPluginJar.plugin("sloppy", "1.0").build(h.plugins);
        TestPluginJar.plugin("badRange", "1.0.0").requires(">= banana").build(h.plugins);
        Files.writeString(h.plugins.resolve("text.jar"), "not a zip");
        TestPluginJar.plugin("fine", "1.0.0").build(h.plugins);
        try (PluginSystem ps = h.start()) {
            assertEquals("anonymous.jar is not a valid Gantry plugin: its META-INF/MANIFEST.MF has no Plugin-Id (build it with plugins/pom.xml"
                    + " as parent, or add the PF4J manifest entries)", ps.get("anonymous").error());
            assertEquals("sloppy.jar is not a valid Gantry plugin: its META-INF/MANIFEST.MF has Plugin-Version '1.0', which is not a semantic"
                    + " version like 1.2.0", ps.get("sloppy").error());
            assertTrue(ps.get("badRange").error().contains("Plugin-Requires '>= banana', which is not a version range"), ps.get("badRange").error());
            assertTrue(ps.get("text").error().startsWith("text.jar is not a readable jar: "), ps.get("text").error());
            for (String id : List.of("anonymous", "sloppy", "badRange", "text")) {
                assertEquals(PluginState.INVALID, ps.get(id).state(), id);
            }
            assertEquals(PluginState.STARTED, ps.get("fine").state());
        }
    }

    @Test
    void twoJarsWithOneIdInAFolderAreBothRefusedButAHomeJarReplacesABundledOne() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        TestPluginJar.plugin("twin", "1.0.0").fileName("twin-1.jar").build(h.plugins);
        TestPluginJar.plugin("twin", "1.1.0").fileName("twin-2.jar").build(h.plugins);
        TestPluginJar.plugin("tool", "1.0.0").build(h.bundled);
        TestPluginJar.plugin("tool", "2.0.0").build(h.plugins);
        try (PluginSystem ps = h.start()) {
            List<PluginInfo> twins = ps.list().stream().filter(i -> i.id().equals("twin")).toList();
            assertEquals(2, twins.size());
            for (PluginInfo t : twins) {
                assertEquals(PluginState.INVALID, t.state());
                assertTrue(t.error().startsWith("plugin id 'twin' is in 2 jars of "), t.error());
                assertTrue(t.error().endsWith("(twin-1.jar, twin-2.jar): remove all but one"), t.error());
            }
            List<PluginInfo> tools = ps.list().stream().filter(i -> i.id().equals("tool")).toList();
            PluginInfo running = tools.stream().filter(i -> i.state() == PluginState.STARTED).findFirst().orElseThrow();
            assertEquals("2.0.0", running.version());
            PluginInfo shadowed = tools.stream().filter(PluginInfo::bundled).findFirst().orElseThrow();
            assertEquals(PluginState.DISABLED, shadowed.state());
            assertEquals("replaced by tool.jar (version 2.0.0) in the home's plugins folder", shadowed.error());
        }
    }

    @Test
    void aDependencyCycleIsNamedAndLeavesItsMembersUnloaded() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        TestPluginJar.plugin("chicken", "1.0.0").dependencies("egg").build(h.plugins);
        TestPluginJar.plugin("egg", "1.0.0").dependencies("chicken").build(h.plugins);
        try (PluginSystem ps = h.start()) {
            assertEquals(PluginState.INVALID, ps.get("chicken").state());
            assertTrue(ps.get("chicken").error().contains("dependency cycle (chicken -> egg -> chicken)"), ps.get("chicken").error());
            assertEquals(PluginState.INVALID, ps.get("egg").state());
        }
    }

    @Test
    void theEngineVersionIsTheParentPomsVersionWithoutSnapshot() throws Exception {
        String pom = Files.readString(Path.of("..", "pom.xml"));
        int start = pom.indexOf("<version>", pom.indexOf("<artifactId>gantry-parent</artifactId>")) + "<version>".length();
        String version = pom.substring(start, pom.indexOf("</version>", start));
        assertEquals(version.replace("-SNAPSHOT", ""), EngineVersion.CURRENT);
    }
}
