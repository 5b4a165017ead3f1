package dev.gantry.engine.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;

/**
 * A call without receiver ({@code name(args) { body }}) split the way Jenkins binds it: named
 * arguments (a leading map), unnamed arguments, and a trailing closure.
 */
final class Call {
    final MethodCallExpression node;
    final String name;
    final List<Expression> unnamed;
    final Map<String, MapEntryExpression> named;
    /** Whether the named arguments have keys that are not literal names ({@code *:map}, {@code (k): v}). */
    final boolean dynamicNames;
    final ClosureExpression closure;

    private Call(MethodCallExpression node, String name, List<Expression> unnamed,
                 Map<String, MapEntryExpression> named, boolean dynamicNames, ClosureExpression closure) {
        this.node = node;
        this.name = name;
        this.unnamed = unnamed;
        this.named = named;
        this.dynamicNames = dynamicNames;
        this.closure = closure;
    }

    /** The call a statement consists of, or null when it is something else. */
    static Call of(Statement statement) {
        if (statement instanceof ExpressionStatement es && es.getExpression() instanceof MethodCallExpression mce) {
            return of(mce);
        }
        return null;
    }

    /** The call, or null when it has a receiver or a computed name. */
    static Call of(MethodCallExpression mce) {
        if (!mce.isImplicitThis() || mce.getMethodAsString() == null) {
            return null;
        }
        List<Expression> args = new ArrayList<>();
        if (mce.getArguments() instanceof TupleExpression t) {
            args.addAll(t.getExpressions());
        } else {
            args.add(mce.getArguments());
        }
        Map<String, MapEntryExpression> named = new LinkedHashMap<>();
        boolean dynamic = false;
        if (!args.isEmpty() && args.get(0) instanceof MapExpression map) {
            args.remove(0);
            for (MapEntryExpression e : map.getMapEntryExpressions()) {
                if (e.getKeyExpression() instanceof ConstantExpression k && k.getValue() instanceof String s) {
                    named.putIfAbsent(s, e);
                } else {
                    dynamic = true;
                }
            }
        }
        ClosureExpression closure = null;
        if (!args.isEmpty() && args.get(args.size() - 1) instanceof ClosureExpression c) {
            closure = c;
            args.remove(args.size() - 1);
        }
        return new Call(mce, mce.getMethodAsString(), Collections.unmodifiableList(args),
                Collections.unmodifiableMap(named), dynamic, closure);
    }

    boolean hasNamed() {
        return !named.isEmpty() || dynamicNames;
    }

    boolean hasArguments() {
        return !unnamed.isEmpty() || !named.isEmpty() || dynamicNames;
    }
}
