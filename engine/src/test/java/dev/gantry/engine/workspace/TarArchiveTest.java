package dev.gantry.engine.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.workspace.FileSelection;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarArchiveTest {
    @TempDir
    Path tmp;

    private static final String LONG_NAME = "very/" + "long-directory-name-".repeat(8) + "/" + "x".repeat(120) + ".txt";

    @Test
    void roundTripKeepsContentModesLinksAndLongNames() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(src.resolve("bin"));
        Files.writeString(src.resolve("bin/run.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(src.resolve("bin/run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(src.resolve("plain.txt"), "plain");
        Files.setPosixFilePermissions(src.resolve("plain.txt"), PosixFilePermissions.fromString("rw-r-----"));
        Files.createDirectories(src.resolve(LONG_NAME).getParent());
        Files.writeString(src.resolve(LONG_NAME), "long");
        Files.write(src.resolve("binary.bin"), new byte[] {0, (byte) 0xff, (byte) 0xfe, 10, 13});
        Files.createSymbolicLink(src.resolve("bin/alias.sh"), Path.of("run.sh"));
        Files.createSymbolicLink(src.resolve("absolute-inside"), src.resolve("plain.txt"));
        Files.writeString(src.resolve(".git-ignored~"), "backup");

        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        int written = new LocalWorkspace("n", src).archive(FileSelection.all(), tar);
        assertEquals(6, written);

        Path dst = tmp.resolve("dst");
        int extracted = new LocalWorkspace("n", dst).extract(new ByteArrayInputStream(tar.toByteArray()));
        assertEquals(6, extracted);
        assertEquals("#!/bin/sh\necho hi\n", Files.readString(dst.resolve("bin/run.sh")));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dst.resolve("bin/run.sh"))));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dst.resolve("plain.txt"))));
        assertEquals("long", Files.readString(dst.resolve(LONG_NAME)));
        assertEquals(5, Files.readAllBytes(dst.resolve("binary.bin")).length);
        assertEquals((byte) 0xfe, Files.readAllBytes(dst.resolve("binary.bin"))[2]);
        assertTrue(Files.isSymbolicLink(dst.resolve("bin/alias.sh")));
        assertEquals(Path.of("run.sh"), Files.readSymbolicLink(dst.resolve("bin/alias.sh")));
        // A link with an absolute target cannot travel: its file's content is stored instead.
        assertFalse(Files.isSymbolicLink(dst.resolve("absolute-inside")));
        assertEquals("plain", Files.readString(dst.resolve("absolute-inside")));
        assertFalse(Files.exists(dst.resolve(".git-ignored~")));
        assertEquals(Files.getLastModifiedTime(src.resolve("plain.txt")).toMillis() / 1000,
                Files.getLastModifiedTime(dst.resolve("plain.txt")).toMillis() / 1000);
    }

    @Test
    void archiveDoesNotCloseTheCallersStream() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a"), "a");
        boolean[] closed = {false};
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        new LocalWorkspace("n", src).archive(FileSelection.all(), out);
        assertFalse(closed[0]);
        assertEquals(List.of("a"), entryNames(out.toByteArray()));
    }

    @Test
    void linksLeavingTheArchivedDirectoryAreNeverFollowed() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "secret");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createSymbolicLink(src.resolve("secret"), outside.resolve("secret"));
        Files.createSymbolicLink(src.resolve("dir"), outside);
        Files.writeString(src.resolve("ok"), "ok");
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        assertEquals(1, new LocalWorkspace("n", src).archive(FileSelection.all(), tar));
        assertEquals(List.of("ok"), entryNames(tar.toByteArray()));
    }

    @Test
    void rejectsEntriesClimbingOut() throws IOException {
        byte[] tar = craft(t -> {
            file(t, "good.txt", "fine");
            file(t, "../evil", "pwned");
        });
        Path dst = Files.createDirectories(tmp.resolve("a/dst"));
        IOException e = assertThrows(IOException.class,
                () -> new LocalWorkspace("n", dst).extract(new ByteArrayInputStream(tar)));
        assertTrue(e.getMessage().contains("'../evil'") && e.getMessage().contains(".."), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("a/evil")));
        assertTrue(Files.exists(dst.resolve("good.txt")));
    }

    @Test
    void rejectsAbsoluteEntries() throws IOException {
        Path victim = tmp.resolve("victim.txt");
        byte[] tar = craft(t -> file(t, victim.toString(), "pwned"));
        Path dst = tmp.resolve("dst");
        IOException e = assertThrows(IOException.class,
                () -> new LocalWorkspace("n", dst).extract(new ByteArrayInputStream(tar)));
        assertTrue(e.getMessage().contains("absolute"), e.getMessage());
        assertFalse(Files.exists(victim));
    }

    @Test
    void rejectsFilesWrittenThroughAnExtractedSymlink() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        byte[] viaInsideLink = craft(t -> {
            link(t, "sub/link", "..");
            file(t, "sub/link/x.txt", "through a link");
        });
        Path dst = tmp.resolve("dst");
        IOException e = assertThrows(IOException.class,
                () -> new LocalWorkspace("n", dst).extract(new ByteArrayInputStream(viaInsideLink)));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertFalse(Files.exists(dst.resolve("x.txt")));

        byte[] viaOutsideLink = craft(t -> {
            link(t, "escape", outside.toString());
            file(t, "escape/x.txt", "pwned");
        });
        Path dst2 = tmp.resolve("dst2");
        IOException e2 = assertThrows(IOException.class,
                () -> new LocalWorkspace("n", dst2).extract(new ByteArrayInputStream(viaOutsideLink)));
        assertTrue(e2.getMessage().contains("'escape'") && e2.getMessage().contains("points outside"), e2.getMessage());
        assertFalse(Files.exists(dst2.resolve("escape"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(outside.resolve("x.txt")));

        byte[] relativeEscape = craft(t -> link(t, "up", "../../outside"));
        assertThrows(IOException.class,
                () -> new LocalWorkspace("n", tmp.resolve("dst3")).extract(new ByteArrayInputStream(relativeEscape)));
        assertFalse(Files.exists(tmp.resolve("dst3/up"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void replacesAPreexistingLinkInsteadOfWritingThroughIt() throws IOException {
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Files.writeString(dst.resolve("target"), "keep");
        Files.createSymbolicLink(dst.resolve("name"), Path.of("target"));
        byte[] tar = craft(t -> file(t, "name", "new"));
        new LocalWorkspace("n", dst).extract(new ByteArrayInputStream(tar));
        assertEquals("keep", Files.readString(dst.resolve("target")));
        assertEquals("new", Files.readString(dst.resolve("name")));
    }

    @Test
    void keepsExecutableBitsFromForeignArchives() throws IOException {
        byte[] tar = craft(t -> {
            TarArchiveEntry e = new TarArchiveEntry("tool");
            byte[] data = "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8);
            e.setSize(data.length);
            e.setMode(0100755);
            t.putArchiveEntry(e);
            t.write(data);
            t.closeArchiveEntry();
            t.putArchiveEntry(new TarArchiveEntry("emptydir/"));
            t.closeArchiveEntry();
        });
        Path dst = tmp.resolve("dst");
        assertEquals(1, new LocalWorkspace("n", dst).extract(new ByteArrayInputStream(tar)));
        assertTrue(Files.isExecutable(dst.resolve("tool")));
        assertTrue(Files.isDirectory(dst.resolve("emptydir")));
    }

    // ---- helpers -----------------------------------------------------------------------

    interface TarWriter {
        void write(TarArchiveOutputStream t) throws IOException;
    }

    private static byte[] craft(TarWriter body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            body.write(t);
        }
        return out.toByteArray();
    }

    private static void file(TarArchiveOutputStream t, String name, String content) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        // The (String, boolean preserveAbsolutePath) constructor keeps '/' and '..' as an attacker would.
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(data.length);
        t.putArchiveEntry(e);
        t.write(data);
        t.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream t, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    private static List<String> entryNames(byte[] tar) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
