package dev.gantry.engine.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.step.StepFailedException;
import dev.gantry.engine.workspace.LocalWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanWsStepTest {
    @TempDir
    Path tmp;
    Path root;

    @BeforeEach
    void files() throws Exception {
        root = tmp.resolve("ws");
        Files.createDirectories(root.resolve("build/classes"));
        Files.createDirectories(root.resolve("src"));
        Files.writeString(root.resolve("build/classes/A.class"), "a");
        Files.writeString(root.resolve("build/app.jar"), "jar");
        Files.writeString(root.resolve("src/A.java"), "class A {}");
        Files.writeString(root.resolve("keep.keep"), "kept");
    }

    @Test
    void withoutPatternsTheWholeWorkspaceGoesAlsoFromInsideDir() throws Exception {
        TestStepContext ctx = new TestStepContext(new LocalWorkspace("built-in", root, "src"));
        new CleanWsStep().run(ctx, TestArguments.of(new CleanWsStep().descriptor()));
        assertFalse(Files.exists(root), "the workspace root must be gone");
        assertTrue(ctx.log().contains("[WS-CLEANUP] Deleting project workspace " + root), ctx.log());
    }

    @Test
    void includePatternsDeleteOnlyTheirFilesAndDeleteDirsTheDirectoriesLeftEmpty() throws Exception {
        TestStepContext ctx = new TestStepContext(new LocalWorkspace("built-in", root));
        new CleanWsStep().run(ctx, TestArguments.of(new CleanWsStep().descriptor(), "deleteDirs", true,
                "patterns", List.of(Map.of("pattern", "build/**", "type", "INCLUDE"))));
        assertFalse(Files.exists(root.resolve("build")), "build/ was left empty, so it goes with deleteDirs");
        assertTrue(Files.exists(root.resolve("src/A.java")) && Files.exists(root.resolve("keep.keep")));
        assertTrue(ctx.log().contains("[WS-CLEANUP] Deleting 2 file(s) matching the patterns in " + root), ctx.log());
    }

    @Test
    void onlyExcludePatternsDeleteEverythingElse() throws Exception {
        TestStepContext ctx = new TestStepContext(new LocalWorkspace("built-in", root));
        new CleanWsStep().run(ctx, TestArguments.of(new CleanWsStep().descriptor(),
                "patterns", List.of(Map.of("pattern", "**/*.keep", "type", "EXCLUDE"))));
        assertEquals("kept", Files.readString(root.resolve("keep.keep")));
        assertFalse(Files.exists(root.resolve("src/A.java")) || Files.exists(root.resolve("build/app.jar")));
        assertTrue(Files.isDirectory(root.resolve("src")), "without deleteDirs the directories stay");
    }

    @Test
    void aPatternOfAnUnknownTypeFailsNamingIt() {
        TestStepContext ctx = new TestStepContext(new LocalWorkspace("built-in", root));
        StepFailedException e = assertThrows(StepFailedException.class, () -> new CleanWsStep().run(ctx,
                TestArguments.of(new CleanWsStep().descriptor(), "patterns", List.of(Map.of("pattern", "x", "type", "REMOVE")))));
        assertEquals("cleanWs: the type of pattern 'x' is 'REMOVE'; use INCLUDE or EXCLUDE", e.getMessage());
    }
}
