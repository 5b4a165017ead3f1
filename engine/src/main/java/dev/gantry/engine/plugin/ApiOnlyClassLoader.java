package dev.gantry.engine.plugin;

import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.List;

/**
 * The parent of every plugin class loader: it shows a plugin the JDK, the plugin API and the
 * libraries the API is made of (PF4J, apiguardian, SLF4J) and nothing else of the engine's class
 * path. A plugin therefore gets its own version of every other library it ships (Jackson, say),
 * cannot depend by accident on one the engine happens to carry, and cannot reach the engine's
 * internals: plugins -> plugin-api <- engine, enforced at run time.
 */
final class ApiOnlyClassLoader extends ClassLoader {
    static final List<String> SHARED_PACKAGES = List.of("dev.gantry.api.", "org.pf4j.", "org.apiguardian.", "org.slf4j.",
            "com.github.zafarkhaja.semver.");
    private static final List<String> SHARED_RESOURCES = SHARED_PACKAGES.stream().map(p -> p.replace('.', '/')).toList();

    private final ClassLoader engine;

    static {
        registerAsParallelCapable();
    }

    ApiOnlyClassLoader(ClassLoader engine) {
        super("gantry-plugin-api", ClassLoader.getPlatformClassLoader());
        this.engine = engine;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (shared(name, SHARED_PACKAGES)) {
            return engine.loadClass(name);
        }
        try {
            return super.loadClass(name, resolve);
        } catch (ClassNotFoundException e) {
            if (name.startsWith("dev.gantry.engine.")) {
                throw new ClassNotFoundException(name + " is part of the Gantry engine, which plugins cannot use: depend on dev.gantry.api only", e);
            }
            throw e;
        }
    }

    @Override
    public URL getResource(String name) {
        return shared(name, SHARED_RESOURCES) ? engine.getResource(name) : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return shared(name, SHARED_RESOURCES) ? engine.getResources(name) : super.getResources(name);
    }

    private static boolean shared(String name, List<String> prefixes) {
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
