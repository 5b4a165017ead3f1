package dev.gantry.engine.plugin;

import dev.gantry.api.extension.GantryExtensionPoint;
import dev.gantry.api.extension.PluginContext;
import dev.gantry.api.step.Step;
import dev.gantry.engine.steps.StepLibrary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.pf4j.PluginWrapper;

/**
 * The engine's plugins: finds the jars in the distribution's {@code plugins/} folder and the
 * home's, validates the whole set before loading any (see {@link PluginSetValidator}), loads and
 * starts the valid ones with PF4J, each in its own class loader, and offers their steps (joined
 * to the built-in ones in {@link #steps()}) and other extensions. Installing, enabling,
 * disabling and uninstalling take effect at once, without a restart, by bringing the loaded set
 * in line with the folders again; the disabled set is kept in {@code <home>/plugins/disabled.txt}.
 *
 * <p>Nothing a plugin does can stop the engine: a plugin that cannot load, or throws while
 * starting, is listed with its error and left out; everything else keeps working.
 *
 * <p>Thread-safe: changes are serialised; {@link #steps()}, {@link #list()} and
 * {@link #extensions(Class)} read an immutable state published after each change and never block,
 * except while a system made by {@link #startInBackground} has not finished its first start.
 */
public final class PluginSystem implements AutoCloseable {
    /** Where an operator's disabled plugins are listed, one id a line, in the home's plugins folder. */
    public static final String DISABLED_FILE = "disabled.txt";
    private static final int MAX_ROUNDS = 64;

    private final Config config;
    private final StepLibrary builtins;
    private final boolean load;
    private final StepLibrary live;
    private GantryPluginManager manager;
    private final Map<String, Started> started = new LinkedHashMap<>();
    private final Map<String, Failure> failures = new HashMap<>();
    private final Map<String, String> restartRequired = new HashMap<>();
    private volatile Published published;
    /** Counted down when the first start is over; lookups wait for it so that nobody sees "no plugins" during start-up. */
    private final java.util.concurrent.CountDownLatch firstStart = new java.util.concurrent.CountDownLatch(1);

    /**
     * Where plugins are found and what they are checked against.
     *
     * @param bundledDir the distribution's plugins folder, or null (a run from the build tree)
     * @param homeDir the home's plugins folder, where installs go; null for none (then install is refused)
     * @param dataDir the parent of each plugin's data directory ({@link PluginContext#dataDirectory()})
     * @param libCache where libraries inside plugin jars are copied out to; null for a folder in java.io.tmpdir
     * @param engineVersion the version {@code Plugin-Requires} is checked against
     */
    public record Config(Path bundledDir, Path homeDir, Path dataDir, Path libCache, String engineVersion) {
        public Config {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(engineVersion, "engineVersion");
        }

        /**
         * The usual folders: {@code <dist>/plugins} when the {@code gantry.dist} system property
         * names the distribution (bin/gantry sets it), {@code <home>/plugins} and
         * {@code <home>/plugin-data}.
         */
        public static Config forHome(Path home) {
            String dist = System.getProperty("gantry.dist");
            return new Config(dist == null || dist.isBlank() ? null : Path.of(dist, "plugins"), home.resolve("plugins"),
                    home.resolve("plugin-data"), null, EngineVersion.CURRENT);
        }
    }

    private record Started(PluginFile file, PluginWrapper wrapper, List<Step> steps, Map<Class<?>, List<Object>> extensions) {
    }

    private record Failure(PluginFile file, String message) {
    }

    private record Published(List<PluginInfo> infos, StepLibrary steps, Map<Class<?>, List<Object>> extensions, Map<Object, String> owners) {
    }

    private PluginSystem(Config config, StepLibrary builtins, boolean load) {
        this.config = config;
        this.builtins = builtins.snapshot();
        this.load = load;
        this.published = new Published(List.of(), this.builtins, Map.of(), Map.of());
        this.live = StepLibrary.live(() -> {
            awaitFirstStart();
            return published.steps();
        });
    }

    /**
     * Validates every plugin found, then loads and starts the valid ones. Never throws for a
     * plugin's sake: its problems are in {@link #list()}.
     *
     * @param builtins the engine's own steps; plugin steps join them, and lose a name clash
     */
    public static PluginSystem start(Config config, StepLibrary builtins) {
        PluginSystem s = new PluginSystem(config, builtins, true);
        try {
            s.reconcile();
        } finally {
            s.firstStart.countDown();
        }
        return s;
    }

