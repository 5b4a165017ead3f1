package dev.gantry.engine.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The secrets bound in one build: every value registered here is masked as {@code ****} in each
 * line of the build's log from then on (see {@link MaskingLogSink}), and files written for
 * credentials are deleted when the build ends at the latest. Steps reach it through
 * {@code StepContext.service(BuildSecrets.class)}. Thread-safe.
 */
public final class BuildSecrets implements AutoCloseable {
    private volatile SecretMasker masker = SecretMasker.EMPTY;
    private final Map<String, String> variableOf = new ConcurrentHashMap<>();
    private final List<Path> files = new CopyOnWriteArrayList<>();
    private final List<Cleanup> cleanups = new CopyOnWriteArrayList<>();

    /** Deletes something written for a credential elsewhere than on this machine (a file on an agent). */
    @FunctionalInterface
    public interface Cleanup {
        /** Deletes it; missing is not an error. */
        void run() throws IOException;
    }

    /**
     * Masks {@code value} (and each of its lines) in the log from now on.
     *
     * @param variable the variable it is bound to, named in the interpolation warning; may be null
     * @param value the secret; null or blank values are ignored
     */
    public synchronized void add(String variable, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        masker = masker.with(List.of(value));
        if (variable != null) {
            variableOf.putIfAbsent(value, variable);
        }
    }

    /** The text with every registered secret replaced by {@code ****}. */
    public String mask(String text) {
        return masker.mask(text);
    }

    /** The variables whose secret values occur in {@code text}, sorted; empty when none. */
    public Set<String> variablesIn(String text) {
        Set<String> out = new TreeSet<>();
        if (text == null || masker.isEmpty()) {
            return out;
        }
        variableOf.forEach((value, variable) -> {
            if (text.contains(value)) {
                out.add(variable);
            }
        });
        return out;
    }

    /** Whether any registered secret occurs in {@code text}. */
    public boolean containsSecret(String text) {
        return masker.contains(text);
    }

    /** Deletes {@code path} (a file or directory tree) when the build ends, unless deleted before. */
    public void deleteAtEnd(Path path) {
        files.add(path);
    }

    /**
     * Runs {@code cleanup} when the build ends, unless {@link #done(Cleanup)} said it ran before.
     *
     * @param what the thing it deletes, for the warning when it fails
     */
    public void deleteAtEnd(String what, Cleanup cleanup) {
        cleanups.add(new Named(what, cleanup));
    }

    /** Forgets {@code cleanup}: it ran already. */
    public void done(Cleanup cleanup) {
        cleanups.removeIf(c -> c instanceof Named n && n.inner == cleanup);
    }

    private record Named(String what, Cleanup inner) implements Cleanup {
        @Override
        public void run() throws IOException {
            inner.run();
        }
    }

    SecretMasker masker() {
        return masker;
    }

    /**
     * Deletes a file or directory tree written for a credential.
     *
     * @throws IOException naming what could not be deleted
     */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (var walk = Files.walk(path)) {
            walk.forEach(all::add);
        }
        all.sort(Comparator.reverseOrder());
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }

    /** Deletes every file registered with a {@code deleteAtEnd}; failures are logged, never thrown. */
    @Override
    public void close() {
        for (Path p : files) {
            try {
                deleteTree(p);
            } catch (IOException e) {
                System.getLogger(BuildSecrets.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot delete the credential file " + p + ": " + e.getMessage());
            }
        }
        files.clear();
        for (Cleanup c : cleanups) {
            try {
                c.run();
            } catch (IOException | RuntimeException e) {
                System.getLogger(BuildSecrets.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot delete the credential file " + ((Named) c).what() + ": " + e.getMessage());
            }
        }
        cleanups.clear();
    }
}
