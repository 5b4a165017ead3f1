package dev.gantry.engine.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.step.Body;
import dev.gantry.api.step.BodyKind;
import dev.gantry.api.step.ContextChange;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.engine.workspace.LocalWorkspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStepsTest {
    @TempDir
    Path tmp;
    Path root;
    LocalWorkspace ws;
    TestStepContext ctx;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("ws"));
        ws = new LocalWorkspace("built-in", root);
        ctx = new TestStepContext(ws);
    }

    private static Object run(Step step, TestStepContext ctx, Object... args) throws Exception {
        return step.run(ctx, TestArguments.of(step.descriptor(), args));
    }

    @Test
    void descriptorsCarryJenkinsNamesAndHelp() {
        List<Step> steps = List.of(new ReadFileStep(), new WriteFileStep(), new FileExistsStep(), new DeleteDirStep(),
                new PwdStep(), new IsUnixStep(), new DirStep(), new StashStep(), new UnstashStep(),
                new ArchiveArtifactsStep(), new ShStep());
        assertEquals(List.of("readFile", "writeFile", "fileExists", "deleteDir", "pwd", "isUnix", "dir", "stash",
                "unstash", "archiveArtifacts", "sh"), steps.stream().map(s -> s.descriptor().name()).toList());
        for (Step s : steps) {
            assertFalse(s.descriptor().help().isBlank(), s.descriptor().name());
            assertTrue(s.descriptor().needsWorkspace(), s.descriptor().name());
            s.descriptor().parameters().values().forEach(p ->
                    assertFalse(p.help().isBlank(), s.descriptor().name() + "." + p.name()));
        }
        assertEquals(BodyKind.REQUIRED, new DirStep().descriptor().body());
        assertNull(new WriteFileStep().descriptor().positional());
    }

    @Test
    void writeFileThenReadFileRoundTrips() throws Exception {
        assertNull(run(new WriteFileStep(), ctx, "file", "out/notes.txt", "text", "héllo\n"));
        assertEquals("héllo\n", Files.readString(root.resolve("out/notes.txt")));
        assertEquals("héllo\n", run(new ReadFileStep(), ctx, "file", "out/notes.txt"));
    }

    @Test
    void encodingsIncludingJenkinsBase64() throws Exception {
        run(new WriteFileStep(), ctx, "file", "latin.txt", "text", "é", "encoding", "ISO-8859-1");
        assertEquals(1, Files.size(root.resolve("latin.txt")));
        assertEquals("é", run(new ReadFileStep(), ctx, "file", "latin.txt", "encoding", "ISO-8859-1"));
        run(new WriteFileStep(), ctx, "file", "bin.dat", "text", "AP/+", "encoding", "Base64");
        byte[] bytes = Files.readAllBytes(root.resolve("bin.dat"));
        assertEquals(List.of((byte) 0, (byte) 0xff, (byte) 0xfe), List.of(bytes[0], bytes[1], bytes[2]));
        assertEquals("AP/+", run(new ReadFileStep(), ctx, "file", "bin.dat", "encoding", "Base64"));
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> run(new WriteFileStep(), ctx, "file", "x", "text", "not base64!", "encoding", "Base64"));
        assertTrue(e.getMessage().contains("Base64"), e.getMessage());
    }

    @Test
    void readFileFailsClearlyForMissingFilesAndPathsOutside() throws Exception {
        StepFailedException missing = assertThrows(StepFailedException.class,
                () -> run(new ReadFileStep(), ctx, "file", "nope.txt"));
        assertEquals("readFile: no such file 'nope.txt' in " + root, missing.getMessage());
        StepFailedException passwd = assertThrows(StepFailedException.class,
                () -> run(new ReadFileStep(), ctx, "file", "/etc/passwd"));
        assertTrue(passwd.getMessage().contains("/etc/passwd") && passwd.getMessage().contains("absolute"),
                passwd.getMessage());
        StepFailedException up = assertThrows(StepFailedException.class,
                () -> run(new ReadFileStep(), ctx, "file", "../secret"));
        assertTrue(up.getMessage().contains("../secret"), up.getMessage());
        StepFailedException write = assertThrows(StepFailedException.class,
                () -> run(new WriteFileStep(), ctx, "file", "../evil", "text", "x"));
        assertTrue(write.getMessage().contains("../evil"), write.getMessage());
        assertFalse(Files.exists(tmp.resolve("evil")));
    }

    @Test
    void absolutePathsInsideTheCurrentDirectoryAreAccepted() throws Exception {
        run(new WriteFileStep(), ctx, "file", root.resolve("abs.txt").toString(), "text", "ok");
        assertEquals("ok", run(new ReadFileStep(), ctx, "file", root + "/abs.txt"));
    }

    @Test
    void fileExistsChecksFilesDirectoriesAndTheCurrentDirectory() throws Exception {
        Files.writeString(root.resolve("there.txt"), "x");
        Files.createDirectories(root.resolve("sub"));
        assertEquals(true, run(new FileExistsStep(), ctx, "file", "there.txt"));
        assertEquals(true, run(new FileExistsStep(), ctx, "file", "sub"));
        assertEquals(false, run(new FileExistsStep(), ctx, "file", "missing"));
        assertEquals(true, run(new FileExistsStep(), ctx, "file", ""));
        assertEquals(false, run(new FileExistsStep(), new TestStepContext(ws.child("nope")), "file", ""));
        assertThrows(StepFailedException.class, () -> run(new FileExistsStep(), ctx, "file", "/etc/passwd"));
    }

    @Test
    void deleteDirDeletesTheCurrentDirectoryOnly() throws Exception {
        Files.createDirectories(root.resolve("build/classes"));
        Files.writeString(root.resolve("build/classes/A.class"), "x");
        Files.writeString(root.resolve("keep.txt"), "k");
        assertNull(run(new DeleteDirStep(), new TestStepContext(ws.child("build"))));
        assertFalse(Files.exists(root.resolve("build")));
        assertTrue(Files.exists(root.resolve("keep.txt")));
        run(new DeleteDirStep(), ctx);
        assertFalse(Files.exists(root));
        run(new DeleteDirStep(), ctx);
    }

    @Test
    void pwdAndIsUnix() throws Exception {
        assertEquals(root.toString(), run(new PwdStep(), ctx));
        assertEquals(root + "/sub", run(new PwdStep(), new TestStepContext(ws.child("sub"))));
        assertEquals(root + "@tmp", run(new PwdStep(), ctx, "tmp", true));
        assertEquals(java.io.File.separatorChar == '/', run(new IsUnixStep(), ctx));
    }

    @Test
    void dirRunsTheBodyInTheSubdirectory() throws Exception {
        AtomicReference<ContextChange> seen = new AtomicReference<>();
        Body body = change -> {
            seen.set(change);
            TestStepContext inner = new TestStepContext(change.workspace());
            try {
                run(new WriteFileStep(), inner, "file", "made-inside.txt", "text", "in");
                return run(new PwdStep(), inner);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Object result = run(new DirStep(), ctx.body(body), "path", "a/b");
        assertEquals(root.resolve("a/b").toString(), result);
        assertEquals(root.resolve("a/b").toString(), seen.get().workspace().path());
        assertEquals("in", Files.readString(root.resolve("a/b/made-inside.txt"), StandardCharsets.UTF_8));
        assertTrue(ctx.log().contains("Running in " + root.resolve("a/b")), ctx.log());
    }

    @Test
    void dirRefusesToLeaveTheWorkspace() {
        Body body = change -> {
            throw new AssertionError("the body must not run");
        };
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> run(new DirStep(), ctx.body(body), "path", "../x"));
        assertTrue(e.getMessage().startsWith("dir: ") && e.getMessage().contains("../x"), e.getMessage());
        assertThrows(StepFailedException.class, () -> run(new DirStep(), ctx.body(body), "path", "/tmp"));
    }

    @Test
    void dirReturnsWhatTheBodyReturns() throws Exception {
        Object value = new Object();
        Body body = change -> value;
        assertSame(value, run(new DirStep(), ctx.body(body), "path", "x"));
    }
}
