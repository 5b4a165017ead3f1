package dev.gantry.engine.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each plugin gets its own libraries and nothing of the engine's but the API. */
class PluginIsolationTest {
    @TempDir
    Path tmp;

    private static String lib(String version) {
        return "package com.example;\npublic class Lib { public static String version() { return \"" + version + "\"; } }\n";
    }

    /** A pipeline printing the plugin's library version, and how to find it in the log. */
    private static final String LIB_VERSION = "echo \"v=${libVersion()}\"";
    private static final String VERSION_IN_LOG = "(?s).*v=(\\S+).*";

    /** {@code lib.jar} with {@code com.example.Lib} of that version, in a folder of its own. */
    private Path libJar(String version) throws Exception {
        Path folder = tmp.resolve("libs-" + version);
        java.nio.file.Files.createDirectories(folder);
        return TestPluginJar.library(folder, "lib.jar", "com.example.Lib", lib(version));
    }

    @Test
    void twoPluginsShippingConflictingVersionsOfOneLibraryEachUseTheirOwn() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        Path v1 = libJar("1.0");
        Path v2 = libJar("2.0");
        TestPluginJar.plugin("old", "1.0.0").lib(v1)
                .step("old.Version", "oldLib", "return com.example.Lib.version();").build(h.plugins);
        TestPluginJar.plugin("new", "1.0.0").lib(v2)
                .step("neu.Version", "newLib", "return com.example.Lib.version();").build(h.plugins);
        try (PluginSystem ps = h.start()) {
            PluginHarness.Run r = h.run(ps, "node { echo \"old=${oldLib()} new=${newLib()}\" }");
            assertEquals(Result.SUCCESS, r.result(), r.log());
            assertTrue(r.log().contains("old=1.0 new=2.0"), r.log());
        }
    }

    @Test
    void libraryCopiesAreReusedWhileTheJarIsUnchangedAndRedoneWhenItChanges() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        Path v1 = libJar("1.0");
        Path v2 = libJar("2.0");
        TestPluginJar.plugin("p", "1.0.0").lib(v1).step("p.Version", "libVersion", "return com.example.Lib.version();").build(h.plugins);
        Path cache = tmp.resolve("lib-cache");
        try (PluginSystem ps = h.start()) {
            assertEquals("1.0", h.run(ps, LIB_VERSION).log().replaceAll(VERSION_IN_LOG, "$1"));
        }
        java.util.Map<Path, java.nio.file.attribute.FileTime> copies = new java.util.HashMap<>();
        try (var files = java.nio.file.Files.list(cache)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".jar")).toList()) {
                copies.put(f, java.nio.file.Files.getLastModifiedTime(f));
            }
        }
        assertEquals(1, copies.size(), copies.toString());
        // an unchanged jar: the copy is taken as it is (not written again), and still works
        Path copy = copies.keySet().iterator().next();
        java.nio.file.Files.setLastModifiedTime(copy, java.nio.file.attribute.FileTime.fromMillis(1_000_000L));
        try (PluginSystem ps = h.start()) {
            assertEquals("1.0", h.run(ps, LIB_VERSION).log().replaceAll(VERSION_IN_LOG, "$1"));
        }
        assertEquals(1_000_000L, java.nio.file.Files.getLastModifiedTime(copy).toMillis());
        // the same jar name with another library inside: copied out again, the new one is used
        TestPluginJar.plugin("p", "1.0.0").lib(v2).step("p.Version", "libVersion", "return com.example.Lib.version();").build(h.plugins);
        try (PluginSystem ps = h.start()) {
            assertEquals("2.0", h.run(ps, LIB_VERSION).log().replaceAll(VERSION_IN_LOG, "$1"));
        }
        // a copy deleted behind the plugin system's back is made again
        try (var files = java.nio.file.Files.list(cache)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".jar")).toList()) {
                java.nio.file.Files.delete(f);
            }
        }
        try (PluginSystem ps = h.start()) {
            assertEquals("2.0", h.run(ps, LIB_VERSION).log().replaceAll(VERSION_IN_LOG, "$1"));
        }
    }

    @Test
    void aPluginCannotReachTheEnginesClassesOrItsLibraries() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        TestPluginJar.plugin("nosy", "1.0.0").step("nosy.Peek", "peek",
                "String out = \"\";\n"
                + "for (String c : new String[] {\"dev.gantry.engine.steps.StepLibrary\", \"com.fasterxml.jackson.databind.ObjectMapper\","
                + " \"groovy.lang.Closure\", \"dev.gantry.api.step.Step\", \"java.sql.Connection\"}) {\n"
                + "  try { Class.forName(c, false, getClass().getClassLoader()); out += c + \"=visible \"; }\n"
                + "  catch (ClassNotFoundException e) { out += c + \"=hidden \"; }\n"
                + "}\nreturn out;").build(h.plugins);
        try (PluginSystem ps = h.start()) {
            PluginHarness.Run r = h.run(ps, "echo peek()");
            assertEquals(Result.SUCCESS, r.result(), r.log());
            assertTrue(r.log().contains("dev.gantry.engine.steps.StepLibrary=hidden com.fasterxml.jackson.databind.ObjectMapper=hidden"
                    + " groovy.lang.Closure=hidden dev.gantry.api.step.Step=visible java.sql.Connection=visible"), r.log());
        }
    }

    @Test
    void aPluginSeesTheClassesOfThePluginsItDependsOn() throws Exception {
        PluginHarness h = new PluginHarness(tmp);
        TestPluginJar.plugin("base", "1.0.0")
                .source("base.Greeting", "package base; public class Greeting { public static String of(String n) { return \"Hi \" + n; } }")
                .build(h.plugins);
        TestPluginJar.plugin("user", "1.0.0").dependencies("base@>=1.0.0")
                .step("user.Greet", "greetVia", "return base.Greeting.of(args.string(\"value\"));").compileAgainst(baseOnClassPath()).build(h.plugins);
        try (PluginSystem ps = h.start()) {
            PluginHarness.Run r = h.run(ps, "echo greetVia('Ada')");
            assertEquals(Result.SUCCESS, r.result(), r.log());
            assertTrue(r.log().contains("Hi Ada"), r.log());
        }
    }

    /** The dependency's API, for compiling the dependent plugin; at run time the dependency plugin provides it. */
    private Path baseOnClassPath() throws Exception {
        Path dir = tmp.resolve("base-api");
        java.nio.file.Files.createDirectories(dir);
        return TestPluginJar.library(dir, "base-api.jar", "base.Greeting",
                "package base; public class Greeting { public static String of(String n) { return \"shadow \" + n; } }");
    }
}
