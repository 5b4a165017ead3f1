package dev.gantry.engine.pipeline;

import dev.gantry.api.step.BodyKind;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.ParameterSpec;
import dev.gantry.api.step.StepDescriptor;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.GStringExpression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MapExpression;

/**
 * Checks a call's arguments against a {@link StepDescriptor} the way the runtime binds them, as
 * far as literals tell: names, required parameters, the unnamed argument, literal types, body.
 * Whatever is not a literal is left to the runtime.
 */
final class ArgumentChecker {
    private ArgumentChecker() {
    }

    /**
     * @param subject how messages name what is called, e.g. {@code step 'sh'} or {@code option 'timeout'}
     */
    static void check(Call call, StepDescriptor d, String subject, Reporter r) {
        Map<String, ParameterSpec> params = d.parameters();
        Set<String> supplied = new HashSet<>();
        boolean mayBeMap = false;
        if (call.unnamed.size() > 1) {
            r.at(call.unnamed.get(1), cap(subject) + " takes at most one unnamed argument; name the arguments"
                    + example(d));
            return;
        }
        if (call.unnamed.size() == 1) {
            Expression a = call.unnamed.get(0);
            if (!call.named.isEmpty() || call.dynamicNames) {
                r.at(a, cap(subject) + " takes either named arguments or one unnamed argument, not both; name it"
                        + example(d));
            } else if (d.positional() != null) {
                checkValue(params.get(d.positional()), a, subject, r);
                supplied.add(d.positional());
            } else if (kind(a) != null) {
                r.at(a, cap(subject) + " has no unnamed parameter; name the argument" + example(d));
                return;
            } else {
                mayBeMap = true;
            }
        }
        boolean restUsed = false;
        for (Map.Entry<String, MapEntryExpression> e : call.named.entrySet()) {
            ParameterSpec spec = params.get(e.getKey());
            Expression value = e.getValue().getValueExpression();
            if (spec == null && d.rest() != null) {
                restUsed = true;
                ParamType restType = params.get(d.rest()).type();
                if (restType == ParamType.BODY_MAP && kind(value) != null && !(value instanceof ClosureExpression)) {
                    r.at(value, "Argument '" + e.getKey() + "' of " + subject + " must be a closure, not "
                            + kind(value));
                }
            } else if (spec == null) {
                r.at(e.getValue(), "Unknown parameter '" + e.getKey() + "' for " + subject
                        + Suggestions.didYouMean(e.getKey(), params.keySet())
                        + (params.isEmpty() ? "; it takes no arguments" : ""));
            } else {
                checkValue(spec, value, subject, r);
                supplied.add(e.getKey());
            }
        }
        if (restUsed) {
            supplied.add(d.rest());
        }
        if (call.closure != null) {
            ParameterSpec pos = d.positional() == null ? null : params.get(d.positional());
            if (d.body() != BodyKind.NONE) {
                supplied.add("\0body");
            } else if (call.unnamed.isEmpty() && call.named.isEmpty() && pos != null
                    && (pos.type() == ParamType.BODY || pos.type() == ParamType.ANY)) {
                supplied.add(pos.name());
            } else {
                r.at(call.closure, cap(subject) + " takes no closure body; remove the { ... } after it");
            }
        } else if (d.body() == BodyKind.REQUIRED) {
            r.at(call.node, cap(subject) + " needs a closure body: " + d.name() + "(...) { ... }");
        }
        if (mayBeMap || call.dynamicNames) {
            return;
        }
        for (ParameterSpec p : params.values()) {
            if (p.required() && !supplied.contains(p.name())) {
                r.at(call.node, cap(subject) + " is missing required parameter '" + p.name() + "'");
            }
        }
    }

    /** Reports a literal value that the parameter does not accept. */
    static void checkValue(ParameterSpec spec, Expression value, String subject, Reporter r) {
        String wrong = rejects(spec.type(), value);
        if (wrong != null) {
            r.at(value, "Parameter '" + spec.name() + "' of " + subject + " must be " + spec.type().description()
                    + ", not " + wrong);
            return;
        }
        if (!spec.choices().isEmpty() && value instanceof ConstantExpression c && c.getValue() instanceof String s) {
            for (String choice : spec.choices()) {
                if (choice.equalsIgnoreCase(s)) {
                    return;
                }
            }
            r.at(value, "Parameter '" + spec.name() + "' of " + subject + " must be one of "
                    + String.join(", ", spec.choices()) + ", not '" + s + "'"
                    + Suggestions.didYouMean(s, spec.choices()));
        }
    }

    /** What a literal is, for messages ("a string"), or null when the expression is not a literal. */
    static String kind(Expression e) {
        if (e instanceof ConstantExpression c) {
            Object v = c.getValue();
            if (v instanceof String) {
                return "a string";
            } else if (v instanceof Boolean) {
                return "a boolean";
            } else if (v instanceof Integer || v instanceof Long || v instanceof BigInteger || v instanceof Short
                    || v instanceof Byte) {
                return "a whole number";
            } else if (v instanceof Number) {
                return "a decimal number";
            }
            return null;
        }
        if (e instanceof GStringExpression) {
            return "an interpolated string";
        } else if (e instanceof ListExpression) {
            return "a list";
        } else if (e instanceof MapExpression) {
            return "a map";
        } else if (e instanceof ClosureExpression) {
            return "a closure";
        }
        return null;
    }

    /** Null when {@code type} accepts the value (or it is not a literal); else what the value is. */
    static String rejects(ParamType type, Expression e) {
        String k = kind(e);
        if (k == null) {
            return null;
        }
        boolean text = k.equals("a string") || k.equals("an interpolated string");
        boolean ok = switch (type) {
            case STRING -> text;
            case BOOLEAN -> k.equals("a boolean");
            case INTEGER -> k.equals("a whole number");
            case STRING_LIST -> text || (e instanceof ListExpression l && l.getExpressions().stream().allMatch(x -> {
                String xk = kind(x);
                return xk == null || xk.equals("a string") || xk.equals("an interpolated string");
            }));
            case MAP -> e instanceof MapExpression;
            case LIST -> e instanceof ListExpression;
            case BODY -> e instanceof ClosureExpression;
            case BODY_MAP -> e instanceof MapExpression m && m.getMapEntryExpressions().stream().allMatch(x -> {
                Expression v = x.getValueExpression();
                return kind(v) == null || v instanceof ClosureExpression;
            });
            case ANY -> true;
        };
        if (ok) {
            return null;
        }
        if (type == ParamType.STRING_LIST && e instanceof ListExpression) {
            return "a list with other things than strings in it";
        }
        return k;
    }

    static String cap(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static String example(StepDescriptor d) {
        if (d.parameters().isEmpty()) {
            return "";
        }
        String first = d.parameters().keySet().iterator().next();
        return ", e.g. " + d.name() + "(" + first + ": ...)";
    }
}
