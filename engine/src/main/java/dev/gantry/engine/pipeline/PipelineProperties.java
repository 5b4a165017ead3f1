package dev.gantry.engine.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.UnaryMinusExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.control.SourceUnit;

/**
 * Reads a declarative pipeline's {@code options { }} and {@code parameters { }} from its source
 * without running it, so that the controller knows a job's quiet period, concurrency, build
 * discarder and parameters as soon as the job is saved (Jenkins learns them only from a first
 * build). Values are returned as written: constants, lists, nested calls such as
 * {@code logRotator(...)}, or {@link Computed} for anything that needs the script to run.
 * Stateless and thread-safe.
 */
public final class PipelineProperties {
    private PipelineProperties() {
    }

    /** A value as written, at its 1-based position. */
    public record Arg(Object value, int line, int column) {
    }

    /** {@code name(key: value, ..., positional...)} as written, at its position. */
    public record Invocation(String name, Map<String, Arg> named, List<Arg> positional, int line, int column) {
    }

    /** An expression whose value is known only when the script runs ({@code env.X}, a GString, ...). */
    public record Computed(String text) {
    }

    /**
     * What a pipeline declares.
     *
     * @param declarative whether the script is a {@code pipeline { }}; false for scripted pipelines
     *     (which declare nothing here) and for scripts that do not parse
     * @param options the calls in {@code options { }}, in order
     * @param parameters the calls in {@code parameters { }}, in order
     */
    public record Declared(boolean declarative, List<Invocation> options, List<Invocation> parameters) {
        static final Declared NOTHING = new Declared(false, List.of(), List.of());
    }

    /** Reads what {@code script} declares; never throws (a script that does not parse declares nothing). */
    public static Declared read(String script) {
        ModuleNode module = parse(script);
        if (module == null) {
            return Declared.NOTHING;
        }
        for (Statement s : module.getStatementBlock().getStatements()) {
            Call c = Call.of(s);
            if (c != null && c.name.equals("pipeline") && c.closure != null) {
                List<Invocation> options = new ArrayList<>();
                List<Invocation> parameters = new ArrayList<>();
                for (Statement section : statements(c.closure.getCode())) {
                    Call sc = Call.of(section);
                    if (sc == null || sc.closure == null) {
                        continue;
                    }
                    List<Invocation> into = sc.name.equals("options") ? options : sc.name.equals("parameters") ? parameters : null;
                    if (into == null) {
                        continue;
                    }
                    for (Statement st : statements(sc.closure.getCode())) {
                        Call call = Call.of(st);
                        if (call != null) {
                            into.add(invocation(call));
                        }
                    }
                }
                return new Declared(true, List.copyOf(options), List.copyOf(parameters));
            }
        }
        return Declared.NOTHING;
    }

    private static List<Statement> statements(Statement code) {
        if (code instanceof BlockStatement b) {
            return b.getStatements();
        }
        return code == null ? List.of() : List.of(code);
    }

    private static Invocation invocation(Call c) {
        Map<String, Arg> named = new LinkedHashMap<>();
        c.named.forEach((k, e) -> named.put(k, arg(e.getValueExpression())));
        List<Arg> positional = new ArrayList<>();
        for (Expression e : c.unnamed) {
            positional.add(arg(e));
        }
        return new Invocation(c.name, Collections.unmodifiableMap(named), List.copyOf(positional),
                c.node.getLineNumber(), c.node.getColumnNumber());
    }

    private static Arg arg(Expression e) {
        Object value;
        if (e instanceof ConstantExpression ce) {
            value = ce.getValue();
        } else if (e instanceof UnaryMinusExpression u && u.getExpression() instanceof ConstantExpression ce
                && ce.getValue() instanceof Number n) {
            value = -n.longValue();
        } else if (e instanceof ListExpression l) {
            List<Arg> items = new ArrayList<>();
            for (Expression item : l.getExpressions()) {
                items.add(arg(item));
            }
            value = List.copyOf(items);
        } else if (e instanceof MethodCallExpression mce && Call.of(mce) != null) {
            value = invocation(Call.of(mce));
        } else {
            value = new Computed(e.getText());
        }
        return new Arg(value, e.getLineNumber(), e.getColumnNumber());
    }

    private static ModuleNode parse(String source) {
        try {
            CompilationUnit unit = new CompilationUnit(new CompilerConfiguration());
            SourceUnit su = unit.addSource("Jenkinsfile", source);
            unit.compile(Phases.CONVERSION);
            return su.getAST();
        } catch (CompilationFailedException | StackOverflowError e) {
            return null;
        }
    }
}
