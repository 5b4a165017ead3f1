package dev.gantry.engine.workspace;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes and reads the POSIX tar streams of {@code stash}/{@code unstash} and workspace copies.
 * Extraction is where untrusted input meets the file system, so every entry is checked before
 * anything is written for it.
 */
final class Tar {
    private static final boolean POSIX = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final int BUFFER = 64 * 1024;

    private Tar() {
    }

    /** Writes {@code entries} (found below {@code dir}) as a tar stream; returns how many. */
    static int write(Path dir, List<LocalWorkspace.Entry> entries, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosingOutputStream(out));
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        byte[] buf = new byte[BUFFER];
        int count = 0;
        for (LocalWorkspace.Entry e : entries) {
            if (e.link()) {
                Path target = Files.readSymbolicLink(e.path());
                if (staysInside(e.relative(), target)) {
                    TarArchiveEntry te = new TarArchiveEntry(e.relative(), TarConstants.LF_SYMLINK);
                    te.setLinkName(separators(target.toString()));
                    te.setMode(0120777);
                    tar.putArchiveEntry(te);
                    tar.closeArchiveEntry();
                    count++;
                    continue;
                }
            }
            // A regular file, or a link to a file elsewhere in the root: store the content.
            BasicFileAttributes attrs;
            int mode;
            Path source;
            try {
                source = e.link() ? e.path().toRealPath() : e.path();
                if (POSIX) {
                    PosixFileAttributes pa = Files.readAttributes(source, PosixFileAttributes.class);
                    attrs = pa;
                    mode = toMode(pa.permissions());
                } else {
                    attrs = Files.readAttributes(source, BasicFileAttributes.class);
                    mode = Files.isExecutable(source) ? 0755 : 0644;
                }
            } catch (NoSuchFileException gone) {
                continue; // deleted since the scan, by a process still running in the workspace
            }
            TarArchiveEntry te = new TarArchiveEntry(e.relative());
            te.setMode(0100000 | mode);
            te.setSize(attrs.size());
            te.setModTime(attrs.lastModifiedTime());
            tar.putArchiveEntry(te);
            copyExactly(source, attrs.size(), tar, buf);
            tar.closeArchiveEntry();
            count++;
        }
        tar.finish();
        tar.flush();
        return count;
    }

    /** Copies exactly {@code size} bytes, padding with zeros if the file shrank meanwhile. */
    private static void copyExactly(Path source, long size, OutputStream out, byte[] buf) throws IOException {
        long left = size;
        try (InputStream in = Files.newInputStream(source)) {
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
        if (left > 0) {
            java.util.Arrays.fill(buf, (byte) 0);
            while (left > 0) {
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    /** Whether a link at {@code relative} pointing to {@code target} stays inside the directory. */
    private static boolean staysInside(String relative, Path target) {
        if (target.isAbsolute() || target.toString().startsWith("/") || target.toString().startsWith("\\")) {
            return false;
        }
        String parent = relative.contains("/") ? relative.substring(0, relative.lastIndexOf('/')) : "";
        try {
            LocalWorkspace.normalize(parent, separators(target.toString()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Extracts {@code in} into {@code dir} (which exists and was checked by the caller).
     *
     * @return the number of files and links written
     * @throws IOException naming the entry when one would land outside {@code dir}
     */
    static int extract(Path dir, InputStream in) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(new NonClosingInputStream(in));
        Set<Path> checkedDirs = new HashSet<>();
        byte[] buf = new byte[BUFFER];
        int count = 0;
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            String name = e.getName();
            Path target = entryTarget(dir, name);
            if (target.equals(dir)) {
                continue; // "./" entries written by tar(1)
            }
            checkParents(dir, target, name, checkedDirs);
            if (e.isDirectory()) {
                if (Files.isSymbolicLink(target)) {
                    throw refuse(name, dir, "a symbolic link is in the way of that directory");
                }
                createDirectories(target);
            } else if (e.isSymbolicLink()) {
                String link = e.getLinkName();
                String parent = dir.relativize(target.getParent()).toString().replace('\\', '/');
                if (link.isEmpty() || link.startsWith("/") || link.startsWith("\\") || Path.of(link).isAbsolute()
                        || !linkInside(parent, link)) {
                    throw refuse(name, dir, "it is a symbolic link to '" + link + "', which points outside");
                }
                createDirectories(target.getParent());
                clearWay(target, name, dir);
                Files.createSymbolicLink(target, Path.of(link));
                checkedDirs.remove(target);
                count++;
            } else if (e.isLink()) {
                throw refuse(name, dir, "hard links are not supported; archive the file itself");
            } else if (e.isFile()) {
                createDirectories(target.getParent());
                clearWay(target, name, dir);
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    int n;
                    while ((n = tar.read(buf)) >= 0) {
                        out.write(buf, 0, n);
                    }
                } catch (IOException x) {
                    throw LocalWorkspace.failure("write", target, x);
                }
                applyMode(target, e);
                count++;
            }
            // Devices, FIFOs and other special entries are not build files: skipped.
        }
        return count;
    }

    private static Path entryTarget(Path dir, String name) throws IOException {
        if (name.isEmpty()) {
            throw refuse(name, dir, "the entry has no name");
        }
        if (name.startsWith("/") || name.startsWith("\\")
                || name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0))) {
            throw refuse(name, dir, "its path is absolute");
        }
        for (String seg : name.split("[/\\\\]")) {
            if (seg.equals("..")) {
                throw refuse(name, dir, "its path contains '..'");
            }
        }
        try {
            String rel = LocalWorkspace.normalize("", name);
            return rel.isEmpty() ? dir : dir.resolve(rel);
        } catch (IOException x) {
            throw refuse(name, dir, x.getMessage());
        }
    }

    private static boolean linkInside(String parent, String link) {
        try {
            LocalWorkspace.normalize(parent, link);
            return true;
        } catch (IOException x) {
            return false;
        }
    }

    /** Every existing directory between {@code dir} and {@code target} must be a real directory. */
    private static void checkParents(Path dir, Path target, String name, Set<Path> checked) throws IOException {
        Path rel = dir.relativize(target);
        Path p = dir;
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            p = p.resolve(rel.getName(i));
            if (checked.contains(p)) {
                continue;
            }
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException missing) {
                return; // nothing below a missing directory can be a link yet
            }
            if (a.isSymbolicLink()) {
                throw refuse(name, dir, "it would be written through the symbolic link " + p);
            }
            if (!a.isDirectory()) {
                throw refuse(name, dir, p + " is a file, not a directory");
            }
            checked.add(p);
        }
    }

    /** Removes a file or link where an entry goes; a directory there is an error. */
    private static void clearWay(Path target, String name, Path dir) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException missing) {
            return;
        }
        if (a.isDirectory()) {
            throw refuse(name, dir, "a directory of that name exists");
        }
        Files.delete(target);
    }

    private static void applyMode(Path target, TarArchiveEntry e) throws IOException {
        int mode = e.getMode() & 0777;
        if (POSIX && mode != 0) {
            // Owner read/write is kept so that a later unstash can replace the file.
            Files.setPosixFilePermissions(target, fromMode(mode | 0600));
        }
        FileTime modified = e.getLastModifiedTime();
        if (modified != null && modified.toMillis() > 0) {
            Files.setLastModifiedTime(target, modified);
        }
    }

    private static void createDirectories(Path d) throws IOException {
        try {
            Files.createDirectories(d);
        } catch (IOException x) {
            throw LocalWorkspace.failure("create directory", d, x);
        }
    }

    private static IOException refuse(String name, Path dir, String why) {
        return new IOException("Refusing to extract tar entry '" + name + "' into " + dir + ": " + why);
    }

    private static String separators(String s) {
        return s.replace('\\', '/');
    }

    static int toMode(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }

    static Set<PosixFilePermission> fromMode(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & 1 << (8 - p.ordinal())) != 0) {
                perms.add(p);
            }
        }
        return perms;
    }

    private static final class NonClosingInputStream extends FilterInputStream {
        NonClosingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the caller owns the stream
        }
    }
}