    /**
     * As {@link #start}, but validates, loads and starts the plugins on a thread of their own, so
     * that the controller's start-up (the store, the web server) goes on meanwhile: loading the
     * bundled plugins' class loaders and libraries takes a few hundred milliseconds. Every lookup
     * ({@link #steps()} as it is used, {@link #list()}, {@link #extensions(Class)},
     * {@link #startedJars()}) waits until that first start is over, so nothing ever sees a
     * plugin missing because it was not loaded yet; {@link #started()} says whether it is over.
     */
    public static PluginSystem startInBackground(Config config, StepLibrary builtins) {
        PluginSystem s = new PluginSystem(config, builtins, true);
        Thread.ofPlatform().name("gantry-plugins-start").daemon(true).start(() -> {
            try {
                s.reconcile();
                dev.gantry.engine.server.StartupTrace.mark("plugins started (background)");
            } catch (RuntimeException | Error e) {
                log().log(System.Logger.Level.ERROR, "the plugins could not be started", e);
            } finally {
                s.firstStart.countDown();
            }
        });
        return s;
    }

    /** Whether the first start is over (always true for {@link #start} and {@link #inspect}). */
    public boolean started() {
        return firstStart.getCount() == 0;
    }

    private void awaitFirstStart() {
        if (firstStart.getCount() == 0) {
            return;
        }
        if (Thread.holdsLock(this)) {
            // the start thread itself, or a change waiting on the monitor it holds: never wait here
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                firstStart.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Validates every plugin found without loading any: for managing the plugins of a home
     * offline ({@code gantry plugin ... --home DIR}). Valid, enabled plugins are
     * {@link PluginState#ENABLED}; changes only touch the folder and {@code disabled.txt}.
     */
    public static PluginSystem inspect(Config config, StepLibrary builtins) {
        PluginSystem s = new PluginSystem(config, builtins, false);
        try {
            s.reconcile();
        } finally {
            s.firstStart.countDown();
        }
        return s;
    }

    /**
     * The built-in steps and those of the started plugins, as they are at each lookup: a live
     * library (take {@link StepLibrary#snapshot()} for one build).
     */
    public StepLibrary steps() {
        return live;
    }

    /** Every plugin jar found, by id, with its state. */
    public List<PluginInfo> list() {
        awaitFirstStart();
        return published.infos();
    }

    /**
     * One plugin by id.
     *
     * @throws NoSuchElementException naming the id when no jar has it
     */
    public PluginInfo get(String id) {
        awaitFirstStart();
        return published.infos().stream().filter(i -> i.id().equals(id)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no plugin '" + id + "' is installed; see gantry plugin list"));
    }

    /** The started plugins' extensions of {@code type}, in load order; empty when none. */
    @SuppressWarnings("unchecked")
    public <T> List<T> extensions(Class<T> type) {
        awaitFirstStart();
        return (List<T>) published.extensions().getOrDefault(type, List.of());
    }

    /**
     * The id of the started plugin that contributed {@code extension} (one of {@link #extensions}),
     * or {@code "?"} when no started plugin did (it was stopped meanwhile). Never blocks.
     */
    public String pluginOf(Object extension) {
        return published.owners().getOrDefault(extension, "?");
    }

    /**
     * A started plugin's jar, as agents fetch it.
     *
     * @param id the plugin id
     * @param version its version
     * @param file its jar
     * @param needs the ids of the started plugins it depends on (optional ones only when started)
     * @param taskTypes the task types of its {@link dev.gantry.api.task.TaskHandlerExtension}s; empty when none
     */
    public record StartedJar(String id, String version, Path file, List<String> needs, List<String> taskTypes) {
        public StartedJar {
            needs = List.copyOf(needs);
            taskTypes = List.copyOf(taskTypes);
        }
    }

    /** Every started plugin with its jar, in load order (a plugin after the plugins it needs). */
    public List<StartedJar> startedJars() {
        awaitFirstStart();
        synchronized (this) {
            return startedJarsLocked();
        }
    }

    private List<StartedJar> startedJarsLocked() {
        List<StartedJar> out = new ArrayList<>();
        for (Started s : started.values()) {
            List<String> needs = s.file().dependencies.stream().map(org.pf4j.PluginDependency::getPluginId)
                    .filter(started::containsKey).toList();
            List<String> types = new ArrayList<>();
            for (Object ext : s.extensions().getOrDefault(dev.gantry.api.task.TaskHandlerExtension.class, List.of())) {
                try {
                    types.add(((dev.gantry.api.task.TaskHandlerExtension) ext).taskType());
                } catch (RuntimeException | LinkageError e) {
                    log().log(System.Logger.Level.WARNING, "plugin " + label(s.file()) + ": " + ext.getClass().getName()
                            + ".taskType() threw; agents will not know that task type", e);
                }
            }
            out.add(new StartedJar(s.file().id, s.file().version, s.file().path, needs, types));
        }
        return out;
    }

    /**
     * Installs a plugin jar into the home's plugins folder as {@code <id>.jar} (replacing an
     * installed version, which is unloaded first) and loads it at once when its dependencies
     * allow. An invalid plugin (say, a dependency is missing) stays installed with its error, so
     * that the dependency can be installed next.
     *
     * @param content the jar; read to the end, not closed
     * @return the plugin after the install
     * @throws IllegalArgumentException when the content is not a plugin jar with a valid manifest;
     *     nothing is installed then
     * @throws IllegalStateException when there is no home plugins folder
     * @throws IOException when the jar cannot be written
     */
    public synchronized PluginInfo install(InputStream content) throws IOException {
        Path dir = homeDir();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".upload-", ".part");
        try {
            Files.copy(content, tmp, StandardCopyOption.REPLACE_EXISTING);
            PluginFile f = PluginFile.read(tmp, "the uploaded file", false);
            if (f.problem() != null) {
                throw new IllegalArgumentException(f.problem());
            }
            Path target = dir.resolve(f.id + ".jar");
            for (PluginFile other : scan(dir, false)) {
                if (other.id.equals(f.id) && !other.path.equals(target)) {
                    Files.deleteIfExists(other.path);
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            failures.remove(f.id);
            log().log(System.Logger.Level.INFO, "plugin " + f.id + " " + f.version + " installed as " + target);
            reconcile();
            return get(f.id);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Enables a disabled plugin and loads it (with what it needs) when it is valid.
     *
     * @throws NoSuchElementException when no plugin has the id
     */
    public synchronized PluginInfo enable(String id) throws IOException {
        get(id);
        Set<String> disabled = readDisabled();
        if (disabled.remove(id)) {
            writeDisabled(disabled);
        }
        failures.remove(id);
        reconcile();
        return get(id);
    }

    /**
     * Disables a plugin: it is stopped and unloaded now, and stays so across restarts.
     *
     * @throws NoSuchElementException when no plugin has the id
     * @throws PluginConflictException when enabled plugins need it (they are named)
     */
    public synchronized PluginInfo disable(String id) throws IOException {
        get(id);
        List<String> users = dependents(id);
        if (!users.isEmpty()) {
            throw new PluginConflictException("plugin '" + id + "' is needed by " + quoted(users) + ": disable "
                    + (users.size() == 1 ? "it" : "them") + " first");
        }
        Set<String> disabled = readDisabled();
        if (disabled.add(id)) {
            writeDisabled(disabled);
        }
        reconcile();
        return get(id);
    }

    /**
     * Uninstalls a plugin: it is stopped and unloaded, and its jar deleted from the home.
     *
     * @throws NoSuchElementException when no plugin has the id
     * @throws PluginConflictException when enabled plugins need it, or it is bundled with the
     *     distribution (it can only be disabled)
     */
    public synchronized void uninstall(String id) throws IOException {
        PluginInfo info = get(id);
        if (info.bundled()) {
            throw new PluginConflictException("plugin '" + id + "' is bundled with Gantry (" + info.file()
                    + ") and cannot be uninstalled: disable it instead (gantry plugin disable " + id + ")");
        }
        List<String> users = dependents(id);
        if (!users.isEmpty()) {
            throw new PluginConflictException("plugin '" + id + "' is needed by " + quoted(users) + ": uninstall or disable "
                    + (users.size() == 1 ? "it" : "them") + " first");
        }
        Started s = started.get(id);
        if (s != null) {
            unload(id);
        }
        Files.deleteIfExists(Path.of(info.file()));
        Set<String> disabled = readDisabled();
        if (disabled.remove(id)) {
            writeDisabled(disabled);
        }
        failures.remove(id);
        restartRequired.remove(id);
        log().log(System.Logger.Level.INFO, "plugin " + id + " uninstalled");
        reconcile();
    }

    /** Stops and unloads every plugin, dependents first. */
    @Override
    public synchronized void close() {
        List<String> ids = new ArrayList<>(started.keySet());
        Collections.reverse(ids);
        for (String id : ids) {
            unload(id);
        }
        published = new Published(List.of(), builtins, Map.of(), Map.of());
    }

    /** Plugins enabled now whose manifests need {@code id} (not optionally). */
    private List<String> dependents(String id) {
        List<String> users = new ArrayList<>();
        Set<String> disabled = readDisabled();
        for (PluginFile f : scanAll()) {
            if (f.problem() == null && !disabled.contains(f.id) && !f.id.equals(id)
                    && f.dependencies.stream().anyMatch(d -> d.getPluginId().equals(id) && !d.isOptional())) {
                users.add(f.id);
            }
        }
        return users;
    }

    /**
     * Brings the loaded plugins in line with the folders and the disabled set: unloads what is
     * gone, changed or no longer valid; loads and starts what is valid and not loaded, in
     * dependency order. A start failure invalidates what depends on the plugin, so the set is
     * validated again until nothing fails anew.
     */
    private synchronized void reconcile() {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<PluginFile> files = scanAll();
            Set<String> disabled = readDisabled();
            Map<String, String> failed = new HashMap<>();
            for (PluginFile f : files) {
                Failure x = failures.get(f.id);
                if (x != null && x.file().path.equals(f.path) && f.unchanged() && x.file().size == f.size && x.file().modified == f.modified) {
                    failed.put(f.id, x.message());
                }
            }
            PluginSetValidator.Outcome outcome = PluginSetValidator.validate(files, config.engineVersion(), disabled, failed);
            Map<String, PluginFile> wanted = new LinkedHashMap<>();
            outcome.loadOrder().forEach(f -> wanted.put(f.id, f));
            List<String> loaded = new ArrayList<>(started.keySet());
            Collections.reverse(loaded);
            for (String id : loaded) {
                Started s = started.get(id);
                PluginFile w = wanted.get(id);
                if (s != null && (w == null || !w.path.equals(s.file().path) || w.size != s.file().size || w.modified != s.file().modified)) {
                    unload(id);
                }
            }
            boolean newFailure = false;
            if (load) {
                for (PluginFile f : outcome.loadOrder()) {
                    if (!started.containsKey(f.id) && !restartRequired.containsKey(f.id)) {
                        String error = startPlugin(f);
                        if (error != null) {
                            failures.put(f.id, new Failure(f, error));
                            newFailure = true;
                            break;
                        }
                    }
                }
            }
            if (!newFailure) {
                publish(files, outcome);
                return;
            }
        }
        log().log(System.Logger.Level.ERROR, "plugins did not settle after " + MAX_ROUNDS + " rounds of start failures");
    }

    /** Loads and starts one plugin and instantiates its extensions; returns null, or the error for the operator. */
    private String startPlugin(PluginFile f) {
        GantryPluginManager m = manager();
        String id;
        try {
            id = m.loadPlugin(f.path);
        } catch (RuntimeException | LinkageError e) {
            log().log(System.Logger.Level.WARNING, "plugin " + f.id + " cannot be loaded from " + f.path, e);
            return "cannot be loaded from " + f.path.getFileName() + ": " + message(e);
        }
        PluginWrapper w = m.getPlugin(id);
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try {
            if (w == null || !m.getResolvedPlugins().contains(w)) {
                return "PF4J could not resolve it with its dependencies" + (w != null && w.getFailedException() != null ? ": " + message(w.getFailedException()) : "");
            }
            t.setContextClassLoader(w.getPluginClassLoader());
            org.pf4j.PluginState state = m.startPlugin(id);
            if (state != org.pf4j.PluginState.STARTED) {
                Throwable cause = w.getFailedException();
                return "threw while starting" + (cause != null ? ": " + message(cause) : " (state " + state + ")");
            }
            Map<Class<?>, List<Object>> extensions = new LinkedHashMap<>();
            List<Step> steps = new ArrayList<>();
            for (String className : extensionIndex(f.path)) {
                Object ext = instantiate(w.getPluginClassLoader(), className);
                if (ext instanceof Step step) {
                    steps.add(new PluginStep(step, label(f), w.getPluginClassLoader()));
                }
                for (Class<?> point : extensionPoints(ext.getClass())) {
                    if (point != Step.class) {
                        extensions.computeIfAbsent(point, k -> new ArrayList<>()).add(ext);
                    }
                }
            }
            started.put(f.id, new Started(f, w, List.copyOf(steps), extensions));
            log().log(System.Logger.Level.INFO, "plugin " + label(f) + " started" + (steps.isEmpty() ? "" : " with steps "
                    + String.join(", ", steps.stream().map(s -> s.descriptor().name()).toList())));
            return null;
        } catch (Exception | LinkageError | StackOverflowError | AssertionError e) {
            log().log(System.Logger.Level.WARNING, "plugin " + label(f) + " failed to start", e);
            return e instanceof ExtensionException ? e.getMessage() : "threw while starting: " + message(e);
        } finally {
            t.setContextClassLoader(before);
            if (!started.containsKey(f.id)) {
                stopQuietly(id);
            }
        }
    }

    /** An extension class that cannot be made: its plugin fails to start, with this message. */
    private static final class ExtensionException extends Exception {
        private static final long serialVersionUID = 1L;

        ExtensionException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static Object instantiate(ClassLoader loader, String className) throws ExtensionException {
        try {
            Class<?> type = Class.forName(className, true, loader);
            if (!GantryExtensionPoint.class.isAssignableFrom(type)) {
                throw new ExtensionException("its extension " + className + " implements no Gantry extension point (dev.gantry.api...)", null);
            }
            Object ext = type.getConstructor().newInstance();
            if (ext instanceof Step s) {
                Objects.requireNonNull(s.descriptor(), "descriptor()");
            }
            return ext;
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new ExtensionException("its extension " + className + " threw in its constructor: " + message(e.getCause()), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ExtensionException("its extension " + className + " cannot be created (it needs a public no-argument constructor): "
                    + message(e), e);
        } catch (RuntimeException e) {
            throw new ExtensionException("its extension " + className + " threw while describing itself: " + message(e), e);
        }
    }

    /** The Gantry extension point interfaces a class implements (directly or through its supertypes). */
    private static Set<Class<?>> extensionPoints(Class<?> type) {
        Set<Class<?>> points = new java.util.LinkedHashSet<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                collect(i, points);
            }
        }
        return points;
    }

    private static void collect(Class<?> i, Set<Class<?>> points) {
        if (i != GantryExtensionPoint.class && GantryExtensionPoint.class.isAssignableFrom(i) && i.getName().startsWith("dev.gantry.api.")) {
            points.add(i);
        }
        for (Class<?> s : i.getInterfaces()) {
            collect(s, points);
        }
    }

    /** The class names in the jar's {@code META-INF/extensions.idx}, written by PF4J's annotation processor. */
    static List<String> extensionIndex(Path jar) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile(), false)) {
            ZipEntry e = jf.getEntry("META-INF/extensions.idx");
            if (e == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(jf.getInputStream(e), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    String n = line.trim();
                    if (!n.isEmpty() && !n.startsWith("#")) {
                        names.add(n);
                    }
                }
            }
            return names;
        }
    }

    private void unload(String id) {
        Started s = started.remove(id);
        if (s == null || manager == null) {
            return;
        }
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try {
            t.setContextClassLoader(s.wrapper().getPluginClassLoader());
            if (!manager.unloadPlugin(id)) {
                restartRequired.put(id, "the running version could not be stopped; restart Gantry to finish the change");
                started.put(id, s);
            }
        } catch (RuntimeException | LinkageError e) {
            log().log(System.Logger.Level.WARNING, "plugin " + id + " threw while stopping", e);
            restartRequired.put(id, "the running version threw while stopping (" + message(e) + "); restart Gantry to finish the change");
        } finally {
            t.setContextClassLoader(before);
        }
        // PF4J unloads the plugins that depend on this one with it.
        started.keySet().removeIf(other -> manager.getPlugin(other) == null);
        log().log(System.Logger.Level.INFO, "plugin " + label(s.file()) + " stopped");
    }

    private void stopQuietly(String id) {
        if (manager == null || manager.getPlugin(id) == null) {
            return;
        }
        try {
            manager.unloadPlugin(id);
        } catch (RuntimeException | LinkageError e) {
            log().log(System.Logger.Level.WARNING, "plugin " + id + " could not be unloaded after failing", e);
        }
    }

    private GantryPluginManager manager() {
        if (manager == null) {
            List<Path> roots = new ArrayList<>();
            if (config.bundledDir() != null) {
                roots.add(config.bundledDir());
            }
            if (config.homeDir() != null) {
                roots.add(config.homeDir());
            }
            manager = new GantryPluginManager(roots, config.libCache(), this::context);
        }
        return manager;
    }

    private PluginContext context(PluginWrapper w) {
        String id = w.getPluginId();
        String version = w.getDescriptor().getVersion();
        return new PluginContext() {
            @Override
            public String pluginId() {
                return id;
            }

            @Override
            public String pluginVersion() {
                return version;
            }

            @Override
            public String engineVersion() {
                return config.engineVersion();
            }

            @Override
            public Path dataDirectory() {
                Path d = config.dataDir().resolve(id);
                try {
                    Files.createDirectories(d);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot create the data directory of plugin " + id + ": " + d, e);
                }
                return d;
            }

            @Override
            public System.Logger logger() {
                return System.getLogger("gantry.plugin." + id);
            }
        };
    }

    private void publish(List<PluginFile> files, PluginSetValidator.Outcome outcome) {
        Map<String, List<String>> warnings = new HashMap<>();
        List<Step> pluginSteps = new ArrayList<>();
        Map<Class<?>, List<Object>> extensions = new LinkedHashMap<>();
        Map<Object, String> owners = new java.util.IdentityHashMap<>();
        for (Started s : started.values()) {
            pluginSteps.addAll(s.steps());
            s.extensions().forEach((k, v) -> extensions.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            s.extensions().values().forEach(v -> v.forEach(e -> owners.put(e, s.file().id)));
        }
        StepLibrary withoutBindings = builtins.plus(pluginSteps, (dropped, kept) -> {
            String owner = dropped instanceof PluginStep p ? p.plugin() : "?";
            String id = owner.contains(" ") ? owner.substring(0, owner.indexOf(' ')) : owner;
            warnings.computeIfAbsent(id, k -> new ArrayList<>()).add("its step '" + dropped.descriptor().name() + "' is left out: "
                    + (kept instanceof PluginStep p ? "plugin " + p.plugin() : "a built-in step") + " has that name");
        });
        StepLibrary steps = withoutBindings.withBindings(extensions.getOrDefault(dev.gantry.api.credentials.CredentialBinding.class, List.of()).stream()
                .map(dev.gantry.api.credentials.CredentialBinding.class::cast).toList(), (dropped, why) -> {
            String id = owners.getOrDefault(dropped, "?");
            warnings.computeIfAbsent(id, k -> new ArrayList<>()).add(why);
            log().log(System.Logger.Level.WARNING, "plugin " + id + ": " + why);
        });
        List<PluginInfo> infos = new ArrayList<>();
        for (PluginFile f : files) {
            PluginSetValidator.Verdict v = outcome.verdicts().get(f);
            if (v == null) {
                continue;
            }
            Started s = started.get(f.id);
            boolean running = s != null && s.file().path.equals(f.path);
            PluginState state = v.state();
            String error = v.error();
            if (restartRequired.containsKey(f.id) && (s == null || !running || state != PluginState.ENABLED)) {
                state = PluginState.RESTART_REQUIRED;
                error = restartRequired.get(f.id);
            } else if (running) {
                state = PluginState.STARTED;
            } else if (state == PluginState.ENABLED && load) {
                // Valid but not started: a dependency failed in this round and the next one settled it.
                state = PluginState.INVALID;
                error = error == null ? "was not started" : error;
            }
            List<String> stepNames = running ? s.steps().stream().map(x -> x.descriptor().name())
                    .filter(n -> steps.find(n).filter(x -> x instanceof PluginStep p && p.plugin().equals(label(f))).isPresent()).sorted().toList() : List.of();
            List<String> points = running ? s.extensions().keySet().stream().map(Class::getSimpleName).sorted().toList() : List.of();
            infos.add(new PluginInfo(f.id, f.version, f.description, f.license, f.requires, f.dependencySpecs,
                    f.path.toAbsolutePath().toString(), f.bundled, state, error, warnings.getOrDefault(f.id, List.of()), stepNames, points));
        }
        infos.sort(java.util.Comparator.comparing(PluginInfo::id).thenComparing(PluginInfo::file));
        Map<Class<?>, List<Object>> frozen = new LinkedHashMap<>();
        extensions.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        published = new Published(List.copyOf(infos), steps, Collections.unmodifiableMap(frozen), Collections.unmodifiableMap(owners));
        for (PluginInfo i : infos) {
            if (i.error() != null && i.state() != PluginState.DISABLED) {
                log().log(System.Logger.Level.WARNING, "plugin " + i.id() + " (" + i.file() + ") is " + i.state() + ": " + i.error());
            }
        }
    }

    private List<PluginFile> scanAll() {
        List<PluginFile> files = new ArrayList<>();
        if (config.bundledDir() != null) {
            files.addAll(scan(config.bundledDir(), true));
        }
        if (config.homeDir() != null) {
            files.addAll(scan(config.homeDir(), false));
        }
        return files;
    }

    private static List<PluginFile> scan(Path dir, boolean bundled) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path p : ds) {
                if (!p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)) {
                    jars.add(p);
                }
            }
        } catch (IOException e) {
            log().log(System.Logger.Level.WARNING, "cannot list the plugins folder " + dir + ": " + e.getMessage());
            return List.of();
        }
        Collections.sort(jars);
        return jars.stream().map(p -> PluginFile.read(p, bundled)).toList();
    }

