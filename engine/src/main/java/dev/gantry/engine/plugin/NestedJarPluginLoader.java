package dev.gantry.engine.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * a copy is never changed once written (it appears by an atomic rename). An index per plugin jar
 * spares the copying at the next start while the jar is unchanged.
 */
final class NestedJarPluginLoader implements PluginLoader {
    private final PluginManager manager;
    private final ClassLoader parent;
    private final java.util.function.Supplier<Path> libCacheDir;

    NestedJarPluginLoader(PluginManager manager, ClassLoader parent, java.util.function.Supplier<Path> libCacheDir) {
        this.manager = manager;
        this.parent = parent;
        this.libCacheDir = libCacheDir;
    }

    @Override
    public boolean isApplicable(Path pluginPath) {
        return Files.isRegularFile(pluginPath) && pluginPath.getFileName().toString().endsWith(".jar");
    }

    @Override
    public ClassLoader loadPlugin(Path pluginPath, PluginDescriptor descriptor) {
        PluginClassLoader loader = new PluginClassLoader(manager, descriptor, parent, ClassLoadingStrategy.PDA);
        loader.addFile(pluginPath.toFile());
        try {
            for (Path lib : libraries(pluginPath)) {
                loader.addFile(lib.toFile());
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

    /**
     * The copies of {@code pluginPath}'s nested libraries, in the jar's order. Copying them out
     * means inflating and hashing megabytes (JGit alone is 3 MB) at every start, so an index file
     * beside the copies remembers which copies a plugin jar gave, keyed by the jar's size,
     * modification time and file key: an unchanged jar costs one small read. Any change to the jar,
     * or a copy gone or of another size, copies everything out again.
     */
    private List<Path> libraries(Path pluginPath) throws IOException {
        Path libCache = libCacheDir.get();
        String stamp = stamp(pluginPath);
        Path index = libCache.resolve(".index-" + pluginPath.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_")
                + "-" + Integer.toHexString(pluginPath.toAbsolutePath().normalize().toString().hashCode()));
        List<Path> known = readIndex(libCache, index, stamp);
        if (known != null) {
            return known;
        }
        List<Path> libs = new ArrayList<>();
        try (JarFile jar = new JarFile(pluginPath.toFile(), false)) {
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                if (!e.isDirectory() && e.getName().startsWith("lib/") && e.getName().endsWith(".jar") && e.getName().indexOf('/', 4) < 0) {
                    try (InputStream in = jar.getInputStream(e)) {
                        libs.add(cache(libCache, in, e.getName().substring(4)));
                    }
                }
            }
        }
        writeIndex(libCache, index, stamp, libs);
        return libs;
    }

    private static String stamp(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return a.size() + " " + a.lastModifiedTime().to(TimeUnit.NANOSECONDS) + " " + a.fileKey();
    }

    /** The copies an index lists, or null when it is missing, for another jar, or a copy is gone or changed in size. */
    private static List<Path> readIndex(Path libCache, Path index, String stamp) {
        List<String> lines;
        try {
            lines = Files.readAllLines(index, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        if (lines.isEmpty() || !lines.get(0).equals(stamp)) {
            return null;
        }
        List<Path> libs = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            int sp = line.indexOf(' ');
            if (sp < 0) {
                return null;
            }
            Path lib = libCache.resolve(line.substring(sp + 1)).normalize();
            try {
                if (!lib.getParent().equals(libCache.normalize()) || Files.size(lib) != Long.parseLong(line.substring(0, sp))) {
                    return null;
                }
            } catch (IOException | NumberFormatException e) {
                return null;
            }
            libs.add(lib);
        }
        return libs;
    }

    private static void writeIndex(Path libCache, Path index, String stamp, List<Path> libs) throws IOException {
        StringBuilder b = new StringBuilder(stamp).append('\n');
        for (Path lib : libs) {
            b.append(Files.size(lib)).append(' ').append(lib.getFileName()).append('\n');
        }
        Files.createDirectories(libCache);
        Path tmp = Files.createTempFile(libCache, ".index-", ".tmp");
        try {
            Files.writeString(tmp, b, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, index, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path cache(Path libCache, InputStream in, String name) throws IOException {
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
