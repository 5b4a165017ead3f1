package dev.gantry.engine.workspace;

import dev.gantry.api.workspace.FileSelection;
import dev.gantry.api.workspace.ProcessSpec;
import dev.gantry.api.workspace.RunningProcess;
import dev.gantry.api.workspace.Workspace;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A workspace directory on the machine running this JVM: what the controller's built-in agent
 * and {@code gantry run} use, and what a remote agent uses on its side. It is a view of one
 * directory ({@code root} joined with a relative directory) that may never reach outside
 * {@code root}: paths with {@code ..} that climb above it, absolute paths and symbolic links
 * whose real target lies outside are rejected with an {@link IOException} naming the path.
 * Immutable and thread-safe; the file system itself is of course shared.
 *
 * <p>Symbolic links: {@link #list} and {@link #archive} never descend into linked directories
 * (no cycles, no escapes). A link to a regular file inside the root is listed like a file.
 * {@link #archive} keeps a link as a link when its target is relative and stays inside the
 * archived directory, stores the target's content when the link points elsewhere inside the
 * root, and skips links that dangle, point to directories or leave the root.
 */
public final class LocalWorkspace implements Workspace, ScriptHost, WorkspaceRoot {
    private static final boolean UNIX = File.separatorChar == '/';

    private final String nodeName;
    private final Path root;
    private final String relativeDir;
    private final Path dir;

    /**
     * A workspace for the directory {@code relativeDir} below {@code root}.
     *
     * @param nodeName the node's name, as builds see it
     * @param root the workspace root; need not exist yet; made absolute and normalized
     * @param relativeDir the current directory below {@code root}, {@code /}-separated; {@code ""}
     *     (or null) for the root itself
     * @throws IllegalArgumentException when {@code relativeDir} leaves {@code root}
     */
    public LocalWorkspace(String nodeName, Path root, String relativeDir) {
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.root = root.toAbsolutePath().normalize();
        try {
            this.relativeDir = normalize("", relativeDir == null ? "" : relativeDir);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        this.dir = this.relativeDir.isEmpty() ? this.root : this.root.resolve(this.relativeDir);
    }

    /** A workspace for {@code root} itself. */
    public LocalWorkspace(String nodeName, Path root) {
        this(nodeName, root, "");
    }

    @Override
    public Workspace rootWorkspace() {
        return relativeDir.isEmpty() ? this : new LocalWorkspace(nodeName, root);
    }

    /** The workspace root this directory lies in. */
    public Path root() {
        return root;
    }

    /** This directory as a {@link Path}. */
    public Path directory() {
        return dir;
    }

    /** This directory relative to {@link #root()}, {@code /}-separated; {@code ""} for the root. */
    public String relativeDirectory() {
        return relativeDir;
    }

    @Override
    public String path() {
        return dir.toString();
    }

    @Override
    public String nodeName() {
        return nodeName;
    }

    @Override
    public boolean isUnix() {
        return UNIX;
    }

    @Override
    public LocalWorkspace child(String relativePath) throws IOException {
        String rel = normalize(relativeDir, relativePath);
        LocalWorkspace child = new LocalWorkspace(nodeName, root, rel);
        checkInsideRoot(child.dir, relativePath);
        return child;
    }

    @Override
    public boolean exists(String relativePath) throws IOException {
        return Files.exists(resolve(relativePath));
    }

    @Override
    public boolean isDirectory(String relativePath) throws IOException {
        return Files.isDirectory(resolve(relativePath));
    }

    /**
     * {@inheritDoc}
     *
     * @throws NoSuchFileException when there is no such file (its message is the absolute path)
     * @throws IOException naming the path when it is a directory or leaves the workspace
     */
    @Override
    public InputStream read(String relativePath) throws IOException {
        Path p = resolve(relativePath);
        if (Files.isDirectory(p)) {
            throw new IOException("Cannot read " + p + ": it is a directory");
        }
        try {
            return Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw failure("read", p, e);
        }
    }

    /**
     * {@inheritDoc} An existing file is truncated and rewritten in place (keeping its
     * permissions); an existing symbolic link is replaced by a file, never written through.
     * Does not close {@code content}.
     */
    @Override
    public void write(String relativePath, InputStream content) throws IOException {
        Path p = resolve(relativePath);
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("Cannot write " + p + ": it is a directory; give the path of a file");
        }
        createDirectories(p.getParent());
        try {
            if (Files.isSymbolicLink(p)) {
                Files.delete(p);
            }
            try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                content.transferTo(out);
            }
        } catch (IOException e) {
            throw failure("write", p, e);
        }
    }

    @Override
    public void mkdirs(String relativePath) throws IOException {
        createDirectories(resolve(relativePath));
    }

    @Override
    public void delete(String relativePath) throws IOException {
        Path p = root.resolve(normalize(relativeDir, relativePath));
        // The entry itself may be a link pointing anywhere: deleting removes the link, so only
        // the directory holding it has to be inside the root.
        if (!p.equals(root)) {
            checkInsideRoot(p.getParent(), relativePath);
        }
        deleteTree(p);
    }

    @Override
    public List<String> list(FileSelection selection) throws IOException {
        List<String> out = new ArrayList<>();
        for (Entry e : scan(FileSelector.of(selection))) {
            out.add(e.relative);
        }
        return out;
    }

    /**
     * The files {@code selector} takes below this directory, sorted by relative path; for
     * callers that need other pattern options than {@link FileSelection} carries (case).
     */
    public List<String> list(FileSelector selector) throws IOException {
        List<String> out = new ArrayList<>();
        for (Entry e : scan(selector)) {
            out.add(e.relative);
        }
        return out;
    }

    /** {@inheritDoc} Does not close {@code tar}; it is flushed. */
    @Override
    public int archive(FileSelection selection, OutputStream tar) throws IOException {
        return Tar.write(dir, scan(FileSelector.of(selection)), tar);
    }

    /**
     * {@inheritDoc} Regular files keep their permission bits and modification time; symbolic
     * links are created when their target is relative and stays inside this directory, otherwise
     * the archive is rejected at that entry. Directory entries are created with default
     * permissions; hard links and device entries are rejected or skipped. Does not close {@code tar}.
     */
    @Override
    public int extract(InputStream tar) throws IOException {
        checkInsideRoot(dir, "");
        createDirectories(dir);
        return Tar.extract(dir, tar);
    }

    @Override
    public long freeSpace() throws IOException {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IOException("Cannot tell the free space for " + dir + ": no part of that path exists");
        }
        return Files.getFileStore(p).getUsableSpace();
    }

    /**
     * {@inheritDoc} The directory is created first when missing. The caller's output streams are
     * written and flushed but never closed: closing them is the caller's job, after
     * {@link RunningProcess#waitFor()} returned.
     */
    @Override
    public RunningProcess launch(ProcessSpec spec) throws IOException {
        checkInsideRoot(dir, "");
        if (!Files.isDirectory(dir)) {
            createDirectories(dir);
        }
        return LocalProcess.start(spec, dir);
    }

    /** The scratch directory Jenkins puts beside a workspace: {@code <root>@tmp}. */
    public Path tempRoot() {
        return root.resolveSibling(root.getFileName() + "@tmp");
    }

    @Override
    public String writeTempScript(String fileName, byte[] content, boolean executable) throws IOException {
        if (fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\") || fileName.equals(".") || fileName.equals("..")) {
            throw new IllegalArgumentException("not a plain file name: " + fileName);
        }
        Path tmp = tempRoot();
        if (!Files.isDirectory(tmp)) {
            createDirectories(tmp);
        }
        Path file;
        try {
            Path d = Files.createTempDirectory(tmp, "durable-");
            file = d.resolve(fileName);
            if (UNIX) {
                // Owner only from the start: these files also hold credentials bound as files (keys, secret files).
                Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(executable
                        ? EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)
                        : EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            }
            Files.write(file, content);
        } catch (IOException e) {
            throw failure("write a temporary script in", tmp, e);
        }
        return file.toString();
    }

    @Override
    public LocalWorkspace tempDirectoryOf(String tempScriptPath) throws IOException {
        Path d = Path.of(tempScriptPath).toAbsolutePath().normalize().getParent();
        if (d == null || !tempRoot().equals(d.getParent()) || !d.getFileName().toString().startsWith("durable-")) {
            throw new IOException(tempScriptPath + " is not a temporary script of " + root);
        }
        return new LocalWorkspace(nodeName, d);
    }

    @Override
    public void deleteTempScript(String path) throws IOException {
        Path file = Path.of(path).toAbsolutePath().normalize();
        Path d = file.getParent();
        if (d == null || !tempRoot().equals(d.getParent()) || !d.getFileName().toString().startsWith("durable-")) {
            throw new IOException("Refusing to delete " + path + ": it is not a temporary script of " + root);
        }
        try {
            // The usual case, in two system calls; anything else the script left there goes the long way.
            Files.deleteIfExists(file);
            Files.deleteIfExists(d);
        } catch (DirectoryNotEmptyException e) {
            deleteTree(d);
        } catch (IOException e) {
            throw failure("delete the temporary script", file, e);
        }
    }

    @Override
    public String toString() {
        return "workspace " + dir + " on " + nodeName;
    }

    // ---- paths ---------------------------------------------------------------------------

    /** The absolute path for {@code relativePath}, checked against the root (links included). */
    Path resolve(String relativePath) throws IOException {
        String rel = normalize(relativeDir, relativePath);
        Path p = rel.isEmpty() ? root : root.resolve(rel);
        checkInsideRoot(p, relativePath);
        return p;
    }

    /**
     * Joins {@code base} (already normalized) and {@code path} lexically, {@code /}-separated.
     *
     * @throws IOException when {@code path} is absolute or climbs above the root
     */
    static String normalize(String base, String path) throws IOException {
        if (path == null) {
            throw new IOException("A workspace path is required (got null)");
        }
        if (path.indexOf('\0') >= 0) {
            throw new IOException("Path '" + path.replace('\0', '?') + "' contains a NUL character");
        }
        if (path.startsWith("/") || path.startsWith("\\")
                || path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
            throw new IOException("Path '" + path + "' is absolute; use a path relative to the workspace");
        }
        return joinSegments(base, path, UNIX ? "/" : "[/\\\\]");
    }

    /**
     * Appends the segments of {@code path}, split by {@code separators} (a regular expression), to
     * the {@code /}-separated {@code base}: empty and {@code .} segments are skipped, {@code ..}
     * removes the last one. Callers check for absolute paths first; shared with the agents'
     * workspaces so that a path means the same on every node.
     *
     * @throws IOException when {@code ..} climbs above the root
     */
    public static String joinSegments(String base, String path, String separators) throws IOException {
        List<String> parts = new ArrayList<>();
        if (!base.isEmpty()) {
            parts.addAll(List.of(base.split("/")));
        }
        for (String seg : path.split(separators)) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (parts.isEmpty()) {
                    throw new IOException("Path '" + path + "' leaves the workspace: '..' climbs above its root");
                }
                parts.removeLast();
            } else {
                parts.add(seg);
            }
        }
        return String.join("/", parts);
    }

    /**
     * Checks that {@code p} (lexically inside the root) does not reach outside it through a
     * symbolic link: the real path of its deepest existing part must lie inside the root's.
     */
    private void checkInsideRoot(Path p, String path) throws IOException {
        String shownAs = path == null || path.isEmpty() ? p.toString() : path;
        Path existing = p;
        while (existing != null && existing.startsWith(root) && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null || !existing.startsWith(root)) {
            return; // the root does not exist yet, so nothing below it can be a link
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (NoSuchFileException dangling) {
            // A dangling link: what matters is where its directory really is.
            if (existing.equals(root)) {
                throw new IOException("The workspace root " + root + " is a dangling symbolic link");
            }
            checkInsideRoot(existing.getParent(), shownAs);
            return;
        } catch (InvalidPathException | IOException e) {
            throw new IOException("Cannot check path '" + shownAs + "' in " + root + ": " + e.getMessage(), e);
        }
        Path rootReal = root.toRealPath();
        if (!real.startsWith(rootReal)) {
            throw new IOException("Path '" + shownAs + "' leaves the workspace " + root
                    + ": a symbolic link makes it resolve to " + real);
        }
    }

    private static void createDirectories(Path d) throws IOException {
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw failure("create directory", d, e);
        }
    }

    /** Deletes {@code p} and everything below it without following links; missing is fine. */
    static void deleteTree(Path p) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        try {
            if (!attrs.isDirectory()) {
                deleteOne(p);
                return;
            }
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
                    deleteOne(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    deleteOne(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw failure("delete", p, e);
        }
    }

    private static void deleteOne(Path p) throws IOException {
        try {
            Files.deleteIfExists(p);
        } catch (AccessDeniedException e) {
            // A read-only directory (left by some build tools) blocks deleting its entries.
            Path parent = p.getParent();
            if (parent == null || !parent.toFile().setWritable(true, true)) {
                throw e;
            }
            Files.deleteIfExists(p);
        }
    }

    /** The file system a path is on, as the OS names it ({@code /mnt/data (/dev/sdb1)}), or its root when unknown. */
    private static String fileSystemOf(Path path) {
        Path p = path.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        try {
            return p == null ? String.valueOf(path.getRoot()) : "the file system " + Files.getFileStore(p);
        } catch (IOException e) {
            return String.valueOf(path.getRoot());
        }
    }

    /**
     * An {@link IOException} that says plainly what failed and why: full disk, permissions, a
     * file where a directory should be.
     */
    static IOException failure(String action, Path path, IOException e) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        String reason;
        if (text.contains("No space left on device") || text.contains("Disk quota exceeded")
                || text.contains("There is not enough space on the disk")) {
            reason = "the disk is full (" + text + "); free some space on " + fileSystemOf(path) + " and retry";
        } else if (e instanceof AccessDeniedException || text.contains("Permission denied")
                || text.contains("Read-only file system")) {
            String where = e instanceof FileSystemException fse && fse.getFile() != null ? fse.getFile() : path.toString();
            reason = "permission denied on " + where + "; check that the user running Gantry may write there"
                    + (text.contains("Read-only file system") ? " (the file system is read-only)" : "");
        } else if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException
                || text.contains("Not a directory")) {
            reason = "a file is in the way where a directory is needed (" + text + ")";
        } else if (e instanceof DirectoryNotEmptyException) {
            reason = "the directory is not empty (" + text + ")";
        } else if (e instanceof FileSystemException fse && fse.getReason() != null) {
            reason = fse.getReason() + (fse.getFile() != null ? " (" + fse.getFile() + ")" : "");
        } else {
            reason = text.isEmpty() ? e.getClass().getSimpleName() : text;
        }
        return new IOException("Cannot " + action + " " + path + ": " + reason, e);
    }

    // ---- scanning ------------------------------------------------------------------------

    /** A selected file: its path relative to the scanned directory, and whether it is a link. */
    record Entry(String relative, Path path, boolean link) {
    }

    /**
     * The symbolic links {@code selector} takes below this directory that lead out of the
     * workspace (or to a directory), each as {@code path -> target}, sorted; {@link #list} leaves
     * them out silently, so a step that must not lose files (archiving) asks for them to refuse.
     */
    public List<String> linksLeaving(FileSelector selector) throws IOException {
        List<String> out = new ArrayList<>();
        scan(selector, out::add);
        out.sort(null);
        return out;
    }

    /** The files below this directory that {@code selector} takes, sorted by relative path. */
    List<Entry> scan(FileSelector selector) throws IOException {
        return scan(selector, link -> { });
    }

    private List<Entry> scan(FileSelector selector, java.util.function.Consumer<String> leaving) throws IOException {
        checkInsideRoot(dir, "");
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        Path rootReal = root.toRealPath();
        List<Entry> found = new ArrayList<>();
        try {
            Files.walkFileTree(dir, Set.of(), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (d.equals(dir)) {
                        return FileVisitResult.CONTINUE;
                    }
                    return selector.shouldDescend(relative(d)) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    if (!attrs.isRegularFile() && !attrs.isSymbolicLink()) {
                        return FileVisitResult.CONTINUE;
                    }
                    String rel = relative(f);
                    if (!selector.isSelected(rel)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.isRegularFile()) {
                        found.add(new Entry(rel, f, false));
                    } else if (linksToFileInside(f, rootReal)) {
                        found.add(new Entry(rel, f, true));
                    } else {
                        leaving.accept(rel + " -> " + target(f));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // deleted while we walked
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw failure("list files in", dir, e);
        }
        found.sort(Comparator.comparing(Entry::relative));
        return found;
    }

    private String relative(Path p) {
        String rel = dir.relativize(p).toString();
        return UNIX ? rel : rel.replace('\\', '/');
    }

    private static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "(unreadable link)";
        }
    }

    private static boolean linksToFileInside(Path link, Path rootReal) {
        try {
            Path real = link.toRealPath();
            return real.startsWith(rootReal) && Files.isRegularFile(real);
        } catch (IOException e) {
            return false; // dangling or unreadable: not a file we can take
        }
    }
}
