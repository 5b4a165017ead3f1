package dev.gantry.engine.sandbox;

import dev.gantry.api.Result;
import dev.gantry.api.step.FlowInterruptedException;
import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.GString;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyInterceptable;
import groovy.lang.GroovyObject;
import groovy.lang.GroovyObjectSupport;
import groovy.lang.GroovyRuntimeException;
import groovy.lang.MetaBeanProperty;
import groovy.lang.MetaClass;
import groovy.lang.MetaClassImpl;
import groovy.lang.MetaMethod;
import groovy.lang.MetaProperty;
import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.codehaus.groovy.reflection.CachedField;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.codehaus.groovy.runtime.MetaClassHelper;
import org.codehaus.groovy.runtime.NullObject;
import org.codehaus.groovy.runtime.ScriptBytecodeAdapter;
import org.codehaus.groovy.runtime.metaclass.MultipleSetterProperty;
import org.codehaus.groovy.vmplugin.VMPluginFactory;

/**
 * The checks sandboxed code runs through. {@link SandboxTransformer} rewrites every call, property
 * and attribute access, subscript, cast and method pointer of pipeline code into calls of the static
 * methods here; each finds the member Groovy would really use on the actual receiver, checks it
 * against the {@link AllowList} and {@link dev.gantry.api.PipelineSafe} (throwing
 * {@link SandboxRejection}), and then performs the operation with Groovy's dynamic semantics.
 *
 * <p>The methods other than {@link #setCheckpointHandler} and {@link #checkpoint} are the target
 * of generated code and not meant to be called by hand. All methods are thread-safe.
 */
public final class SandboxRuntime {
    private static final Object[] NO_ARGS = new Object[0];
    private static final Runnable DEFAULT_HANDLER = () -> {
        if (Thread.currentThread().isInterrupted()) {
            throw new FlowInterruptedException(Result.ABORTED, "pipeline code was interrupted");
        }
    };
    private static volatile Runnable checkpointHandler = DEFAULT_HANDLER;
    private static volatile java.util.function.Supplier<ApprovalPolicy> approvalPolicy = () -> null;

    static final Permissions PERMISSIONS = new Permissions(AllowList.defaults());

    private static final Set<String> CLOSURE_READABLE = Set.of("delegate", "owner", "thisObject", "resolveStrategy",
            "directive", "maximumNumberOfParameters", "parameterTypes", "class");
    private static final Set<String> CLOSURE_UNWRITABLE = Set.of("delegate", "resolveStrategy", "directive");

    private static final ClassValue<ConcurrentHashMap<CallKey, Decision>> INSTANCE_CALLS = new DecisionCache();
    private static final ClassValue<ConcurrentHashMap<CallKey, Decision>> STATIC_CALLS = new DecisionCache();

    private SandboxRuntime() {
    }

    /**
     * Installs the handler every checkpoint of sandboxed code calls (loop iterations, closure and
     * method bodies). The handler aborts pipeline code by throwing an unchecked exception; it is
     * called on the pipeline's own thread, very often, so it must be cheap.
     *
     * @param handler the new handler; null restores the default, which throws
     *     {@link FlowInterruptedException} (ABORTED) when the current thread is interrupted
     */
    public static void setCheckpointHandler(Runnable handler) {
        checkpointHandler = handler == null ? DEFAULT_HANDLER : handler;
    }

    /**
     * Installs where rejections are reported and approvals looked up: the supplier is asked on the
     * thread of the rejected code (so it can find the build that runs it) and may return null
     * (nothing is approved, nothing recorded). Called only on the rejection path, never for
     * allowed members.
     *
     * @param source the supplier; null restores the default (no approvals)
     */
    public static void setApprovalPolicySource(java.util.function.Supplier<ApprovalPolicy> source) {
        approvalPolicy = source == null ? () -> null : source;
    }

    /** Runs the installed checkpoint handler; throws whatever it throws. */
    public static void checkpoint() {
        checkpointHandler.run();
    }

    // ---------------------------------------------------------------- method calls

    /** {@code receiver.name(args)}, {@code receiver?.name(args)}, {@code receiver*.name(args)}. */
    public static Object call(Object receiver, Object name, boolean safe, boolean spread, Object[] args) {
        String n = String.valueOf(name);
        Object[] a = args == null ? NO_ARGS : args;
        if (spread) {
            if (receiver == null) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            for (Object e : iterable(receiver)) {
                out.add(e == null ? null : invoke(e, n, a.clone()));
            }
            return out;
        }
        if (receiver == null && safe) {
            return null;
        }
        return invoke(receiver, n, a);
    }

    /**
     * {@code name(args)} without a receiver: {@code self} is the closure whose body contains the call,
     * or else {@code this} of the enclosing method (the script, an instance, or a class).
     */
    public static Object callImplicit(Object self, Object name, Object[] args) {
        String n = String.valueOf(name);
        Object[] a = args == null ? NO_ARGS : args;
        if (self instanceof Closure<?> c) {
            return invokeOnClosure(c, n, a, true);
        }
        return invoke(self, n, a);
    }

