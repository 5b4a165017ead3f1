package dev.gantry.engine.agent;

import dev.gantry.engine.plugin.PluginSystem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The controller's side of plugins on agents: which plugin jars agents need (the started plugins
 * that contribute task handlers, and the plugins those need), each named by id, version and
 * SHA-256, and the jar behind a checksum. Checksums are computed once per jar file version
 * (path, size, modification time). Thread-safe.
 */
final class PluginShipping {
    /** One plugin an agent needs. */
    record Entry(String id, String version, String sha256, long size, Path file, List<String> taskTypes) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("version", version);
            m.put("sha256", sha256);
            m.put("size", size);
            return m;
        }
    }

    private record Stamp(Path file, long size, long modified) {
    }

    private final Supplier<List<PluginSystem.StartedJar>> jars;
    private final Map<Stamp, String> sums = new ConcurrentHashMap<>();

    /** @param jars the started plugins now; called on every lookup */
    PluginShipping(Supplier<List<PluginSystem.StartedJar>> jars) {
        this.jars = jars;
    }

    /** The plugins agents need now, a plugin after those it needs. */
    List<Entry> entries() throws IOException {
        List<PluginSystem.StartedJar> all = jars.get();
        Map<String, PluginSystem.StartedJar> byId = new LinkedHashMap<>();
        all.forEach(j -> byId.put(j.id(), j));
        Set<String> wanted = new LinkedHashSet<>();
        for (PluginSystem.StartedJar j : all) {
            if (!j.taskTypes().isEmpty()) {
                addWithNeeds(j.id(), byId, wanted);
            }
        }
        List<Entry> out = new ArrayList<>();
        for (PluginSystem.StartedJar j : all) {
            if (wanted.contains(j.id())) {
                out.add(new Entry(j.id(), j.version(), sha256(j.file()), Files.size(j.file()), j.file(), j.taskTypes()));
            }
        }
        return out;
    }

    private static void addWithNeeds(String id, Map<String, PluginSystem.StartedJar> byId, Set<String> wanted) {
        PluginSystem.StartedJar j = byId.get(id);
        if (j == null || !wanted.add(id)) {
            return;
        }
        j.needs().forEach(n -> addWithNeeds(n, byId, wanted));
    }

    /** The list {@code GET plugins} answers. */
    Map<String, Object> manifest() throws IOException {
        return Map.of("plugins", entries().stream().map(Entry::toJson).toList());
    }

    /** The plugin that runs tasks of {@code taskType}, or null when no started plugin does. */
    Entry forTaskType(String taskType) throws IOException {
        for (Entry e : entries()) {
            if (e.taskTypes().contains(taskType)) {
                return e;
            }
        }
        return null;
    }

    /** The jar an agent may download by checksum: only one of {@link #entries()}; null otherwise. */
    Path jar(String sha256) throws IOException {
        for (Entry e : entries()) {
            if (e.sha256().equalsIgnoreCase(sha256)) {
                return e.file();
            }
        }
        return null;
    }

    private String sha256(Path file) throws IOException {
        Stamp stamp = new Stamp(file, Files.size(file), Files.getLastModifiedTime(file).toMillis());
        String known = sums.get(stamp);
        if (known != null) {
            return known;
        }
        String sum = sha256Of(file);
        sums.keySet().removeIf(s -> s.file().equals(file));
        sums.put(stamp, sum);
        return sum;
    }

    /** The SHA-256 of a file, lower-case hex. */
    static String sha256Of(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java runtime must provide", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
