package dev.gantry.engine.run;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Compiled pipeline classes by script text, so that every build of one job version does not pay
 * for Groovy's compiler again (about 100 ms a build). A class is shared only when no build can
 * leave state in it: a script whose classes declare static fields of their own (a counter in a
 * helper class, say) is compiled afresh for every build, as before, so builds never see each
 * other's values. Bounded (least recently used out); thread-safe.
 */
final class CompiledScripts {
    static final CompiledScripts SHARED = new CompiledScripts(64);

    private final int capacity;
    private final Map<String, Class<?>> classes;

    CompiledScripts(int capacity) {
        this.capacity = capacity;
        this.classes = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Class<?>> eldest) {
                return size() > CompiledScripts.this.capacity;
            }
        };
    }

    /**
     * The class compiled from {@code source} under {@code fileName}; {@code compiler} runs (outside
     * the lock) when there is none yet, and its exceptions pass through uncached.
     */
    Class<?> get(String fileName, String source, Supplier<Class<?>> compiler) {
        String key = key(fileName, source);
        synchronized (classes) {
            Class<?> known = classes.get(key);
            if (known != null) {
                return known;
            }
        }
        Class<?> compiled = compiler.get();
        if (shareable(compiled)) {
            synchronized (classes) {
                classes.putIfAbsent(key, compiled);
            }
        }
        return compiled;
    }

    /** How many classes are held (for tests). */
    int size() {
        synchronized (classes) {
            return classes.size();
        }
    }

    /** True when neither the script class nor any class it declares has static fields of its own. */
    static boolean shareable(Class<?> script) {
        ClassLoader loader = script.getClassLoader();
        if (loader instanceof groovy.lang.GroovyClassLoader groovy) {
            for (Class<?> c : groovy.getLoadedClasses()) {
                if (hasOwnStaticFields(c)) {
                    return false;
                }
            }
        }
        return !hasOwnStaticFields(script);
    }

    private static boolean hasOwnStaticFields(Class<?> c) {
        for (Field f : c.getDeclaredFields()) {
            // Groovy's own bookkeeping (call site caches, class info) is synthetic or named $...
            if (Modifier.isStatic(f.getModifiers()) && !f.isSynthetic() && !f.getName().startsWith("$")
                    && !f.getName().startsWith("__$")) {
                return true;
            }
        }
        return false;
    }

    private static String key(String fileName, String source) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(fileName.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
