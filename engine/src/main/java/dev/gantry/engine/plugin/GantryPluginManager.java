package dev.gantry.engine.plugin;

import dev.gantry.api.extension.GantryPlugin;
import dev.gantry.api.extension.PluginContext;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.pf4j.CompoundPluginDescriptorFinder;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.Plugin;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginFactory;
import org.pf4j.PluginLoader;
import org.pf4j.PluginRepository;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;

/**
 * PF4J's plugin manager set up for Gantry: it loads only the jars {@link PluginSystem} hands it
 * one by one (after validating the whole set), from manifests, with isolating class loaders,
 * and leaves enabling and disabling to {@link PluginSystem} (which never loads a disabled
 * plugin). Not thread-safe: {@link PluginSystem} serialises every call.
 */
final class GantryPluginManager extends DefaultPluginManager {
    private final Path libCache;
    private final Function<PluginWrapper, PluginContext> contexts;

    GantryPluginManager(List<Path> roots, Path libCache, Function<PluginWrapper, PluginContext> contexts) {
        super(roots);
        this.libCache = libCache;
        this.contexts = contexts;
        // "0.0.0" switches PF4J's own Plugin-Requires check off: PluginSetValidator made it, with messages.
        setSystemVersion("0.0.0");
        setResolveRecoveryStrategy(ResolveRecoveryStrategy.IGNORE_PLUGIN_AND_CONTINUE);
    }

    @Override
    protected PluginDescriptorFinder createPluginDescriptorFinder() {
        return new CompoundPluginDescriptorFinder().add(new ManifestPluginDescriptorFinder());
    }

    @Override
    protected PluginLoader createPluginLoader() {
        // Called from the super constructor, before this class's fields are set: the folder is
        // looked up when a plugin loads (it once was taken here, and was always the fallback).
        return new NestedJarPluginLoader(this, new ApiOnlyClassLoader(GantryPluginManager.class.getClassLoader()), this::libCacheDir);
    }

    private Path libCacheDir() {
        if (libCache != null) {
            return libCache;
        }
        // checked once, when the first plugin loads, not for each
        Path shared = checkedShared;
        if (shared == null) {
            shared = sharedTempCache();
            checkedShared = shared;
        }
        return shared;
    }

    private Path checkedShared;

    /**
     * The libraries' copies shared by every home of this user, in the temporary folder: a class
     * loader runs what it finds there, so the folder must be this user's alone (another user could
     * create it first, or make it writable, to plant code).
     *
     * @throws java.io.UncheckedIOException naming the folder when it cannot be made or is not safe
     */
    static Path sharedTempCache() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "gantry-plugin-libs-" + System.getProperty("user.name"));
        try {
            boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
            if (!java.nio.file.Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                if (posix) {
                    java.nio.file.Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
                } else {
                    java.nio.file.Files.createDirectories(dir);
                }
            }
            if (posix) {
                java.nio.file.attribute.PosixFileAttributes a = java.nio.file.Files.readAttributes(dir,
                        java.nio.file.attribute.PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                String me = System.getProperty("user.name");
                if (!a.isDirectory() || !a.owner().getName().equals(me)
                        || a.permissions().contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                        || a.permissions().contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
                    throw new java.io.IOException(dir + " must be a folder owned by " + me + " that only its owner can write (it is owned by "
                            + a.owner().getName() + " with " + java.nio.file.attribute.PosixFilePermissions.toString(a.permissions())
                            + "); remove it, or set java.io.tmpdir to a private folder");
                }
            }
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("the plugins' library cache is unsafe or cannot be made: " + e.getMessage(), e);
        }
    }

    @Override
    protected PluginRepository createPluginRepository() {
        return new PluginRepository() {
            @Override
            public List<Path> getPluginPaths() {
                return List.of();
            }

            @Override
            public boolean deletePluginPath(Path pluginPath) {
                return false;
            }
        };
    }

    @Override
    protected PluginStatusProvider createPluginStatusProvider() {
        return new PluginStatusProvider() {
            @Override
            public boolean isPluginDisabled(String pluginId) {
                return false;
            }

            @Override
            public void disablePlugin(String pluginId) {
                // PluginSystem keeps the disabled set in the home and never loads those plugins.
            }

            @Override
            public void enablePlugin(String pluginId) {
                // See disablePlugin.
            }
        };
    }

    @Override
    protected PluginFactory createPluginFactory() {
        return this::create;
    }

    private Plugin create(PluginWrapper wrapper) {
        String name = wrapper.getDescriptor().getPluginClass();
        if (name == null || name.isBlank() || name.equals(Plugin.class.getName())) {
            return new Plugin() { };
        }
        Class<?> type;
        try {
            type = wrapper.getPluginClassLoader().loadClass(name);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new PluginRuntimeException(e, "its Plugin-Class {} cannot be loaded from {}: {}", name, wrapper.getPluginPath().getFileName(), e);
        }
        if (!Plugin.class.isAssignableFrom(type)) {
            throw new PluginRuntimeException("its Plugin-Class {} does not extend {} (or org.pf4j.Plugin)", name, GantryPlugin.class.getName());
        }
        Plugin plugin;
        try {
            plugin = (Plugin) type.getConstructor().newInstance();
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new PluginRuntimeException(e.getCause(), "its Plugin-Class {} threw in its constructor: {}", name, e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new PluginRuntimeException(e, "its Plugin-Class {} needs a public no-argument constructor: {}", name, e);
        }
        if (plugin instanceof GantryPlugin gp) {
            gp.attach(contexts.apply(wrapper));
        }
        return plugin;
    }
}
