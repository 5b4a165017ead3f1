package dev.gantry.engine.workspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.workspace.FileSelection;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalWorkspaceTest {
    @TempDir
    Path tmp;
    Path root;
    LocalWorkspace ws;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("ws"));
        ws = new LocalWorkspace("built-in", root, "");
    }

    private void file(String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private static String text(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void describesItself() throws IOException {
        assertEquals(root.toString(), ws.path());
        assertEquals("built-in", ws.nodeName());
        assertEquals(java.io.File.separatorChar == '/', ws.isUnix());
        LocalWorkspace sub = ws.child("a/./b/");
        assertEquals(root.resolve("a/b").toString(), sub.path());
        assertEquals("a/b", sub.relativeDirectory());
        assertTrue(ws.freeSpace() > 0);
        assertTrue(new LocalWorkspace("n", root.resolve("not/yet"), "").freeSpace() > 0);
    }

    @Test
    void writesReadsAndReplacesFiles() throws IOException {
        ws.write("dir/sub/f.txt", new ByteArrayInputStream("one".getBytes(StandardCharsets.UTF_8)));
        ws.write("dir/sub/f.txt", new ByteArrayInputStream("two".getBytes(StandardCharsets.UTF_8)));
        assertEquals("two", text(ws.read("dir/sub/f.txt")));
        assertTrue(ws.exists("dir/sub/f.txt"));
        assertTrue(ws.isDirectory("dir/sub"));
        assertFalse(ws.isDirectory("dir/sub/f.txt"));
        assertEquals("two", text(ws.child("dir").read("sub/f.txt")));
        IOException dir = assertThrows(IOException.class, () -> ws.read("dir"));
        assertTrue(dir.getMessage().contains("is a directory"), dir.getMessage());
        assertThrows(NoSuchFileException.class, () -> ws.read("missing.txt"));
    }

    @Test
    void writeKeepsPermissionsOfAnExistingFile() throws IOException {
        file("run.sh", "old");
        Files.setPosixFilePermissions(root.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        ws.write("run.sh", new ByteArrayInputStream("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("run.sh"))));
    }

    @Test
    void rejectsPathsLeavingTheRoot() throws IOException {
        for (String bad : List.of("../x", "a/../../x", "/etc/passwd", "..", "C:/Windows")) {
            IOException e = assertThrows(IOException.class, () -> ws.read(bad), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
            assertThrows(IOException.class, () -> ws.write(bad, InputStream.nullInputStream()), bad);
            assertThrows(IOException.class, () -> ws.exists(bad), bad);
            assertThrows(IOException.class, () -> ws.child(bad), bad);
            assertThrows(IOException.class, () -> ws.delete(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new LocalWorkspace("n", root, "../elsewhere"));
        // Climbing stays allowed while it stays inside the root.
        file("a/x", "inside");
        assertEquals("inside", text(ws.child("b").read("../a/x")));
        assertThrows(IOException.class, () -> ws.child("b").read("../../x"));
    }

    @Test
    void rejectsSymbolicLinksResolvingOutside() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "s");
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.createSymbolicLink(root.resolve("secret-link"), outside.resolve("secret"));
        IOException e = assertThrows(IOException.class, () -> ws.read("out/secret"));
        assertTrue(e.getMessage().contains("out/secret") && e.getMessage().contains("symbolic link"), e.getMessage());
        assertThrows(IOException.class, () -> ws.read("secret-link"));
        assertThrows(IOException.class, () -> ws.write("out/new", InputStream.nullInputStream()));
        assertFalse(Files.exists(outside.resolve("new")));
        assertThrows(IOException.class, () -> ws.child("out"));
        assertThrows(IOException.class, () -> ws.mkdirs("out/x"));
        // Deleting the link removes the link, never what it points to.
        ws.delete("out");
        assertFalse(Files.exists(root.resolve("out"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(outside.resolve("secret")));
    }

    @Test
    void linksInsideTheRootAreFollowed() throws IOException {
        file("real/a.txt", "A");
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
        assertEquals("A", text(ws.read("alias/a.txt")));
    }

    @Test
    void writeReplacesALinkInsteadOfWritingThroughIt() throws IOException {
        file("target.txt", "keep");
        Files.createSymbolicLink(root.resolve("link.txt"), Path.of("target.txt"));
        ws.write("link.txt", new ByteArrayInputStream("mine".getBytes(StandardCharsets.UTF_8)));
        assertEquals("keep", Files.readString(root.resolve("target.txt")));
        assertEquals("mine", Files.readString(root.resolve("link.txt")));
        assertFalse(Files.isSymbolicLink(root.resolve("link.txt")));
    }

    @Test
    void deletesTreesAndTheDirectoryItself() throws IOException {
        file("d/e/f.txt", "x");
        file("keep.txt", "k");
        Files.createSymbolicLink(root.resolve("d/e/up"), root);
        ws.delete("d");
        assertFalse(Files.exists(root.resolve("d")));
        assertTrue(Files.exists(root.resolve("keep.txt")));
        ws.delete("nothing/here");
        LocalWorkspace sub = ws.child("s");
        sub.mkdirs("t");
        sub.delete("");
        assertFalse(Files.exists(root.resolve("s")));
        assertTrue(Files.exists(root));
    }

    @Test
    void listsFilesSortedWithPatternsAndDefaultExcludes() throws IOException {
        for (String f : List.of("b.txt", "a/x.java", "a/b/y.java", "a/b/y.java~", ".git/config", "sub/.gitignore",
                "target/app.jar", "target/classes/A.class", "README.md")) {
            file(f, f);
        }
        assertEquals(List.of("README.md", "a/b/y.java", "a/x.java", "b.txt", "target/app.jar", "target/classes/A.class"),
                ws.list(FileSelection.all()));
        assertEquals(List.of(".git/config", "README.md", "a/b/y.java", "a/b/y.java~", "a/x.java", "b.txt",
                "sub/.gitignore", "target/app.jar", "target/classes/A.class"), ws.list(new FileSelection("", "", false)));
        assertEquals(List.of("a/b/y.java", "a/x.java"), ws.list(FileSelection.of("**/*.java")));
        assertEquals(List.of("a/b/y.java", "target/app.jar"),
                ws.list(new FileSelection("**/*.java, target/", "a/x.java,**/*.class", true)));
        assertEquals(List.of("b/y.java", "x.java"), ws.child("a").list(FileSelection.of("**/*.java")));
        assertEquals(List.of(), ws.child("missing").list(FileSelection.all()));
        assertEquals(List.of("README.md"), ws.list(FileSelector.of("readme.MD", null, true, false)));
    }

    @Test
    void listNeverFollowsLinkedDirectoriesAndSkipsLinksOutside() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "s");
        file("real/a.txt", "A");
        Files.createSymbolicLink(root.resolve("out-dir"), outside);
        Files.createSymbolicLink(root.resolve("out-file"), outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("loop"), root);
        Files.createSymbolicLink(root.resolve("in-file"), Path.of("real/a.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("nope"));
        assertEquals(List.of("in-file", "real/a.txt"), ws.list(FileSelection.all()));
    }

    @Test
    void failuresSayWhatWentWrongPlainly() {
        Path p = Path.of("/ws/out.bin");
        IOException full = LocalWorkspace.failure("write", p,
                new FileSystemException("/ws/out.bin", null, "No space left on device"));
        assertTrue(full.getMessage().startsWith("Cannot write /ws/out.bin: the disk is full"), full.getMessage());
        IOException denied = LocalWorkspace.failure("write", p, new java.nio.file.AccessDeniedException("/ws/out.bin"));
        assertTrue(denied.getMessage().contains("permission denied on /ws/out.bin"), denied.getMessage());
    }

    @Test
    void aFileInTheWayOfADirectoryIsReportedPlainly() throws IOException {
        file("blocker", "x");
        IOException e = assertThrows(IOException.class,
                () -> ws.write("blocker/inner.txt", InputStream.nullInputStream()));
        assertTrue(e.getMessage().contains("blocker") && e.getMessage().contains("a file is in the way"), e.getMessage());
    }

    @Test
    void unwritableDirectoryIsReportedPlainly() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "root may write anywhere, so permissions cannot be tested");
        Path ro = Files.createDirectories(root.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            IOException e = assertThrows(IOException.class, () -> ws.write("ro/f", InputStream.nullInputStream()));
            assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void tempScriptsLiveBesideTheRootAndAreDeleted() throws IOException {
        String path = ws.child("sub").writeTempScript("script.sh", "echo hi".getBytes(StandardCharsets.UTF_8), true);
        Path p = Path.of(path);
        assertEquals(tmp.resolve("ws@tmp"), p.getParent().getParent());
        assertTrue(p.getParent().getFileName().toString().startsWith("durable-"));
        assertTrue(Files.isExecutable(p));
        assertArrayEquals("echo hi".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(p));
        ws.deleteTempScript(path);
        assertFalse(Files.exists(p.getParent()));
        assertThrows(IOException.class, () -> ws.deleteTempScript(root.resolve("x/y").toString()));
    }
}
