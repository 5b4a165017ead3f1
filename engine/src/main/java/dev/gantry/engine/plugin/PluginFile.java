package dev.gantry.engine.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.pf4j.PluginDependency;

/**
 * A plugin jar found in a plugins folder and its manifest, read without loading any of its
 * classes. A jar whose manifest cannot describe a plugin is kept with {@link #problem()} set,
 * so that it is listed with the reason instead of silently ignored.
 */
final class PluginFile {
    static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]*";

    final Path path;
    final boolean bundled;
    final String id;
    final String version;
    final String description;
    final String license;
    final String requires;
    final String pluginClass;
    final List<String> dependencySpecs;
    final List<PluginDependency> dependencies;
    final long size;
    final long modified;
    final String problem;

    private final String displayName;

    private PluginFile(Path path, String displayName, boolean bundled, Attributes a, String problem, long size, long modified) {
        this.path = path;
        this.displayName = displayName;
        this.bundled = bundled;
        this.size = size;
        this.modified = modified;
        String rawId = a == null ? null : trim(a.getValue("Plugin-Id"));
        this.id = rawId != null ? rawId : stem(path);
        this.version = a == null ? null : trim(a.getValue("Plugin-Version"));
        this.description = a == null ? null : trim(a.getValue("Plugin-Description"));
        this.license = a == null ? null : trim(a.getValue("Plugin-License"));
        this.requires = a == null ? null : trim(a.getValue("Plugin-Requires"));
        this.pluginClass = a == null ? null : trim(a.getValue("Plugin-Class"));
        List<String> specs = new ArrayList<>();
        List<PluginDependency> deps = new ArrayList<>();
        String p = problem;
        String depText = a == null ? null : trim(a.getValue("Plugin-Dependencies"));
        if (depText != null) {
            for (String d : depText.split(",")) {
                if (!d.isBlank()) {
                    specs.add(d.trim());
                    deps.add(new PluginDependency(d.trim()));
                }
            }
        }
        if (p == null) {
            p = check(rawId, deps);
        }
        this.dependencySpecs = List.copyOf(specs);
        this.dependencies = List.copyOf(deps);
        this.problem = p;
    }

    private String check(String rawId, List<PluginDependency> deps) {
        String where = displayName + " is not a valid Gantry plugin: its META-INF/MANIFEST.MF ";
        if (rawId == null) {
            return where + "has no Plugin-Id (build it with plugins/pom.xml as parent, or add the PF4J manifest entries)";
        }
        if (!rawId.matches(ID_PATTERN)) {
            return where + "has Plugin-Id '" + rawId + "'; use letters, digits, '.', '_' and '-' only";
        }
        if (version == null) {
            return where + "has no Plugin-Version";
        }
        if (!Versions.isVersion(version)) {
            return where + "has Plugin-Version '" + version + "', which is not a semantic version like 1.2.0";
        }
        if (requires != null && !requires.equals("*") && !Versions.isConstraint(Versions.requirement(requires))) {
            return where + "has Plugin-Requires '" + requires + "', which is not a version range like >=0.1.0 or >=0.1.0 & <1.0.0";
        }
        for (PluginDependency d : deps) {
            if (!d.getPluginId().matches(ID_PATTERN)) {
                return where + "names a dependency '" + d.getPluginId() + "' in Plugin-Dependencies that is not a plugin id";
            }
            String range = d.getPluginVersionSupport();
            if (range != null && !range.equals("*") && !Versions.isConstraint(Versions.requirement(range))) {
                return where + "gives dependency '" + d.getPluginId() + "' the version range '" + range + "', which is not one like >=1.0.0";
            }
            if (d.getPluginId().equals(rawId)) {
                return where + "lists the plugin itself in Plugin-Dependencies";
            }
        }
        return null;
    }

    /** Reads the manifest of {@code jar}; never throws: an unreadable jar becomes a {@link #problem()}. */
    static PluginFile read(Path jar, boolean bundled) {
        return read(jar, jar.getFileName().toString(), bundled);
    }

    /** As {@link #read(Path, boolean)}, naming the jar {@code displayName} in problems (an upload's temporary file has no telling name). */
    static PluginFile read(Path jar, String displayName, boolean bundled) {
        long size = -1;
        long modified = -1;
        try {
            size = Files.size(jar);
            modified = Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException e) {
            return new PluginFile(jar, displayName, bundled, null, "cannot read " + displayName + ": " + e.getMessage(), size, modified);
        }
        try (JarFile jf = new JarFile(jar.toFile(), false)) {
            Manifest m = jf.getManifest();
            if (m == null) {
                return new PluginFile(jar, displayName, bundled, null, displayName + " is not a valid Gantry plugin: it has no META-INF/MANIFEST.MF"
                        + " (build it with plugins/pom.xml as parent, or add the PF4J manifest entries)", size, modified);
            }
            String slip = unsafeEntry(jf);
            if (slip != null) {
                return new PluginFile(jar, displayName, bundled, null, displayName + " is not a valid Gantry plugin: its entry '" + slip
                        + "' would be written outside the plugin when unpacked (an absolute path or '..'); rebuild the jar without it",
                        size, modified);
            }
            return new PluginFile(jar, displayName, bundled, m.getMainAttributes(), null, size, modified);
        } catch (IOException | SecurityException e) {
            return new PluginFile(jar, displayName, bundled, null, displayName + " is not a readable jar: " + e.getMessage(), size, modified);
        }
    }

    /**
     * The first entry whose name would leave the directory it is unpacked into ("zip slip"):
     * absolute, a drive letter, or a {@code ..} segment (with either slash); null when there is none.
     * Gantry unpacks only {@code lib/*.jar} today, but a plugin with such entries is refused whole.
     */
    static String unsafeEntry(JarFile jf) {
        for (java.util.jar.JarEntry e : java.util.Collections.list(jf.entries())) {
            String n = e.getName().replace('\\', '/');
            if (n.startsWith("/") || (n.length() > 1 && n.charAt(1) == ':')) {
                return e.getName();
            }
            for (String seg : n.split("/")) {
                if (seg.equals("..")) {
                    return e.getName();
                }
            }
        }
        return null;
    }

    String problem() {
        return problem;
    }

    /** Whether the file on disk is still the one read (same size and time). */
    boolean unchanged() {
        try {
            return Files.size(path) == size && Files.getLastModifiedTime(path).toMillis() == modified;
        } catch (IOException e) {
            return false;
        }
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".jar") ? n.substring(0, n.length() - 4) : n;
    }

    @Override
    public String toString() {
        return id + "@" + version + " (" + path + ")";
    }
}