    /** {@code Type.name(args)} compiled as a static call (static imports, calls inside a class). */
    public static Object callStatic(Class<?> type, Object name, Object[] args) {
        return invokeStatic(type, String.valueOf(name), args == null ? NO_ARGS : args);
    }

    /** {@code super.name(args)} inside class {@code sender}. */
    public static Object callSuper(Class<?> sender, Object self, Object name, Object[] args) {
        String n = String.valueOf(name);
        Object[] a = args == null ? NO_ARGS : args;
        Class<?> parent = sender.getSuperclass();
        MetaClass mc = InvokerHelper.getMetaClass(parent);
        MetaMethod mm = mc.pickMethod(n, MetaClassHelper.convertToTypeArray(a));
        if (mm == null) {
            throw new MissingMethodException(n, parent, a);
        }
        enforce(PERMISSIONS.checkMetaMethod(mm));
        return unwrap(() -> ScriptBytecodeAdapter.invokeMethodOnSuperN(sender, (GroovyObject) self, n, a));
    }

    /** {@code new Type(args)}, including {@code new Type(name: value)}. */
    public static Object construct(Class<?> type, Object[] args) {
        Object[] a = args == null ? NO_ARGS : args;
        MetaClass mc = InvokerHelper.getMetaClass(type);
        if (mc instanceof MetaClassImpl impl && !type.isInterface() && !Modifier.isAbstract(type.getModifiers())) {
            MetaMethod ctor;
            try {
                ctor = impl.retrieveConstructor(a);
            } catch (GroovyRuntimeException e) {
                ctor = null;
            }
            if (ctor instanceof MetaClassImpl.MetaConstructor mcon) {
                Constructor<?> c = mcon.getCachedConstrcutor().getCachedConstructor();
                enforce(PERMISSIONS.checkConstructor(c));
                if (mcon.isBeanConstructor() && !(c.getParameterCount() == 1 && Map.class.isAssignableFrom(c.getParameterTypes()[0]))) {
                    // Groovy would call the no-argument constructor and then the setters; do it here, checking each setter.
                    Object bean = unwrap(() -> InvokerHelper.invokeConstructorOf(type, NO_ARGS));
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) a[0]).entrySet()) {
                        writeProperty(bean, String.valueOf(e.getKey()), e.getValue());
                    }
                    return bean;
                }
                return unwrap(() -> InvokerHelper.invokeConstructorOf(type, a));
            }
        }
        if (PERMISSIONS.isUserClass(type)) {
            return unwrap(() -> InvokerHelper.invokeConstructorOf(type, a));
        }
        reject("new " + Permissions.typeName(type) + Permissions.params(MetaClassHelper.convertToTypeArray(a)));
        return unwrap(() -> InvokerHelper.invokeConstructorOf(type, a));
    }

    static Object invoke(Object receiver, String name, Object[] args) {
        if (receiver == null) {
            return invokeOnNull(name, args);
        }
        if (receiver instanceof Class<?> c) {
            return invokeStatic(c, name, args);
        }
        if (receiver instanceof Closure<?> c) {
            return invokeOnClosure(c, name, args, false);
        }
        return invokeOnObject(receiver, name, args);
    }

    private static Object invokeOnNull(String name, Object[] args) {
        MetaClass mc = InvokerHelper.getMetaClass(NullObject.getNullObject());
        MetaMethod mm = mc.pickMethod(name, MetaClassHelper.convertToTypeArray(args));
        if (mm != null && mm.getDeclaringClass().getTheClass() != NullObject.class) {
            enforce(PERMISSIONS.checkMetaMethod(mm));
        }
        return unwrap(() -> InvokerHelper.invokeMethod(null, name, args));
    }

    private static Object invokeOnObject(Object receiver, String name, Object[] args) {
        Class<?> type = receiver.getClass();
        boolean user = PERMISSIONS.isUserClass(type);
        if (receiver instanceof GroovyInterceptable && !user) {
            enforce(checkOverride(type, "invokeMethod", String.class, Object.class));
            return unwrap(() -> ((GroovyObject) receiver).invokeMethod(name, args));
        }
        MetaClass mc = InvokerHelper.getMetaClass(receiver);
        Decision d = decide(INSTANCE_CALLS, type, name, args, types -> mc.pickMethod(name, types));
        if (d.method != null) {
            enforce(d.rejected);
            return doInvoke(mc, d.method, receiver, args);
        }
        // No method: Groovy goes on to methodMissing, an invokeMethod override or a closure-valued property.
        if (!(receiver instanceof Script) && !user && !(receiver instanceof Map)) {
            if (receiver instanceof GroovyObject) {
                enforce(checkOverride(type, "invokeMethod", String.class, Object.class));
            }
            MetaMethod missing = mc.getMetaMethod("methodMissing", new Object[] {String.class, Object.class});
            if (missing != null) {
                enforce(PERMISSIONS.checkMetaMethod(missing));
            }
            MetaProperty mp = mc.getMetaProperty(name);
            if (mp != null) {
                enforce(checkRead(mp, type));
            }
        }
        return unwrap(() -> InvokerHelper.invokeMethod(receiver, name, args));
    }

    private static Object invokeStatic(Class<?> type, String name, Object[] args) {
        MetaClass mc = InvokerHelper.getMetaClass(type);
        Decision d = decide(STATIC_CALLS, type, name, args, types -> mc.getStaticMetaMethod(name, types));
        if (d.method != null) {
            enforce(d.rejected);
            return doInvoke(mc, d.method, type, args);
        }
        if (!PERMISSIONS.isUserClass(type)) {
            MetaProperty mp = mc.getMetaProperty(name);
            if (mp != null && Modifier.isStatic(mp.getModifiers())) {
                enforce(checkRead(mp, type));
            }
        }
        return unwrap(() -> InvokerHelper.invokeMethod(type, name, args));
    }

    /**
     * Calls on a closure: its own methods ({@code call}, {@code curry}, ...) run on it; other names are
     * dispatched to owner and delegate in the order of its resolve strategy, as Groovy's
     * {@code ClosureMetaClass} does, but through the checked paths, so the check applies to the
     * object that really receives the call. For implicit calls, Groovy extension methods (such as
     * {@code sleep} or {@code println} on Object) are looked up on owner and delegate rather than on the
     * closure, and a method declared by owner or delegate wins over an extension method found earlier in
     * the resolve order, so a pipeline's own {@code sleep} or {@code println} is reached from inside closures.
     */
    private static Object invokeOnClosure(Closure<?> c, String name, Object[] args, boolean implicit) {
        if ("call".equals(name) || "doCall".equals(name)) {
            return unwrap(() -> c.call(args));
        }
        MetaClass own = InvokerHelper.getMetaClass(c);
        MetaMethod mm = own.pickMethod(name, MetaClassHelper.convertToTypeArray(args));
        if (mm != null && !(implicit && isExtension(mm))) {
            enforce(PERMISSIONS.checkMetaMethod(mm));
            return doInvoke(own, mm, c, args);
        }
        List<Object> targets = targets(c);
        Class<?>[] types = MetaClassHelper.convertToTypeArray(args);
        // A method the object itself declares wins over a Groovy extension method (println, sleep, each on
        // Object) found earlier in the resolve order, so pipeline-defined steps are not shadowed by the GDK.
        Object extensionTarget = null;
        for (Object t : targets) {
            if (t instanceof Closure<?>) {
                continue;
            }
            MetaMethod found = t instanceof Class<?> k
                    ? InvokerHelper.getMetaClass(k).getStaticMetaMethod(name, types)
                    : InvokerHelper.getMetaClass(t).pickMethod(name, types);
            if (found != null && !isExtension(found)) {
                return invoke(t, name, args);
            }
            if (found != null && extensionTarget == null) {
                extensionTarget = t;
            }
        }
        if (extensionTarget != null) {
            return invoke(extensionTarget, name, args);
        }
        MissingMethodException first = null;
        for (Object t : targets) {
            if (!(t instanceof Closure<?>) && !(t instanceof GroovyObject)) {
                continue;
            }
            try {
                return t instanceof Closure<?> tc ? invokeOnClosure(tc, name, args, true) : invoke(t, name, args);
            } catch (MissingMethodException e) {
                if (!name.equals(e.getMethod())) {
                    throw e;
                }
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first != null ? first : new MissingMethodException(name, c.getClass(), args);
    }

    private static boolean isExtension(MetaMethod mm) {
        return !(mm instanceof org.codehaus.groovy.reflection.CachedMethod);
    }

    private static List<Object> targets(Closure<?> c) {
        Object owner = c.getOwner();
        Object delegate = c.getDelegate();
        List<Object> out = new ArrayList<>(2);
        switch (c.getResolveStrategy()) {
            case Closure.DELEGATE_FIRST -> add(out, c, delegate, owner);
            case Closure.OWNER_ONLY -> add(out, c, owner);
            case Closure.DELEGATE_ONLY -> add(out, c, delegate);
            case Closure.TO_SELF -> { }
            default -> add(out, c, owner, delegate);
        }
        return out;
    }

    private static void add(List<Object> out, Closure<?> self, Object... candidates) {
        for (Object o : candidates) {
            if (o != null && o != self && !out.contains(o)) {
                out.add(o);
            }
        }
    }

    // ---------------------------------------------------------------- properties

    /** {@code receiver.name}, {@code receiver?.name}, {@code receiver*.name}. */
    public static Object getProperty(Object receiver, Object name, boolean safe, boolean spread) {
        String n = String.valueOf(name);
        if (spread) {
            if (receiver == null) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            for (Object e : iterable(receiver)) {
                out.add(e == null ? null : readProperty(e, n));
            }
            return out;
        }
        if (receiver == null) {
            return safe ? null : unwrap(() -> InvokerHelper.getProperty(null, n));
        }
        return readProperty(receiver, n);
    }

    /** A name that is not a local variable: a script binding variable, a property of {@code self}, or via a closure. */
    public static Object getImplicit(Object self, Object name) {
        return readProperty(self, String.valueOf(name));
    }

    /** {@code receiver.name = value}; returns {@code value}. */
    public static Object setProperty(Object receiver, Object name, boolean safe, boolean spread, Object value) {
        String n = String.valueOf(name);
        if (spread) {
            if (receiver != null) {
                for (Object e : iterable(receiver)) {
                    if (e != null) {
                        writeProperty(e, n, value);
                    }
                }
            }
            return value;
        }
        if (receiver == null) {
            if (safe) {
                return value;
            }
            unwrap(() -> {
                InvokerHelper.setProperty(null, n, value);
                return null;
            });
            return value;
        }
        writeProperty(receiver, n, value);
        return value;
    }

    /** {@code name = value} where {@code name} is not a local variable; returns {@code value}. */
    public static Object setImplicit(Object self, Object name, Object value) {
        writeProperty(self, String.valueOf(name), value);
        return value;
    }

    static Object readProperty(Object r, String n) {
        if (Permissions.isDeniedName(n)) {
            throw rejectAlways("method " + Permissions.typeName(r.getClass()) + " getMetaClass");
        }
        if (r instanceof Class<?> c) {
            return readStatic(c, n);
        }
        if (r instanceof Closure<?> c) {
            return readOnClosure(c, n);
        }
        if (r instanceof Map<?, ?>) {
            return unwrap(() -> InvokerHelper.getProperty(r, n));
        }
        if (r instanceof Script s) {
            return readOnScript(s, n);
        }
        Class<?> type = r.getClass();
        MetaClass mc = InvokerHelper.getMetaClass(r);
        if (r instanceof GroovyObject go) {
            String override = checkOverride(type, "getProperty", String.class);
            if (override != null) {
                enforce(override);
                return unwrap(() -> go.getProperty(n));
            }
        }
        MetaProperty mp = mc.getMetaProperty(n);
        if (mp != null) {
            enforce(checkRead(mp, type));
            return unwrap(() -> mp.getProperty(r));
        }
        if (r instanceof Collection<?> col) {
            List<Object> out = new ArrayList<>();
            for (Object e : col) {
                if (e != null) {
                    out.add(readProperty(e, n));
                }
            }
            return out;
        }
        checkMissingProperty(mc, "get", String.class);
        return unwrap(() -> InvokerHelper.getProperty(r, n));
    }

    private static Object readStatic(Class<?> c, String n) {
        MetaClass mc = InvokerHelper.getMetaClass(c);
        MetaProperty mp = mc.getMetaProperty(n);
        if (mp != null && Modifier.isStatic(mp.getModifiers())) {
            enforce(checkRead(mp, c));
            return unwrap(() -> mp.getProperty(c));
        }
        MetaProperty ofClass = InvokerHelper.getMetaClass(Class.class).getMetaProperty(n);
        if (ofClass != null) {
            enforce(checkRead(ofClass, Class.class));
            return unwrap(() -> ofClass.getProperty(c));
        }
        if (!PERMISSIONS.isUserClass(c)) {
            throw new MissingPropertyException(n, c);
        }
        return unwrap(() -> InvokerHelper.getProperty(c, n));
    }

    private static Object readOnClosure(Closure<?> c, String n) {
        if (CLOSURE_READABLE.contains(n)) {
            enforce(checkRead(InvokerHelper.getMetaClass(Closure.class).getMetaProperty(n), Closure.class));
            return c.getProperty(n);
        }
        if (c.getResolveStrategy() == Closure.TO_SELF) {
            throw new MissingPropertyException(n, c.getClass());
        }
        MissingPropertyException first = null;
        for (Object t : targets(c)) {
            try {
                return readProperty(t, n);
            } catch (MissingPropertyException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first != null ? first : new MissingPropertyException(n, c.getClass());
    }

    private static Object readOnScript(Script s, String n) {
        Binding b = s.getBinding();
        if (b != null && b.hasVariable(n)) {
            return unwrap(() -> s.getProperty(n));
        }
        MetaProperty mp = InvokerHelper.getMetaClass(s).getMetaProperty(n);
        if (mp != null) {
            enforce(checkRead(mp, s.getClass()));
        }
        return unwrap(() -> s.getProperty(n));
    }

    static void writeProperty(Object r, String n, Object v) {
        if (Permissions.isDeniedName(n)) {
            throw rejectAlways("method " + Permissions.typeName(r.getClass()) + " setMetaClass groovy.lang.MetaClass");
        }
        if (r instanceof Class<?> c) {
            writeStatic(c, n, v);
            return;
        }
        if (r instanceof Closure<?> c) {
            writeOnClosure(c, n, v);
            return;
        }
        if (r instanceof Map<?, ?>) {
            unwrap(() -> {
                InvokerHelper.setProperty(r, n, v);
                return null;
            });
            return;
        }
        if (r instanceof Script s) {
            if ("binding".equals(n)) {
                throw rejectAlways("method groovy.lang.Script setBinding groovy.lang.Binding");
            }
            unwrap(() -> {
                s.setProperty(n, v);
                return null;
            });
            return;
        }
        Class<?> type = r.getClass();
        if (r instanceof GroovyObject go) {
            String override = checkOverride(type, "setProperty", String.class, Object.class);
            if (override != null) {
                enforce(override);
                unwrap(() -> {
                    go.setProperty(n, v);
                    return null;
                });
                return;
            }
        }
        MetaClass mc = InvokerHelper.getMetaClass(r);
        MetaProperty mp = mc.getMetaProperty(n);
        if (mp != null) {
            enforce(checkWrite(mp, type));
            Object converted = mp.getType() == null ? v : convert(v, mp.getType());
            unwrap(() -> {
                mp.setProperty(r, converted);
                return null;
            });
            return;
        }
        if (r instanceof Collection<?> col) {
            for (Object e : col) {
                if (e != null) {
                    writeProperty(e, n, v);
                }
            }
            return;
        }
        checkMissingProperty(mc, "set", String.class, Object.class);
        unwrap(() -> {
            InvokerHelper.setProperty(r, n, v);
            return null;
        });
    }

    private static void writeStatic(Class<?> c, String n, Object v) {
        MetaClass mc = InvokerHelper.getMetaClass(c);
        MetaProperty mp = mc.getMetaProperty(n);
        if (mp != null && Modifier.isStatic(mp.getModifiers())) {
            enforce(checkWrite(mp, c));
            Object converted = convert(v, mp.getType());
            unwrap(() -> {
                mp.setProperty(c, converted);
                return null;
            });
            return;
        }
        if (!PERMISSIONS.isUserClass(c)) {
            reject("staticField " + Permissions.typeName(c) + " " + n);
        }
        unwrap(() -> {
            InvokerHelper.setProperty(c, n, v);
            return null;
        });
    }

    private static void writeOnClosure(Closure<?> c, String n, Object v) {
        if (CLOSURE_UNWRITABLE.contains(n)) {
            throw rejectAlways("method groovy.lang.Closure set" + Character.toUpperCase(n.charAt(0)) + n.substring(1)
                    + ("delegate".equals(n) ? " java.lang.Object" : " int"));
        }
        if (c.getResolveStrategy() == Closure.TO_SELF) {
            throw new MissingPropertyException(n, c.getClass());
        }
        MissingPropertyException first = null;
        for (Object t : targets(c)) {
            try {
                writeProperty(t, n, v);
                return;
            } catch (MissingPropertyException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first != null ? first : new MissingPropertyException(n, c.getClass());
    }

    private static String checkRead(MetaProperty mp, Class<?> type) {
        if (mp instanceof MetaBeanProperty mbp) {
            if (mbp.getGetter() != null) {
                return PERMISSIONS.checkMetaMethod(mbp.getGetter());
            }
            return mbp.getField() != null ? PERMISSIONS.checkField(mbp.getField().getCachedField()) : Permissions.ALLOWED;
        }
        if (mp instanceof CachedField cf) {
            return PERMISSIONS.checkField(cf.getCachedField());
        }
        if (mp instanceof MultipleSetterProperty msp) {
            return msp.getGetter() != null ? PERMISSIONS.checkMetaMethod(msp.getGetter()) : Permissions.ALLOWED;
        }
        if (mp.getClass().getSimpleName().equals("MetaArrayLengthProperty")) {
            return Permissions.ALLOWED;
        }
        return "method " + Permissions.typeName(type) + " get" + capitalize(mp.getName());
    }

    private static String checkWrite(MetaProperty mp, Class<?> type) {
        if (mp instanceof MetaBeanProperty mbp) {
            if (mbp.getSetter() != null) {
                return PERMISSIONS.checkMetaMethod(mbp.getSetter());
            }
            return mbp.getField() != null ? PERMISSIONS.checkField(mbp.getField().getCachedField())
                    : "method " + Permissions.typeName(type) + " set" + capitalize(mp.getName());
        }
        if (mp instanceof CachedField cf) {
            return PERMISSIONS.checkField(cf.getCachedField());
        }
        return "method " + Permissions.typeName(type) + " set" + capitalize(mp.getName()) + " java.lang.Object";
    }

    /** Groovy falls back to a generic {@code get(String)}/{@code set(String, Object)} and to propertyMissing. */
    private static void checkMissingProperty(MetaClass mc, String generic, Class<?>... params) {
        MetaMethod g = mc.pickMethod(generic, params);
        if (g != null) {
            enforce(PERMISSIONS.checkMetaMethod(g));
        }
        MetaMethod missing = mc.getMetaMethod("propertyMissing", params);
        if (missing != null) {
            enforce(PERMISSIONS.checkMetaMethod(missing));
        }
    }

    /** The override of a GroovyObject hook in {@code type}, checked; null when the type does not override it. */
    private static String checkOverride(Class<?> type, String name, Class<?>... params) {
        Method m;
        try {
            m = type.getMethod(name, params);
        } catch (NoSuchMethodException e) {
            return null;
        }
        Class<?> d = m.getDeclaringClass();
        if (d == GroovyObject.class || d == GroovyObjectSupport.class || d == Object.class) {
            return null;
        }
        return PERMISSIONS.checkMethod(m);
    }

    // ---------------------------------------------------------------- attributes (fields)

    /** {@code receiver.@name}. */
    public static Object getAttribute(Object receiver, Object name, boolean safe, boolean spread) {
        String n = String.valueOf(name);
        if (spread) {
            if (receiver == null) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            for (Object e : iterable(receiver)) {
                out.add(e == null ? null : getAttribute(e, n, false, false));
            }
            return out;
        }
        if (receiver == null && safe) {
            return null;
        }
        checkAttribute(receiver, n);
        return unwrap(() -> InvokerHelper.getAttribute(receiver, n));
    }

    /** {@code receiver.@name = value}; returns {@code value}. */
    public static Object setAttribute(Object receiver, Object name, boolean safe, boolean spread, Object value) {
        String n = String.valueOf(name);
        if (spread) {
            if (receiver != null) {
                for (Object e : iterable(receiver)) {
                    if (e != null) {
                        setAttribute(e, n, false, false, value);
                    }
                }
            }
            return value;
        }
        if (receiver == null && safe) {
            return value;
        }
        checkAttribute(receiver, n);
        unwrap(() -> {
            InvokerHelper.setAttribute(receiver, n, value);
            return null;
        });
        return value;
    }

    private static void checkAttribute(Object receiver, String n) {
        if (receiver == null) {
            return;
        }
        Class<?> type = receiver instanceof Class<?> c ? c : receiver.getClass();
        if (Permissions.isDeniedName(n)) {
            throw rejectAlways("field " + Permissions.typeName(type) + " " + n);
        }
        for (Class<?> k = type; k != null; k = k.getSuperclass()) {
            try {
                enforce(PERMISSIONS.checkField(k.getDeclaredField(n)));
                return;
            } catch (NoSuchFieldException e) {
                // look further up
            }
        }
        if (!PERMISSIONS.isUserClass(type)) {
            reject((receiver instanceof Class ? "staticField " : "field ") + Permissions.typeName(type) + " " + n);
        }
    }

    // ---------------------------------------------------------------- subscripts and operators

    /** {@code receiver[index]} and {@code receiver?[index]}. */
    public static Object getAt(Object receiver, boolean safe, Object index) {
        if (receiver == null && safe) {
            return null;
        }
        if (receiver instanceof Map<?, ?> map) {
            return map.get(index instanceof groovy.lang.GString g ? g.toString() : index);
        }
        if (index instanceof CharSequence name && isPropertySubscript(receiver, "getAt", index)) {
            return readProperty(receiver, name.toString());
        }
        return invoke(receiver, "getAt", new Object[] {index});
    }

    /**
     * Whether Groovy would serve {@code receiver[name]} with the GDK's catch-all
     * {@code getAt(Object, String)} / {@code putAt(Object, String, Object)}, which read and write
     * the property {@code name}: such a subscript is checked as the property access it is, so it
     * cannot reach a property the sandbox would refuse.
     */
    private static boolean isPropertySubscript(Object receiver, String method, Object index) {
        Class<?>[] types = method.equals("getAt") ? new Class<?>[] {index.getClass()} : new Class<?>[] {index.getClass(), Object.class};
        groovy.lang.MetaMethod mm = InvokerHelper.getMetaClass(receiver).pickMethod(method, types);
        return mm == null || mm.getDeclaringClass().getTheClass() == Object.class;
    }

    /** {@code receiver[index] = value}; returns {@code value}. */
    public static Object putAt(Object receiver, boolean safe, Object index, Object value) {
        if (receiver == null && safe) {
            return value;
        }
        if (receiver instanceof Map<?, ?> map) {
            // Groovy itself picks putAt(Object, String, Object) for a map and a string key, which puts the entry.
            @SuppressWarnings("unchecked")
            Map<Object, Object> m = (Map<Object, Object>) map;
            m.put(index instanceof groovy.lang.GString g ? g.toString() : index, value);
            return value;
        }
        if (index instanceof CharSequence name && isPropertySubscript(receiver, "putAt", index)) {
            writeProperty(receiver, name.toString(), value);
            return value;
        }
        invoke(receiver, "putAt", new Object[] {index, value});
        return value;
    }

    /** {@code receiver.name op= value}: reads once, applies the operator method, writes; returns the new value. */
    public static Object compoundProperty(Object receiver, Object name, Object operator, Object value) {
        String n = String.valueOf(name);
        Object result = operate(readProperty(Objects.requireNonNull(receiver, "null receiver"), n), String.valueOf(operator), value);
        writeProperty(receiver, n, result);
        return result;
    }

    /** {@code name op= value} for a non-local name. */
    public static Object compoundImplicit(Object self, Object name, Object operator, Object value) {
        return compoundProperty(self, name, operator, value);
    }

    /** {@code receiver[index] op= value}. */
    public static Object compoundAt(Object receiver, Object index, Object operator, Object value) {
        Object result = operate(getAt(receiver, false, index), String.valueOf(operator), value);
        putAt(receiver, false, index, result);
        return result;
    }

    /** {@code receiver.name++} and friends ({@code operator} is next or previous). */
    public static Object stepProperty(Object receiver, Object name, Object operator, boolean postfix) {
        String n = String.valueOf(name);
        Object old = readProperty(Objects.requireNonNull(receiver, "null receiver"), n);
        Object updated = invoke(old, String.valueOf(operator), NO_ARGS);
        writeProperty(receiver, n, updated);
        return postfix ? old : updated;
    }

    /** {@code name++} for a non-local name. */
    public static Object stepImplicit(Object self, Object name, Object operator, boolean postfix) {
        return stepProperty(self, name, operator, postfix);
    }

    /** {@code receiver[index]++} and friends. */
    public static Object stepAt(Object receiver, Object index, Object operator, boolean postfix) {
        Object old = getAt(receiver, false, index);
        Object updated = invoke(old, String.valueOf(operator), NO_ARGS);
        putAt(receiver, false, index, updated);
        return postfix ? old : updated;
    }

    private static Object operate(Object left, String operator, Object right) {
        return invoke(left, operator, new Object[] {right});
    }

    /** The values of a multiple assignment {@code def (a, b) = value}, read through checked subscripts. */
    public static List<Object> destructure(Object value, int count) {
        List<Object> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(value == null ? null : invoke(value, "getAt", new Object[] {i}));
        }
        return out;
    }

    /** Arguments given with the spread operator ({@code f(*list)}), evaluated as a list literal. */
    public static Object[] spreadArguments(List<?> values) {
        return values.toArray();
    }

    // ---------------------------------------------------------------- casts and coercion

    /**
     * {@code value as type} ({@code coerce}) and implicit conversions to declared types. Conversions
     * that would construct an object (a list or map turned into a constructor call, a string into a
     * {@code File}, a closure into an abstract class) are checked like the constructor call they are.
     */
    public static Object cast(Object value, Class<?> type, boolean coerce) {
        if (value != null && !type.isPrimitive() && type.isInstance(value)) {
            return value;
        }
        if (value == null || isHarmlessTarget(type) || PERMISSIONS.isUserClass(type)) {
            return unwrap(() -> coerce ? ScriptBytecodeAdapter.asType(value, type) : ScriptBytecodeAdapter.castToType(value, type));
        }
        if (type.isInterface() && (value instanceof Closure<?> || value instanceof Map<?, ?>)) {
            // A proxy whose methods run sandboxed closures: it can do nothing the script could not do itself.
            return unwrap(() -> ScriptBytecodeAdapter.asType(value, type));
        }
        if (type.isEnum() && (value instanceof String || value instanceof GString)) {
            return unwrap(() -> ScriptBytecodeAdapter.asType(value, type));
        }
        if (value instanceof Map<?, ?> m && !type.isInterface()) {
            return construct(type, new Object[] {m});
        }
        if (value instanceof Collection<?> col && !type.isInterface()) {
            return construct(type, col.toArray());
        }
        if (type == Class.class) {
            throw rejectAlways("staticMethod java.lang.Class forName java.lang.String");
        }
        reject("new " + Permissions.typeName(type) + " " + Permissions.typeName(value.getClass()));
        return unwrap(() -> coerce ? ScriptBytecodeAdapter.asType(value, type) : ScriptBytecodeAdapter.castToType(value, type));
    }

    private static Object convert(Object value, Class<?> type) {
        return value == null || type.isInstance(value) ? value : cast(value, type, false);
    }

    private static final Set<Class<?>> HARMLESS_TARGETS = Set.of(Object.class, String.class, CharSequence.class, GString.class,
            Boolean.class, Character.class, Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class,
            Number.class, BigDecimal.class, BigInteger.class, Collection.class, List.class, Set.class, Map.class, Iterable.class,
            java.util.SortedSet.class, java.util.SortedMap.class, java.util.ArrayList.class, java.util.LinkedList.class,
            java.util.HashSet.class, java.util.LinkedHashSet.class, java.util.TreeSet.class, java.util.HashMap.class,
            java.util.LinkedHashMap.class, java.util.TreeMap.class, java.util.Queue.class, java.util.Deque.class,
            java.util.ArrayDeque.class, Iterator.class, Comparable.class);

    /** Targets whose conversions never run code beyond Groovy's own number, string, boolean and collection handling. */
    static boolean isHarmlessTarget(Class<?> type) {
        if (type.isPrimitive() || HARMLESS_TARGETS.contains(type) || type.isEnum()) {
            return true;
        }
        return type.isArray() && isHarmlessTarget(type.getComponentType());
    }

    // ---------------------------------------------------------------- method pointers

    /** {@code receiver.&name} and {@code Type::name}: a closure whose every call is checked. */
    public static Object methodPointer(Object receiver, Object name) {
        String n = String.valueOf(name);
        Objects.requireNonNull(receiver, () -> "Cannot create a method pointer to '" + n + "' on null");
        if (receiver instanceof Class<?> c && "new".equals(n)) {
            if (!PERMISSIONS.anyConstructorAllowed(c)) {
                reject("new " + Permissions.typeName(c));
            }
            return new CheckedMethodClosure(receiver, n, -1);
        }
        MetaClass mc = InvokerHelper.getMetaClass(receiver);
        List<MetaMethod> named = new ArrayList<>();
        for (MetaMethod mm : mc.getMethods()) {
            if (mm.getName().equals(n)) {
                named.add(mm);
            }
        }
        if (receiver instanceof Class<?>) {
            for (MetaMethod mm : InvokerHelper.getMetaClass(Class.class).getMethods()) {
                if (mm.getName().equals(n)) {
                    named.add(mm);
                }
            }
        }
        String rejected = null;
        int arity = -2;
        for (MetaMethod mm : named) {
            String r = PERMISSIONS.checkMetaMethod(mm);
            if (r == Permissions.ALLOWED) {
                int k = mm.getParameterTypes().length;
                arity = arity == -2 || arity == k ? k : -1;
            } else if (rejected == null) {
                rejected = r;
            }
        }
        if (arity == -2 && rejected != null) {
            reject(rejected);
        }
        return new CheckedMethodClosure(receiver, n, arity < 0 ? -1 : arity);
    }

    // ---------------------------------------------------------------- helpers

    private static Object doInvoke(MetaClass mc, MetaMethod mm, Object receiver, Object[] args) {
        MetaMethod m = VMPluginFactory.getPlugin().transformMetaMethod(mc, mm);
        return unwrap(() -> m.doMethodInvoke(receiver, args));
    }

    private static void enforce(String rejected) {
        if (rejected != null && !rejected.isEmpty()) {
            reject(rejected);
        }
    }

    /**
     * Rejects {@code signature} unless an administrator approved it (then returns normally); the
     * rejection is reported to the approval policy either way.
     */
    private static void reject(String signature) {
        boolean approvable = Approvals.isApprovable(signature);
        ApprovalPolicy p = approvalPolicy.get();
        if (p != null) {
            if (approvable && p.isApproved(signature)) {
                return;
            }
            p.rejected(signature, approvable);
        }
        throw new SandboxRejection(signature, approvable && p != null);
    }

    /** A rejection no approval lifts (metaclass changes, binding and delegate changes, class loading); reported all the same. */
    private static SandboxRejection rejectAlways(String signature) {
        ApprovalPolicy p = approvalPolicy.get();
        if (p != null) {
            p.rejected(signature, false);
        }
        return new SandboxRejection(signature, false);
    }

    private static Iterable<?> iterable(Object o) {
        if (o instanceof Iterable<?> it) {
            return it;
        }
        if (o instanceof Object[] arr) {
            return Arrays.asList(arr);
        }
        Iterator<?> it = (Iterator<?>) invoke(o, "iterator", NO_ARGS);
        return () -> (Iterator<Object>) it;
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws Throwable;
    }

    /** Runs a Groovy call and rethrows what the script would see: the cause of Groovy's invocation wrappers. */
    private static Object unwrap(Call call) {
        try {
            return call.run();
        } catch (GroovyRuntimeException e) {
            throw sneaky(ScriptBytecodeAdapter.unwrap(e));
        } catch (Throwable t) {
            throw sneaky(t);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    private interface Lookup {
        MetaMethod find(Class<?>[] types);
    }

    private static Decision decide(ClassValue<ConcurrentHashMap<CallKey, Decision>> cache, Class<?> type, String name,
                                   Object[] args, Lookup lookup) {
        Class<?>[] types = MetaClassHelper.convertToTypeArray(args);
        boolean cacheable = true;
        for (Class<?> t : types) {
            if (t != null && t.getClassLoader() instanceof GroovyClassLoader) {
                // Keys holding script classes would keep their class loaders alive; such calls are rare.
                cacheable = false;
                break;
            }
        }
        if (!cacheable) {
            return Decision.of(lookup.find(types));
        }
        CallKey key = new CallKey(name, types);
        Decision d = cache.get(type).get(key);
        if (d == null) {
            d = Decision.of(lookup.find(types));
            cache.get(type).putIfAbsent(key, d);
        }
        return d;
    }

    private record Decision(MetaMethod method, String rejected) {
        static final Decision NONE = new Decision(null, Permissions.ALLOWED);

        static Decision of(MetaMethod mm) {
            return mm == null ? NONE : new Decision(mm, PERMISSIONS.checkMetaMethod(mm));
        }
    }

    private static final class CallKey {
        private final String name;
        private final Class<?>[] types;
        private final int hash;

        CallKey(String name, Class<?>[] types) {
            this.name = name;
            this.types = types;
            this.hash = name.hashCode() * 31 + Arrays.hashCode(types);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CallKey k && k.hash == hash && k.name.equals(name) && Arrays.equals(k.types, types);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static final class DecisionCache extends ClassValue<ConcurrentHashMap<CallKey, Decision>> {
        @Override
        protected ConcurrentHashMap<CallKey, Decision> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    }
}
