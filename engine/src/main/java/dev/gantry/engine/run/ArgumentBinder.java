package dev.gantry.engine.run;

import dev.gantry.api.step.Body;
import dev.gantry.api.step.BodyKind;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.ParameterSpec;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.engine.pipeline.Suggestions;
import groovy.lang.Closure;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Binds the arguments of a Groovy step call to a step's declared parameters, as Jenkins does:
 * one unnamed argument goes to the positional parameter, a map to named parameters, a trailing
 * closure to the body. Values are converted to the declared types; anything else is an
 * {@link IllegalArgumentException} whose message says which parameter, what was expected and what
 * was given.
 */
final class ArgumentBinder {
    private ArgumentBinder() {
    }

    static Bound bind(StepDescriptor d, Object[] rawArgs, Function<Closure<?>, Body> bodies) {
        // Arrays.asList, not List.of: a step argument may be null (echo someUnsetVariable).
        List<Object> args = new ArrayList<>(rawArgs == null ? List.of() : java.util.Arrays.asList(rawArgs));
        Closure<?> bodyClosure = null;
        if (!args.isEmpty() && args.get(args.size() - 1) instanceof Closure<?> c && d.body() != BodyKind.NONE) {
            bodyClosure = c;
            args.remove(args.size() - 1);
        }
        Map<String, Object> given = new LinkedHashMap<>();
        if (args.size() == 1 && args.get(0) instanceof Map<?, ?> m && !(isPositionalMap(d))) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                given.put(String.valueOf(e.getKey()), e.getValue());
            }
        } else if (args.size() == 1) {
            if (d.positional() == null) {
                throw new IllegalArgumentException("takes named arguments only ("
                        + String.join(", ", d.parameters().keySet()) + "), not a single value");
            }
            given.put(d.positional(), args.get(0));
        } else if (args.size() > 1) {
            if (args.get(args.size() - 1) instanceof Closure<?>) {
                throw new IllegalArgumentException("does not take a closure body");
            }
            throw new IllegalArgumentException("takes one unnamed argument or named arguments, got " + args.size() + " arguments");
        }
        if (d.body() == BodyKind.REQUIRED && bodyClosure == null) {
            throw new IllegalArgumentException("needs a body: " + d.name() + "(...) { ... }");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> rest = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : given.entrySet()) {
            ParameterSpec spec = d.parameters().get(e.getKey());
            if (spec == null || e.getKey().equals(d.rest())) {
                if (d.rest() != null) {
                    rest.put(e.getKey(), e.getValue());
                    continue;
                }
                String hint = Suggestions.closest(e.getKey(), d.parameters().keySet())
                        .map(s -> "; did you mean '" + s + "'?").orElse("");
                throw new IllegalArgumentException("has no parameter '" + e.getKey() + "'" + hint
                        + " (parameters: " + String.join(", ", d.parameters().keySet()) + ")");
            }
            values.put(spec.name(), convert(spec, e.getValue(), bodies));
        }
        if (d.rest() != null && !rest.isEmpty()) {
            values.put(d.rest(), convert(d.parameters().get(d.rest()), rest, bodies));
        }
        for (ParameterSpec spec : d.parameters().values()) {
            if (spec.required() && values.get(spec.name()) == null) {
                throw new IllegalArgumentException("needs parameter '" + spec.name() + "' (" + spec.type().description() + ")"
                        + (given.containsKey(spec.name()) ? ", got null" : ""));
            }
        }
        return new Bound(d, values, bodyClosure == null ? null : bodies.apply(bodyClosure));
    }

    /** A positional parameter of map type takes a map argument whole ({@code parallel branches}). */
    private static boolean isPositionalMap(StepDescriptor d) {
        if (d.positional() == null) {
            return false;
        }
        ParamType t = d.parameters().get(d.positional()).type();
        return (t == ParamType.MAP || t == ParamType.BODY_MAP) && d.rest() == null;
    }

    static Object convert(ParameterSpec spec, Object v, Function<Closure<?>, Body> bodies) {
        if (v == null) {
            return null;
        }
        String p = "parameter '" + spec.name() + "' expects " + spec.type().description() + ", got " + describe(v);
        switch (spec.type()) {
            case STRING -> {
                if (v instanceof CharSequence || v instanceof Number || v instanceof Boolean || v instanceof Enum<?>) {
                    String s = v.toString();
                    if (!spec.choices().isEmpty()) {
                        for (String c : spec.choices()) {
                            if (c.equalsIgnoreCase(s.trim())) {
                                return c;
                            }
                        }
                        throw new IllegalArgumentException("parameter '" + spec.name() + "' must be one of "
                                + String.join(", ", spec.choices()) + ", got '" + s + "'");
                    }
                    return s;
                }
                throw new IllegalArgumentException(p);
            }
            case BOOLEAN -> {
                if (v instanceof Boolean) {
                    return v;
                }
                throw new IllegalArgumentException(p);
            }
            case INTEGER -> {
                if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                    return ((Number) v).longValue();
                }
                if (v instanceof BigInteger b && b.bitLength() < 64) {
                    return b.longValue();
                }
                if (v instanceof CharSequence cs && cs.toString().trim().matches("-?\\d{1,18}")) {
                    return Long.parseLong(cs.toString().trim());
                }
                throw new IllegalArgumentException(p);
            }
            case STRING_LIST -> {
                if (v instanceof CharSequence) {
                    return List.of(v.toString());
                }
                if (v instanceof List<?> l) {
                    List<String> out = new ArrayList<>(l.size());
                    for (Object o : l) {
                        if (!(o instanceof CharSequence || o instanceof Number || o instanceof Boolean)) {
                            throw new IllegalArgumentException(p);
                        }
                        out.add(o.toString());
                    }
                    return Collections.unmodifiableList(out);
                }
                throw new IllegalArgumentException(p);
            }
            case MAP -> {
                if (v instanceof Map<?, ?> m) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    m.forEach((k, val) -> out.put(String.valueOf(k), val instanceof CharSequence cs ? cs.toString() : val));
                    return Collections.unmodifiableMap(out);
                }
                throw new IllegalArgumentException(p);
            }
            case LIST -> {
                if (v instanceof List<?> l) {
                    return l;
                }
                if (v instanceof Object[] a) {
                    return List.of(a);
                }
                throw new IllegalArgumentException(p);
            }
            case BODY -> {
                if (v instanceof Closure<?> c) {
                    return bodies.apply(c);
                }
                throw new IllegalArgumentException(p);
            }
            case BODY_MAP -> {
                if (v instanceof Map<?, ?> m) {
                    Map<String, Body> out = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        if (!(e.getValue() instanceof Closure<?> c)) {
                            throw new IllegalArgumentException("parameter '" + spec.name() + "': '" + e.getKey()
                                    + "' must be a closure, got " + describe(e.getValue()));
                        }
                        out.put(String.valueOf(e.getKey()), bodies.apply(c));
                    }
                    return Collections.unmodifiableMap(out);
                }
                throw new IllegalArgumentException(p);
            }
            default -> {
                return v instanceof CharSequence cs && !(v instanceof String) ? cs.toString() : v;
            }
        }
    }

    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof CharSequence) {
            String s = v.toString();
            return "the string '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        if (v instanceof Closure<?>) {
            return "a closure";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + v;
        }
        if (v instanceof Map<?, ?>) {
            return "a map";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        return "a " + v.getClass().getSimpleName();
    }

    /** Arguments after binding: the values by parameter, defaults filled in lazily. */
    record Bound(StepDescriptor descriptor, Map<String, Object> values, Body body) implements StepArguments {
        @Override
        public boolean isSet(String name) {
            check(name);
            return values.containsKey(name);
        }

        @Override
        public Object get(String name) {
            ParameterSpec spec = check(name);
            return values.containsKey(name) ? values.get(name) : spec.defaultValue();
        }

        private ParameterSpec check(String name) {
            ParameterSpec spec = descriptor.parameters().get(name);
            if (spec == null) {
                throw new IllegalArgumentException("step " + descriptor.name() + " declares no parameter " + name);
            }
            return spec;
        }

        @Override
        public Map<String, Object> asMap() {
            Map<String, Object> all = new LinkedHashMap<>();
            for (String n : descriptor.parameters().keySet()) {
                all.put(n, get(n));
            }
            return all;
        }
    }
}
