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
 * options, before the input, before the agent, or (by default) in the stage's environment. Conditions about SCM changes ({@code changeset},
 * {@code changelog}) read the changes the build's checkouts recorded ({@link BuildScm}).
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

    private static List<dev.gantry.api.scm.ChangeSetEntry> changes(FlowContext c) {
        return c.run.service(dev.gantry.api.scm.ScmCheckouts.class).map(dev.gantry.api.scm.ScmCheckouts::changes).orElse(List.of());
    }

    /**
     * A changed path against a {@code changeset} pattern: Ant-style by default, as Jenkins
     * ({@code **} any directories, {@code *} within one), ignoring case unless asked not to.
     */
    static boolean changesetMatches(String pattern, String path, String comparator, boolean caseSensitive) {
        String kind = comparator == null ? "GLOB" : comparator.toUpperCase(java.util.Locale.ROOT);
        if (!kind.equals("GLOB")) {
            return caseSensitive ? matches(pattern, path, kind)
                    : matches(pattern.toLowerCase(java.util.Locale.ROOT), path.toLowerCase(java.util.Locale.ROOT), kind);
        }
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                boolean slash = i + 2 < pattern.length() && pattern.charAt(i + 2) == '/';
                re.append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            } else if (ch == '*') {
                re.append("[^/]*");
            } else if (ch == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), caseSensitive ? 0 : Pattern.CASE_INSENSITIVE).matcher(path).matches();
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
                case "changelog" -> {
                    // As Jenkins: a regular expression that must match a whole commit message.
                    Pattern p = Pattern.compile(positional(a, n, "pattern"), Pattern.MULTILINE | Pattern.DOTALL);
                    conditions.add(c -> changes(c).stream().anyMatch(e -> e.message() != null
                            && (p.matcher(e.message()).matches() || p.matcher(e.message().strip()).matches())));
                }
                case "changeset" -> {
                    String p = positional(a, n, "pattern");
                    boolean caseSensitive = Boolean.TRUE.equals(n.get("caseSensitive"));
                    conditions.add(c -> changes(c).stream().flatMap(e -> e.paths().stream())
                            .anyMatch(path -> changesetMatches(p, path, comparator, caseSensitive)));
                }
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
