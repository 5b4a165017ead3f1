package dev.gantry.engine.agent;

import dev.gantry.api.task.TaskHandlerExtension;
import dev.gantry.engine.plugin.EngineVersion;
import dev.gantry.engine.plugin.PluginInfo;
import dev.gantry.engine.plugin.PluginState;
import dev.gantry.engine.plugin.PluginSystem;
import dev.gantry.engine.steps.StepLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The plugins of a remote agent: the jars of the controller's plugins that contribute task
 * handlers, fetched from the controller, verified by SHA-256, cached by checksum in the work
 * directory ({@code plugins/cache/<sha256>.jar}, so a restart downloads nothing) and loaded with
 * PF4J. A cached jar is checked again before each load; one that no longer matches its checksum
 * is fetched again. A download that does not match the checksum the controller announced is
 * refused. Thread-safe: fetching and loading are serialised.
 */
final class AgentPlugins implements PluginHandlers, AutoCloseable {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Where the list and the jars come from: the controller, over the agent protocol. */
    interface Source {
        /** {@code GET plugins}: {@code {"plugins": [{"id", "version", "sha256", "size"}...]}}. */
        Map<String, Object> list() throws IOException, InterruptedException;

        /** {@code GET plugins/{sha256}}: the jar; the caller closes the stream. */
        InputStream jar(String sha256) throws IOException, InterruptedException;
    }

