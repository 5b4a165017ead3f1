package dev.gantry.engine.sandbox;

import dev.gantry.api.PipelineSafe;
import groovy.lang.MetaMethod;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.codehaus.groovy.reflection.CachedMethod;
import org.codehaus.groovy.reflection.GeneratedMetaMethod;
import org.codehaus.groovy.runtime.DefaultGroovyMethods;
import org.codehaus.groovy.runtime.metaclass.ReflectionMetaMethod;

/**
 * Decides whether one member may be used: members of sandbox-compiled classes, members marked
 * {@link PipelineSafe} (directly, through their type, or through an overridden declaration), and
 * members on the {@link AllowList}. Decisions are cached per member. Thread-safe.
 */
final class Permissions {
    /** Returned by the check methods when the member is allowed. */
    static final String ALLOWED = "";

    private static final Set<String> DENIED_NAMES = Set.of("getMetaClass", "setMetaClass", "metaClass");

    private final AllowList list;
    private final ClassValue<ConcurrentHashMap<Object, String>> cache = new ClassValue<>() {
        @Override
        protected ConcurrentHashMap<Object, String> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };
    private final ClassValue<Boolean> userClass = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return type.isAnnotationPresent(SandboxedCode.class);
        }
    };

    Permissions(AllowList list) {
        this.list = list;
    }

    boolean isUserClass(Class<?> type) {
        return type != null && userClass.get(type);
    }

    static boolean isDeniedName(String name) {
        return DENIED_NAMES.contains(name) || name.indexOf('$') >= 0;
    }

    /** {@link #ALLOWED} or the rejected signature. */
    String checkMetaMethod(MetaMethod mm) {
        if (mm instanceof CachedMethod cm) {
            return checkMethod(cm.getCachedMethod());
        }
        if (mm instanceof ReflectionMetaMethod rm && rm.getCachedMethod() instanceof CachedMethod cm) {
            return checkExtension(cm.getCachedMethod(), mm);
        }
        if (mm instanceof GeneratedMetaMethod gm) {
            Method m = Extensions.find(gm);
            if (m != null) {
                return checkExtension(m, mm);
            }
        }
        if (mm.getClass().getName().startsWith("org.codehaus.groovy.runtime.dgmimpl.")) {
            // Groovy's own fast paths for number arithmetic and primitive array subscripts.
            return ALLOWED;
        }
        String sig = "method " + mm.getDeclaringClass().getName() + " " + mm.getName() + params(mm.getNativeParameterTypes());
        return list.contains(sig) ? ALLOWED : sig;
    }

    private String checkExtension(Method m, MetaMethod mm) {
        if (!Modifier.isStatic(m.getModifiers())) {
            // An extension method declared as an instance method (a category class): treat as a plain method.
            return checkMethod(m);
        }
        Class<?> owner = m.getDeclaringClass();
        return cache.get(owner).computeIfAbsent(m, k -> {
            String sig = "staticMethod " + owner.getName() + " " + m.getName() + params(m.getParameterTypes());
            return isDeniedName(mm.getName()) ? sig
                    : list.contains(sig) || safe(m) || safe(owner) ? ALLOWED : sig;
        });
    }

    String checkMethod(Method m) {
        Class<?> owner = m.getDeclaringClass();
        if (isDeniedName(m.getName()) || m.isSynthetic()) {
            return signature(m);
        }
        if (isUserClass(owner)) {
            return ALLOWED;
        }
        return cache.get(owner).computeIfAbsent(m, k -> decideMethod(m));
    }

    private String decideMethod(Method m) {
        String sig = signature(m);
        if (Modifier.isStatic(m.getModifiers())) {
            return list.contains(sig) || safe(m) || (safe(m.getDeclaringClass()) && Modifier.isPublic(m.getModifiers())) ? ALLOWED : sig;
        }
        if (list.contains(sig) || safe(m) || (safe(m.getDeclaringClass()) && Modifier.isPublic(m.getModifiers()))) {
            return ALLOWED;
        }
        Class<?>[] params = m.getParameterTypes();
        Set<Class<?>> supertypes = supertypes(m.getDeclaringClass());
        // Interfaces re-declare Object's methods (CharSequence.toString); those are Object's methods all the same.
        supertypes.add(Object.class);
        for (Class<?> s : supertypes) {
            Method o;
            try {
                o = s.getDeclaredMethod(m.getName(), params);
            } catch (NoSuchMethodException e) {
                continue;
            }
            if (Modifier.isStatic(o.getModifiers()) || Modifier.isPrivate(o.getModifiers())) {
                continue;
            }
            if (list.contains("method " + typeName(s) + " " + m.getName() + params(params)) || safe(o)
                    || (safe(s) && Modifier.isPublic(o.getModifiers())) || isUserClass(s)) {
                return ALLOWED;
            }
        }
        return sig;
    }

    String checkConstructor(Constructor<?> c) {
        Class<?> owner = c.getDeclaringClass();
        if (isUserClass(owner)) {
            return ALLOWED;
        }
        return cache.get(owner).computeIfAbsent(c, k -> {
            String sig = "new " + typeName(owner) + params(c.getParameterTypes());
            return list.contains(sig) || safe(c) || (safe(owner) && Modifier.isPublic(c.getModifiers())) ? ALLOWED : sig;
        });
    }

    /** Whether some constructor of {@code type} may be called: the condition for extending it. */
    boolean anyConstructorAllowed(Class<?> type) {
        if (isUserClass(type) || type == Object.class) {
            return true;
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (checkConstructor(c) == ALLOWED) {
                return true;
            }
        }
        return false;
    }

    String checkField(Field f) {
        Class<?> owner = f.getDeclaringClass();
        if (isDeniedName(f.getName())) {
            return (Modifier.isStatic(f.getModifiers()) ? "staticField " : "field ") + typeName(owner) + " " + f.getName();
        }
        if (isUserClass(owner)) {
            return ALLOWED;
        }
        return cache.get(owner).computeIfAbsent(f, k -> {
            boolean isStatic = Modifier.isStatic(f.getModifiers());
            String sig = (isStatic ? "staticField " : "field ") + typeName(owner) + " " + f.getName();
            boolean publicSafeType = safe(owner) && Modifier.isPublic(f.getModifiers());
            // Enum constants carry no behaviour of their own; reading one is always harmless.
            return list.contains(sig) || safe(f) || publicSafeType || f.isEnumConstant() ? ALLOWED : sig;
        });
    }

    /** Whether {@code type} or one of its supertypes is marked {@link PipelineSafe} as a whole. */
    boolean isSafeType(Class<?> type) {
        if (safe(type)) {
            return true;
        }
        for (Class<?> s : supertypes(type)) {
            if (safe(s)) {
                return true;
            }
        }
        return false;
    }

    private static boolean safe(AnnotatedElement e) {
        return e.isAnnotationPresent(PipelineSafe.class);
    }

    static Set<Class<?>> supertypes(Class<?> type) {
        Set<Class<?>> seen = new java.util.LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.add(type);
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            if (c.getSuperclass() != null && seen.add(c.getSuperclass())) {
                todo.add(c.getSuperclass());
            }
            for (Class<?> i : c.getInterfaces()) {
                if (seen.add(i)) {
                    todo.add(i);
                }
            }
        }
        return seen;
    }

    static String signature(Method m) {
        return (Modifier.isStatic(m.getModifiers()) ? "staticMethod " : "method ") + typeName(m.getDeclaringClass())
                + " " + m.getName() + params(m.getParameterTypes());
    }

    static String params(Class<?>[] types) {
        StringBuilder b = new StringBuilder();
        for (Class<?> t : types) {
            b.append(' ').append(typeName(t));
        }
        return b.toString();
    }

    static String typeName(Class<?> t) {
        return t == null ? "java.lang.Object" : t.isArray() ? typeName(t.getComponentType()) + "[]" : t.getName();
    }

    /** Finds the static Java method behind a precompiled Groovy extension method. */
    static final class Extensions {
        private static final ConcurrentHashMap<String, Method> FOUND = new ConcurrentHashMap<>();
        private static final Class<?>[] OWNERS;

        static {
            Set<Class<?>> owners = new java.util.LinkedHashSet<>();
            owners.add(DefaultGroovyMethods.class);
            for (Class<?> c : DefaultGroovyMethods.DGM_LIKE_CLASSES) {
                owners.add(c);
            }
            for (Class<?> c : DefaultGroovyMethods.ADDITIONAL_CLASSES) {
                owners.add(c);
            }
            owners.add(org.codehaus.groovy.runtime.DefaultGroovyStaticMethods.class);
            OWNERS = owners.toArray(new Class<?>[0]);
        }

        private Extensions() {
        }

        static Method find(GeneratedMetaMethod gm) {
            Class<?>[] p = gm.getNativeParameterTypes();
            Class<?>[] full = new Class<?>[p.length + 1];
            full[0] = gm.getDeclaringClass().getTheClass();
            System.arraycopy(p, 0, full, 1, p.length);
            String key = gm.getName() + params(full);
            Method m = FOUND.get(key);
            if (m != null) {
                return m;
            }
            for (Class<?> owner : OWNERS) {
                try {
                    m = owner.getMethod(gm.getName(), full);
                } catch (NoSuchMethodException e) {
                    continue;
                }
                if (Modifier.isStatic(m.getModifiers())) {
                    FOUND.put(key, m);
                    return m;
                }
            }
            return null;
        }
    }
}
