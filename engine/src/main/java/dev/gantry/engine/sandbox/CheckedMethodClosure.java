package dev.gantry.engine.sandbox;

import groovy.lang.Closure;
import groovy.lang.MissingMethodException;
import java.util.Arrays;

/**
 * What a method pointer ({@code obj.&name}, {@code Type::name}) evaluates to in sandboxed code: a
 * closure whose every call goes through {@link SandboxRuntime}'s checks, so a pointer can never
 * reach more than a direct call could.
 */
final class CheckedMethodClosure extends Closure<Object> {
    private static final long serialVersionUID = 1L;

    private final String method;

    CheckedMethodClosure(Object owner, String method, int arity) {
        super(owner);
        this.method = method;
        if (arity >= 0) {
            maximumNumberOfParameters = arity;
            parameterTypes = new Class<?>[arity];
            Arrays.fill(parameterTypes, Object.class);
        }
    }

    /** The method name this pointer calls. */
    String method() {
        return method;
    }

    public Object doCall(Object... args) {
        Object owner = getOwner();
        if ("new".equals(method) && owner instanceof Class<?> type) {
            return SandboxRuntime.construct(type, args);
        }
        try {
            return SandboxRuntime.invoke(owner, method, args);
        } catch (MissingMethodException e) {
            // Type::instanceMethod: the first argument is the receiver.
            if (owner instanceof Class<?> type && args.length > 0 && type.isInstance(args[0]) && method.equals(e.getMethod())) {
                return SandboxRuntime.invoke(args[0], method, Arrays.copyOfRange(args, 1, args.length));
            }
            throw e;
        }
    }
}