    /** One plugin as the controller names it. */
    record Wanted(String id, String version, String sha256) {
        static Wanted fromJson(Map<?, ?> m) throws IOException {
            String id = String.valueOf(m.get("id"));
            String version = String.valueOf(m.get("version"));
            String sha = String.valueOf(m.get("sha256")).toLowerCase(java.util.Locale.ROOT);
            if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]*") || !SHA256.matcher(sha).matches()) {
                throw new IOException("the controller named a plugin as " + m + ", which is not an id with a SHA-256; is it another Gantry version?");
            }
            return new Wanted(id, version, sha);
        }

        @Override
        public String toString() {
            return "plugin " + id + " " + version;
        }
    }

    private final Source source;
    private final PrintStream log;
    private final String prefix;
    private final Path cache;
    private final PluginSystem system;
    /** The checksum each loaded plugin was installed from, by id. */
    private final Map<String, String> loaded = new HashMap<>();
    /** Why a plugin is not usable here, by id, as its tasks report it. */
    private final Map<String, String> errors = new HashMap<>();

    /**
     * Sets the plugin folders up below {@code workdir/plugins}. Plugins installed by an earlier
     * run are removed first: only jars verified in this run are loaded.
     *
     * @param agentName the agent's name, for messages
     * @param log where the agent says what it fetched and loaded
     * @throws IOException when the folders cannot be made
     */
    AgentPlugins(Path workdir, String agentName, Source source, PrintStream log) throws IOException {
        this.source = source;
        this.log = log;
        this.prefix = "gantry agent " + agentName + ": ";
        Path root = workdir.resolve("plugins");
        this.cache = root.resolve("cache");
        Path installed = root.resolve("installed");
        Files.createDirectories(cache);
        if (Files.exists(installed)) {
            try (var walk = Files.walk(installed)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(installed);
        this.system = PluginSystem.start(new PluginSystem.Config(null, installed, root.resolve("data"), root.resolve("libs"),
                EngineVersion.CURRENT), StepLibrary.of(List.of()));
    }

    /**
     * Brings the loaded plugins in line with the controller's list: fetches and loads what is
     * new or changed, unloads what the controller no longer names.
     *
     * @throws IOException when the list or a jar cannot be fetched, or a jar fails its checksum;
     *     the plugins handled before stay loaded
     */
    synchronized void sync() throws IOException, InterruptedException {
        Object listed = source.list().get("plugins");
        List<Wanted> wanted = new ArrayList<>();
        if (listed instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    wanted.add(Wanted.fromJson(m));
                }
            }
        }
        Set<String> ids = new TreeSet<>();
        wanted.forEach(w -> ids.add(w.id()));
        for (String id : new ArrayList<>(loaded.keySet())) {
            if (!ids.contains(id)) {
                system.uninstall(id);
                loaded.remove(id);
                errors.remove(id);
                log.println(prefix + "plugin " + id + " unloaded: the controller no longer has it");
            }
        }
        IOException first = null;
        for (Wanted w : wanted) {
            try {
                ensure(w);
            } catch (IOException e) {
                log.println(prefix + e.getMessage());
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Loads {@code w} unless that very jar is loaded: from the cache when it verifies, else from the controller. */
    private void ensure(Wanted w) throws IOException, InterruptedException {
        if (w.sha256().equals(loaded.get(w.id()))) {
            return;
        }
        Path jar = cache.resolve(w.sha256() + ".jar");
        if (Files.isRegularFile(jar)) {
            String actual = PluginShipping.sha256Of(jar);
            if (actual.equals(w.sha256())) {
                log.println(prefix + w + ": using the cached jar " + jar + " (SHA-256 verified)");
            } else {
                log.println(prefix + w + ": the cached jar " + jar + " does not match its SHA-256 (it has " + actual
                        + "); fetching it again from the controller");
                Files.delete(jar);
            }
        }
        if (!Files.isRegularFile(jar)) {
            download(w, jar);
        }
        PluginInfo info;
        try (InputStream in = Files.newInputStream(jar)) {
            info = system.install(in);
        } catch (IllegalArgumentException e) {
            throw new IOException(w + " (" + jar + ") cannot be loaded on this agent: " + e.getMessage(), e);
        }
        loaded.put(w.id(), w.sha256());
        if (info.state() == PluginState.STARTED) {
            errors.remove(w.id());
            log.println(prefix + w + " loaded" + (info.extensions().isEmpty() ? "" : " (" + String.join(", ", info.extensions()) + ")"));
        } else {
            String why = w + " could not be started on this agent: " + info.state() + (info.error() == null ? "" : ": " + info.error());
            errors.put(w.id(), why);
            log.println(prefix + why);
        }
    }

    private void download(Wanted w, Path target) throws IOException, InterruptedException {
        Path tmp = Files.createTempFile(cache, ".download-", ".part");
        try {
            MessageDigest sha = sha256();
            long size;
            try (InputStream in = source.jar(w.sha256()); OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
                size = in.transferTo(out);
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(w.sha256())) {
                throw new IOException("refusing " + w + ": the jar downloaded from the controller has SHA-256 " + actual
                        + ", but the controller announced " + w.sha256() + " (was it changed on the way? check proxies between"
                        + " the agent and the controller, and use https)");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.println(prefix + w + ": downloaded from the controller (" + size + " bytes, SHA-256 verified) to " + target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public synchronized TaskHandlerExtension find(String taskType, Map<String, Object> plugin) throws IOException {
        Wanted w = plugin == null ? null : Wanted.fromJson(plugin);
        if (w == null || w.sha256().equals(loaded.get(w.id()))) {
            TaskHandlerExtension e = lookup(taskType);
            if (e != null || w == null) {
                return e;
            }
        }
        try {
            sync();
        } catch (IOException e) {
            if (w.sha256().equals(loaded.get(w.id())) && errors.get(w.id()) == null) {
                return lookup(taskType);
            }
            throw new IOException("task '" + taskType + "' needs " + w + ", which this agent could not load: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while fetching " + w + " from the controller");
        }
        if (!w.sha256().equals(loaded.get(w.id()))) {
            throw new IOException("task '" + taskType + "' needs " + w + " (SHA-256 " + w.sha256()
                    + "), which the controller no longer offers (it was upgraded or removed meanwhile); run the build again");
        }
        String error = errors.get(w.id());
        if (error != null) {
            throw new IOException(error);
        }
        return lookup(taskType);
    }

    private TaskHandlerExtension lookup(String taskType) {
        for (TaskHandlerExtension e : system.extensions(TaskHandlerExtension.class)) {
            if (taskType.equals(e.taskType())) {
                return e;
            }
        }
        return null;
    }

    @Override
    public Set<String> taskTypes() {
        Set<String> types = new TreeSet<>();
        system.extensions(TaskHandlerExtension.class).forEach(e -> types.add(e.taskType()));
        return types;
    }

    @Override
    public void close() {
        system.close();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java runtime must provide", e);
        }
    }
}
