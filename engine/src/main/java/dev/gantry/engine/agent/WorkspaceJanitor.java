package dev.gantry.engine.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent's workspace cleanup policy ({@code gantry agent --workspace-retention 7d}): the agent
 * notes when each workspace was last used by a task, in {@code <workdir>/workspaces-last-used.properties}
 * (kept across restarts), and deletes a workspace (with its {@code @tmp} sibling) once it has
 * not been used for the retention period and no task runs in it. Only workspaces inside the
 * work directory are ever deleted: an absolute {@code customWorkspace} elsewhere is left alone.
 * Thread-safe.
 */
final class WorkspaceJanitor {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([smhd])");
    private static final String FILE = "workspaces-last-used.properties";

    private final Path workdir;
    private final Duration retention;
    private final PrintStream log;
    private final String prefix;
    private final Map<String, Long> lastUsed = new TreeMap<>();
    private long savedAt;

    /**
     * @param retention how long an unused workspace is kept; at least 1 s
     * @param log where deletions are reported
     */
    WorkspaceJanitor(Path workdir, Duration retention, String agentName, PrintStream log) {
        this.workdir = workdir.toAbsolutePath().normalize();
        this.retention = retention;
        this.log = log;
        this.prefix = "gantry agent " + agentName + ": ";
        load();
    }

    /**
     * Parses a retention such as {@code 7d}, {@code 12h}, {@code 30m} or {@code 90s}.
     *
     * @throws IllegalArgumentException naming the text when it is not one
     */
    static Duration parse(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a retention period; write it like 7d, 12h, 30m or 90s");
        }
        double n = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2)) {
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        };
        Duration d = Duration.ofMillis((long) (n * unit));
        if (d.toMillis() < 1000) {
            throw new IllegalArgumentException("the workspace retention must be at least 1s, got '" + text + "'");
        }
        return d;
    }

    /** How often {@link #sweep} is worth calling: a tenth of the retention, between 1 s and an hour. */
    Duration period() {
        return Duration.ofMillis(Math.max(1000, Math.min(3_600_000L, retention.toMillis() / 10)));
    }

    /** Notes that a task runs in {@code root} now. */
    synchronized void used(String root) {
        if (root == null || root.isBlank()) {
            return;
        }
        long now = System.currentTimeMillis();
        Long before = lastUsed.put(root, now);
        if (before == null || now - savedAt > period().toMillis()) {
            save();
        }
    }

    /**
     * Deletes the workspaces unused for longer than the retention.
     *
     * @param inUse the roots tasks run in now; never deleted
     * @return how many workspaces were deleted
     */
    synchronized int sweep(Set<String> inUse) {
        long cutoff = System.currentTimeMillis() - retention.toMillis();
        int deleted = 0;
        for (Map.Entry<String, Long> e : Map.copyOf(lastUsed).entrySet()) {
            String root = e.getKey();
            if (e.getValue() >= cutoff || inUse.contains(root)) {
                continue;
            }
            Path p = Path.of(root);
            Path abs = (p.isAbsolute() ? p : workdir.resolve(p)).normalize();
            lastUsed.remove(root);
            if (!abs.startsWith(workdir) || abs.equals(workdir)) {
                continue;
            }
            try {
                deleteTree(abs);
                deleteTree(abs.resolveSibling(abs.getFileName() + "@tmp"));
                deleted++;
                log.println(prefix + "deleted workspace " + abs + ": unused since " + Instant.ofEpochMilli(e.getValue())
                        + " (workspace retention " + retention.toSeconds() + " s)");
            } catch (IOException x) {
                lastUsed.put(root, e.getValue());
                log.println(prefix + "cannot delete the unused workspace " + abs + ": " + x.getMessage() + "; trying again later");
            }
        }
        save();
        return deleted;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void load() {
        Path f = workdir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
        } catch (IOException e) {
            log.println(prefix + "cannot read " + f + " (" + e.getMessage() + "); workspaces count as used now");
            return;
        }
        for (String k : p.stringPropertyNames()) {
            try {
                lastUsed.put(k, Long.parseLong(p.getProperty(k)));
            } catch (NumberFormatException e) {
                lastUsed.put(k, System.currentTimeMillis());
            }
        }
    }

    private void save() {
        Properties p = new Properties();
        lastUsed.forEach((k, v) -> p.setProperty(k, Long.toString(v)));
        Path f = workdir.resolve(FILE);
        try {
            Files.createDirectories(workdir);
            Path tmp = Files.createTempFile(workdir, ".workspaces-", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "When each workspace was last used (ms since 1970), for gantry agent --workspace-retention");
            }
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            savedAt = System.currentTimeMillis();
        } catch (IOException e) {
            log.println(prefix + "cannot write " + f + ": " + e.getMessage());
        }
    }
}