    private Set<String> readDisabled() {
        Set<String> ids = new TreeSet<>();
        if (config.homeDir() == null) {
            return ids;
        }
        Path file = config.homeDir().resolve(DISABLED_FILE);
        if (!Files.isRegularFile(file)) {
            return ids;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String id = line.trim();
                if (!id.isEmpty() && !id.startsWith("#")) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            log().log(System.Logger.Level.WARNING, "cannot read " + file + ": " + e.getMessage() + "; no plugin counts as disabled");
        }
        return ids;
    }

    private void writeDisabled(Set<String> ids) throws IOException {
        Path dir = homeDir();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".disabled-", ".tmp");
        List<String> lines = new ArrayList<>();
        lines.add("# Plugins disabled with gantry plugin disable; one id a line.");
        lines.addAll(ids);
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(DISABLED_FILE), StandardCopyOption.REPLACE_EXISTING);
    }

    private Path homeDir() {
        if (config.homeDir() == null) {
            throw new IllegalStateException("there is no home plugins folder to change (run the controller with --home)");
        }
        return config.homeDir();
    }

    /** The logger, made on first use: a start without plugins should not pay for setting logging up. */
    private static System.Logger log() {
        return Log.LOGGER;
    }

    private static final class Log {
        static final System.Logger LOGGER = System.getLogger(PluginSystem.class.getName());
    }

    /**
     * Whether any plugin jar is in the folders of {@code config}: a cheap look for commands that
     * can skip the plugin system when there is nothing to load.
     */
    public static boolean anyJars(Config config) {
        for (Path dir : new Path[] {config.bundledDir(), config.homeDir()}) {
            if (dir != null && Files.isDirectory(dir)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
                    if (ds.iterator().hasNext()) {
                        return true;
                    }
                } catch (IOException e) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String label(PluginFile f) {
        return f.id + " " + f.version;
    }

    private static String quoted(List<String> ids) {
        return String.join(", ", ids.stream().map(i -> "'" + i + "'").toList());
    }

    /** An exception as the operator reads it: PF4J's messages as they are, others with their type. */
    private static String message(Throwable e) {
        if (e instanceof org.pf4j.PluginRuntimeException && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getName() : e.getClass().getName() + ": " + e.getMessage();
    }}
