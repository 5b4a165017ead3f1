package dev.gantry.engine.run;

import dev.gantry.api.PipelineSafe;
import groovy.lang.Closure;
import groovy.lang.GroovyInterceptable;
import groovy.lang.GroovyObjectSupport;
import groovy.lang.MissingMethodException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.codehaus.groovy.runtime.typehandling.DefaultTypeTransformation;

/**
 * A stage's {@code when}: the conditions (all must hold) and when to evaluate them: before the
 * options, before the input, before the agent, or (by default) in the stage's environment. Conditions about SCM changes see no changes until the SCM plugin
 * provides a change log.
 */
final class WhenSpec {
    /** When a {@code when} is evaluated, earliest first; the latest is Jenkins' default (after the stage's environment). */
    enum Phase { BEFORE_OPTIONS, BEFORE_INPUT, BEFORE_AGENT, AFTER_ENVIRONMENT }

    private final List<Predicate<FlowContext>> conditions;
    private final Phase phase;

    private WhenSpec(List<Predicate<FlowContext>> conditions, Phase phase) {
        this.conditions = conditions;
        this.phase = phase;
    }

    static WhenSpec collect(Closure<?> when) {
        Dsl d = new Dsl();
        DeclarativeModel.evalWith(when, d);
        return new WhenSpec(d.conditions, d.phase);
    }

    /** Whether this {@code when} is evaluated at {@code p}: the earliest phase its flags ask for. */
    boolean at(Phase p) {
        return phase == p;
    }

    boolean evaluate(FlowContext ctx) throws Exception {
        return ctx.enter(() -> {
            for (Predicate<FlowContext> c : conditions) {
                if (!c.test(ctx)) {
                    return false;
                }
            }
            return true;
        });
    }

    static boolean matches(String pattern, String value, String comparator) {
        if (value == null) {
            return false;
        }
        return switch (comparator == null ? "GLOB" : comparator.toUpperCase(java.util.Locale.ROOT)) {
            case "EQUALS" -> pattern.equals(value);
            case "REGEXP" -> Pattern.compile(pattern).matcher(value).matches();
            default -> FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(value));
        };
    }

    /** Collects the conditions of a {@code when} block (or of a nested allOf/anyOf/not). */
    @PipelineSafe
    static final class Dsl extends GroovyObjectSupport implements GroovyInterceptable {
        final List<Predicate<FlowContext>> conditions = new ArrayList<>();
        Phase phase = Phase.AFTER_ENVIRONMENT;

        private static Map<String, Object> named(Object[] a) {
            return a.length == 1 && a[0] instanceof Map<?, ?> m ? DeclarativeModel.stringKeys(m) : Map.of();
        }

        private static String positional(Object[] a, Map<String, Object> named, String key) {
            if (a.length == 1 && !(a[0] instanceof Map<?, ?>) && !(a[0] instanceof Closure<?>)) {
                return String.valueOf(a[0]);
            }
            Object v = named.get(key);
            return v == null ? null : String.valueOf(v);
        }

        private static List<Predicate<FlowContext>> nested(Object[] a) {
            if (a.length != 1 || !(a[0] instanceof Closure<?> c)) {
                throw new IllegalArgumentException("expects a block of conditions");
            }
            Dsl d = new Dsl();
            DeclarativeModel.evalWith(c, d);
            return d.conditions;
        }

        @Override
        public Object invokeMethod(String name, Object args) {
            Object[] a = args instanceof Object[] arr ? arr : new Object[] {args};
            Map<String, Object> n = named(a);
            String comparator = n.get("comparator") == null ? null : String.valueOf(n.get("comparator"));
            switch (name) {
                case "beforeAgent", "beforeInput", "beforeOptions" -> {
                    if (Boolean.TRUE.equals(a.length > 0 ? a[0] : null)) {
                        Phase p = switch (name) {
                            case "beforeOptions" -> Phase.BEFORE_OPTIONS;
                            case "beforeInput" -> Phase.BEFORE_INPUT;
                            default -> Phase.BEFORE_AGENT;
                        };
                        phase = p.compareTo(phase) < 0 ? p : phase;
                    }
                }
                case "branch" -> {
                    String p = positional(a, n, "pattern");
                    conditions.add(c -> matches(p, c.envVar("BRANCH_NAME"), comparator));
                }
                case "buildingTag" -> conditions.add(c -> c.envVar("TAG_NAME") != null);
                case "tag" -> {
                    String p = positional(a, n, "pattern");
                    conditions.add(c -> c.envVar("TAG_NAME") != null && (p == null || p.isEmpty() || matches(p, c.envVar("TAG_NAME"), comparator)));
                }
                case "changelog", "changeset" -> conditions.add(c -> false);
                case "changeRequest" -> conditions.add(c -> {
                    if (c.envVar("CHANGE_ID") == null) {
                        return false;
                    }
                    for (Map.Entry<String, Object> e : n.entrySet()) {
                        if (e.getKey().equals("comparator")) {
                            continue;
                        }
                        String var = "CHANGE_" + e.getKey().replaceAll("([A-Z])", "_$1").toUpperCase(java.util.Locale.ROOT);
                        if (!matches(String.valueOf(e.getValue()), c.envVar(var), comparator == null ? "EQUALS" : comparator)) {
                            return false;
                        }
                    }
                    return true;
                });
                case "environment" -> {
                    String var = String.valueOf(n.get("name"));
                    String value = String.valueOf(n.get("value"));
                    boolean ignoreCase = Boolean.TRUE.equals(n.get("ignoreCase"));
                    conditions.add(c -> {
                        String actual = c.envVar(var);
                        return actual != null && (ignoreCase ? actual.equalsIgnoreCase(value) : matches(value, actual, comparator == null ? "EQUALS" : comparator));
                    });
                }
                case "equals" -> {
                    Object expected = n.get("expected");
                    Object actual = n.get("actual");
                    conditions.add(c -> DefaultTypeTransformation.compareEqual(expected, actual));
                }
                case "expression" -> {
                    if (a.length != 1 || !(a[0] instanceof Closure<?> body)) {
                        throw new IllegalArgumentException("expression expects a block");
                    }
                    conditions.add(c -> DefaultTypeTransformation.castToBoolean(body.call()));
                }
                case "triggeredBy" -> {
                    // As Jenkins: a cause whose class name contains the text; detail names a user cause's user.
                    String cause = positional(a, n, "cause");
                    Object detail = n.get("detail");
                    conditions.add(c -> cause != null && c.run.causes().stream().anyMatch(m -> String.valueOf(m.get("_class")).contains(cause)
                            && (detail == null || String.valueOf(detail).equals(m.get("userId")))));
                }
                case "not" -> {
                    List<Predicate<FlowContext>> inner = nested(a);
                    conditions.add(c -> !inner.stream().allMatch(p -> p.test(c)));
                }
                case "allOf" -> {
                    List<Predicate<FlowContext>> inner = nested(a);
                    conditions.add(c -> inner.stream().allMatch(p -> p.test(c)));
                }
                case "anyOf" -> {
                    List<Predicate<FlowContext>> inner = nested(a);
                    conditions.add(c -> inner.stream().anyMatch(p -> p.test(c)));
                }
                default -> throw new MissingMethodException(name, getClass(), a);
            }
            return null;
        }
    }
}
