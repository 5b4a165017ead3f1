package dev.gantry.engine.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import dev.gantry.api.build.ArtifactStore;
import dev.gantry.api.build.StashStore;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.engine.workspace.LocalArtifactStore;
import dev.gantry.engine.workspace.LocalStashStore;
import dev.gantry.engine.workspace.LocalWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StashAndArchiveStepsTest {
    @TempDir
    Path tmp;
    Path root;
    LocalStashStore stashes;
    LocalArtifactStore artifacts;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("ws"));
        stashes = new LocalStashStore(tmp.resolve("build/stashes"));
        artifacts = new LocalArtifactStore(tmp.resolve("build/archive"));
        for (String f : List.of("target/app.jar", "target/app-sources.jar", "target/classes/A.class", "README.md",
                ".git/HEAD", "notes.txt~")) {
            Files.createDirectories(root.resolve(f).getParent());
            Files.writeString(root.resolve(f), "content of " + f);
        }
    }

    private TestStepContext ctx(Path dir) {
        return new TestStepContext(new LocalWorkspace("built-in", dir))
                .service(StashStore.class, stashes)
                .service(ArtifactStore.class, artifacts);
    }

    private static Object run(Step step, TestStepContext ctx, Object... args) throws Exception {
        return step.run(ctx, TestArguments.of(step.descriptor(), args));
    }

    private static List<String> files(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void stashThenUnstashElsewhereRestoresTheSelection() throws Exception {
        Files.setPosixFilePermissions(root.resolve("target/app.jar"), PosixFilePermissions.fromString("rwxr-xr-x"));
        TestStepContext c = ctx(root);
        run(new StashStep(), c, "name", "jars", "includes", "target/*.jar", "excludes", "**/*-sources.jar");
        assertTrue(c.log().contains("Stashed 1 file(s)"), c.log());

        Path other = tmp.resolve("other-node/ws");
        run(new UnstashStep(), ctx(other), "name", "jars");
        assertEquals(List.of("target/app.jar"), files(other));
        assertTrue(Files.isExecutable(other.resolve("target/app.jar")));
    }

    @Test
    void stashTakesEverythingButDefaultExcludesByDefault() throws Exception {
        run(new StashStep(), ctx(root), "name", "all");
        Path other = tmp.resolve("other");
        run(new UnstashStep(), ctx(other), "name", "all");
        assertEquals(List.of("README.md", "target/app-sources.jar", "target/app.jar", "target/classes/A.class"),
                files(other));

        run(new StashStep(), ctx(root), "name", "raw", "useDefaultExcludes", false);
        Path raw = tmp.resolve("raw");
        run(new UnstashStep(), ctx(raw), "name", "raw");
        assertTrue(files(raw).contains(".git/HEAD"));
        assertTrue(files(raw).contains("notes.txt~"));
    }

    @Test
    void stashWithNoFilesFailsUnlessAllowed() throws Exception {
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> run(new StashStep(), ctx(root), "name", "none", "includes", "**/*.war"));
        assertEquals("No files included in stash 'none'", e.getMessage());
        assertFalse(stashes.exists("none"));
        TestStepContext c = ctx(root);
        run(new StashStep(), c, "name", "none", "includes", "**/*.war", "allowEmpty", true);
        assertTrue(c.log().contains("Stashed 0 file(s)"));
        assertTrue(stashes.exists("none"));
    }

    @Test
    void stashNameAndStorageProblemsAreReported() {
        StepFailedException bad = assertThrows(StepFailedException.class,
                () -> run(new StashStep(), ctx(root), "name", "../x"));
        assertTrue(bad.getMessage().contains("'../x'"), bad.getMessage());
        TestStepContext noStore = new TestStepContext(new LocalWorkspace("built-in", root));
        StepFailedException none = assertThrows(StepFailedException.class,
                () -> run(new StashStep(), noStore, "name", "x"));
        assertTrue(none.getMessage().contains("no stash storage"), none.getMessage());
    }

    @Test
    void unstashOfAMissingStashFailsInJenkinsWording() {
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> run(new UnstashStep(), ctx(root), "name", "never-saved"));
        assertEquals("No such saved stash 'never-saved'", e.getMessage());
    }

    @Test
    void archiveArtifactsStoresMatchesWithFingerprints() throws Exception {
        TestStepContext c = ctx(root);
        run(new ArchiveArtifactsStep(), c, "artifacts", "target/*.jar, README.md", "excludes", "**/*-sources.jar",
                "fingerprint", true);
        assertEquals(List.of("README.md", "target/app.jar"), artifacts.list());
        assertTrue(c.log().startsWith("Archiving artifacts\n"), c.log());
        // MD5 of "content of target/app.jar", as md5sum prints it.
        assertEquals(md5Hex("content of target/app.jar"), artifacts.fingerprints().get("target/app.jar").hexDigest());
        assertEquals("MD5", artifacts.fingerprints().get("target/app.jar").algorithm());
        try (var in = artifacts.open("target/app.jar")) {
            assertEquals("content of target/app.jar", new String(in.readAllBytes()));
        }
    }

    @Test
    void archiveArtifactsWithNoMatchFailsUnlessAllowed() throws Exception {
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> run(new ArchiveArtifactsStep(), ctx(root), "artifacts", "**/*.war"));
        assertEquals("No artifacts found that match the file pattern \"**/*.war\". Configuration error?", e.getMessage());
        TestStepContext c = ctx(root);
        run(new ArchiveArtifactsStep(), c, "artifacts", "**/*.war", "allowEmptyArchive", true);
        assertTrue(c.log().contains("No artifacts found"), c.log());
        assertEquals(List.of(), artifacts.list());
    }

    @Test
    void archiveArtifactsHonoursCaseAndDefaultExcludes() throws Exception {
        run(new ArchiveArtifactsStep(), ctx(root), "artifacts", "readme.MD", "caseSensitive", false);
        assertEquals(List.of("README.md"), artifacts.list());
        assertThrows(StepFailedException.class,
                () -> run(new ArchiveArtifactsStep(), ctx(root), "artifacts", "readme.MD"));
        assertThrows(StepFailedException.class,
                () -> run(new ArchiveArtifactsStep(), ctx(root), "artifacts", ".git/*"));
        run(new ArchiveArtifactsStep(), ctx(root), "artifacts", ".git/*", "defaultExcludes", false);
        assertTrue(artifacts.list().contains(".git/HEAD"));
    }

    @Test
    void archiveArtifactsOnlyIfSuccessfulSkipsAFailingBuild() throws Exception {
        TestStepContext c = ctx(root).result(Result.UNSTABLE);
        run(new ArchiveArtifactsStep(), c, "artifacts", "README.md", "onlyIfSuccessful", true);
        assertEquals(List.of(), artifacts.list());
        assertTrue(c.log().contains("Skipped archiving because build is not successful"), c.log());
        run(new ArchiveArtifactsStep(), ctx(root).result(Result.UNSTABLE), "artifacts", "README.md");
        assertEquals(List.of("README.md"), artifacts.list());
    }

    @Test
    void archiveArtifactsWorksRelativeToTheCurrentDirectory() throws Exception {
        run(new ArchiveArtifactsStep(), ctx(root.resolve("target")), "artifacts", "*.jar");
        assertEquals(List.of("app-sources.jar", "app.jar"), artifacts.list());
    }

    private static String md5Hex(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
