package dev.gantry.engine.workspace;

import dev.gantry.api.build.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The artifacts of one build in a directory, at their relative paths. Each artifact is written
 * to a hidden temporary file beside it and renamed into place, so a reader never sees half a
 * file. Fingerprints are kept in memory only (the build record persists them). Thread-safe.
 */
public final class LocalArtifactStore implements ArtifactStore {
    private static final String PART_PREFIX = ".gantry-part-";

    private final Path dir;
    private final Map<String, Fingerprint> fingerprints = new ConcurrentHashMap<>();

    /** A fingerprint recorded for an artifact: the digest algorithm (MD5) and hex digest. */
    public record Fingerprint(String algorithm, String hexDigest) {
    }

    /** A store keeping artifacts below {@code dir}, created when the first artifact arrives. */
    public LocalArtifactStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The directory holding the artifacts. */
    public Path directory() {
        return dir;
    }

    /**
     * {@inheritDoc} Does not close {@code content}.
     *
     * @throws IOException naming the path when it is absolute, climbs with {@code ..}, or the
     *     artifact cannot be written
     */
    @Override
    public void store(String path, InputStream content) throws IOException {
        Path target = file(path);
        Path parent = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempFile(parent, PART_PREFIX, ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.transferTo(out);
            }
            LocalStashStore.move(tmp, target);
        } catch (IOException e) {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
            throw LocalWorkspace.failure("store artifact '" + path + "' in", dir, e);
        }
    }

    /**
     * Opens a stored artifact.
     *
     * @throws NoSuchFileException when there is no such artifact
     * @throws IOException when the path is not a valid artifact path
     */
    public InputStream open(String path) throws IOException {
        return Files.newInputStream(file(path));
    }

    @Override
    public void fingerprint(String path, String algorithm, String hexDigest) {
        fingerprints.put(Objects.requireNonNull(path, "path"),
                new Fingerprint(Objects.requireNonNull(algorithm, "algorithm"), Objects.requireNonNull(hexDigest, "hexDigest")));
    }

    /** The fingerprints recorded so far, by artifact path, sorted; an immutable snapshot. */
    public Map<String, Fingerprint> fingerprints() {
        return Collections.unmodifiableMap(new TreeMap<>(fingerprints));
    }

    @Override
    public List<String> list() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !f.getFileName().toString().startsWith(PART_PREFIX)) {
                        out.add(dir.relativize(f).toString().replace('\\', '/'));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot list the artifacts in " + dir + ": " + e.getMessage(), e);
        }
        Collections.sort(out);
        return out;
    }

    private Path file(String path) throws IOException {
        String rel;
        try {
            rel = LocalWorkspace.normalize("", path);
        } catch (IOException e) {
            throw new IOException("Invalid artifact path '" + path + "': " + e.getMessage(), e);
        }
        if (rel.isEmpty()) {
            throw new IOException("Invalid artifact path '" + path + "': it names no file");
        }
        for (String seg : path.split("[/\\\\]")) {
            if (seg.equals("..")) {
                throw new IOException("Invalid artifact path '" + path + "': '..' is not allowed");
            }
        }
        return dir.resolve(rel);
    }

    @Override
    public String toString() {
        return "artifacts in " + dir;
    }
}
