package dev.gantry.engine.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;
import org.pf4j.PluginRuntimeException;

/**
 * Loads a plugin jar with its own libraries: the jar's classes and every {@code lib/*.jar} inside
 * it go into one class loader of the plugin's own, searched before anything else (after the JDK
 * and the API, which {@link ApiOnlyClassLoader} always provides), then the plugin's dependencies.
 * Two plugins shipping different versions of one library each get theirs.
 *
 * <p>A class loader cannot read a jar inside a jar, so the nested libraries are copied out once
 * into a cache directory, named by their SHA-256: the same library is never copied twice, and
 * a copy is never changed once written (it appears by an atomic rename).
 */
final class NestedJarPluginLoader implements PluginLoader {
    private final PluginManager manager;
    private final ClassLoader parent;
    private final Path libCache;

    NestedJarPluginLoader(PluginManager manager, ClassLoader parent, Path libCache) {
        this.manager = manager;
        this.parent = parent;
        this.libCache = libCache;
    }

    @Override
    public boolean isApplicable(Path pluginPath) {
        return Files.isRegularFile(pluginPath) && pluginPath.getFileName().toString().endsWith(".jar");
    }

    @Override
    public ClassLoader loadPlugin(Path pluginPath, PluginDescriptor descriptor) {
        PluginClassLoader loader = new PluginClassLoader(manager, descriptor, parent, ClassLoadingStrategy.PDA);
        loader.addFile(pluginPath.toFile());
        try (JarFile jar = new JarFile(pluginPath.toFile(), false)) {
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                if (!e.isDirectory() && e.getName().startsWith("lib/") && e.getName().endsWith(".jar") && e.getName().indexOf('/', 4) < 0) {
                    try (InputStream in = jar.getInputStream(e)) {
                        loader.addFile(cache(in, e.getName().substring(4)).toFile());
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            try {
                loader.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new PluginRuntimeException(e, "cannot read the libraries in {}: {}", pluginPath, e.getMessage());
        }
        return loader;
    }

    private Path cache(InputStream in, String name) throws IOException {
        Files.createDirectories(libCache);
        Path tmp = Files.createTempFile(libCache, ".lib-", ".tmp");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream din = new DigestInputStream(in, sha)) {
                Files.copy(din, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            String base = name.substring(0, name.length() - 4).replaceAll("[^A-Za-z0-9._-]", "_");
            Path target = libCache.resolve(base + "-" + HexFormat.of().formatHex(sha.digest()).substring(0, 16) + ".jar");
            if (Files.exists(target)) {
                return target;
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
