package dev.gantry.engine.workspace;

import dev.gantry.api.build.StashStore;
import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * The stashes of one build in a directory of its own, one tar file per stash
 * ({@code <name>.tar}). A stash is written to a temporary file and renamed into place when its
 * stream is closed, so readers see either the old stash or the complete new one. Thread-safe.
 */
public final class LocalStashStore implements StashStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final String SUFFIX = ".tar";

    private final Path dir;

    /**
     * A store keeping stashes in {@code dir}, which is created when the first stash is saved.
     */
    public LocalStashStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The directory holding the stashes. */
    public Path directory() {
        return dir;
    }

    /**
     * {@inheritDoc} Closing the stream publishes the stash; if writing fails, close it anyway
     * (the partial file is then removed only when close itself fails; a stream never closed leaves
     * a hidden temporary file behind).
     *
     * @throws IllegalArgumentException when {@code name} is not a valid stash name
     */
    @Override
    public OutputStream create(String name) throws IOException {
        Path target = file(name);
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, ".incoming-", ".tmp");
        } catch (IOException e) {
            throw LocalWorkspace.failure("save stash '" + name + "' in", dir, e);
        }
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 64 * 1024);
        return new FilterOutputStream(out) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    out.close();
                    move(tmp, target);
                } catch (IOException e) {
                    Files.deleteIfExists(tmp);
                    throw LocalWorkspace.failure("save stash '" + name + "' in", dir, e);
                }
            }
        };
    }

    /**
     * {@inheritDoc}
     *
     * @throws FileNotFoundException "No such saved stash 'NAME'" when there is none
     * @throws IllegalArgumentException when {@code name} is not a valid stash name
     */
    @Override
    public InputStream open(String name) throws IOException {
        Path f = file(name);
        try {
            return Files.newInputStream(f);
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException("No such saved stash '" + name + "'");
        }
    }

    /** Whether a stash of that name was saved. */
    public boolean exists(String name) {
        return Files.isRegularFile(file(name));
    }

    /**
     * Checks a stash name: letters, digits, {@code .}, {@code _} and {@code -}, 1 to 200 of them,
     * and not {@code .} or {@code ..}.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static void validateName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("A stash name must not be empty");
        }
        if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("Invalid stash name '" + name
                    + "': it must not contain '/' or '\\' or be '.' or '..'");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid stash name '" + (name.length() > 200 ? name.substring(0, 200) + "..." : name)
                    + "': use 1 to 200 letters, digits, '.', '_' or '-'");
        }
    }

    private Path file(String name) {
        validateName(name);
        return dir.resolve(name + SUFFIX);
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public String toString() {
        return "stashes in " + dir;
    }
}
