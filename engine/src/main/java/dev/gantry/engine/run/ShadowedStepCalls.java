package dev.gantry.engine.run;

import java.util.Set;
import org.codehaus.groovy.ast.ClassCodeExpressionTransformer;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.NamedArgumentListExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

/**
 * Makes bare calls inside closures reach the pipeline when Groovy would give them to the closure
 * object itself: Groovy resolves a bare call in a closure on the closure first, and every object
 * has {@code sleep(long ms)} and {@code equals(Object)}. Without this, {@code node { sleep 5 }}
 * would pause five milliseconds instead of running the {@code sleep} step, and
 * {@code when { equals expected: 1, actual: 2 }} would compare the closure with a map and add no
 * condition at all. {@code sleep} becomes {@code this.sleep(...)} (the script, whose
 * {@code sleep} is the step); {@code equals} with named arguments becomes
 * {@code delegate.equals(...)} (the DSL that evaluates the block).
 */
final class ShadowedStepCalls extends CompilationCustomizer {
    /** Steps and DSL words whose names Groovy's methods on every object would otherwise take. */
    private static final Set<String> TO_SCRIPT = Set.of("sleep");

    ShadowedStepCalls() {
        super(CompilePhase.SEMANTIC_ANALYSIS);
    }

    @Override
    public void call(SourceUnit source, org.codehaus.groovy.classgen.GeneratorContext context, ClassNode classNode) {
        if (!classNode.isScript()) {
            return;
        }
        new ClassCodeExpressionTransformer() {
            private int closureDepth;

            @Override
            protected SourceUnit getSourceUnit() {
                return source;
            }

            @Override
            public Expression transform(Expression exp) {
                if (exp instanceof ClosureExpression ce) {
                    closureDepth++;
                    try {
                        ce.getCode().visit(this);
                    } finally {
                        closureDepth--;
                    }
                    return ce;
                }
                // A dynamic name ("${name}"()) has no method string: it is resolved at run time.
                String name = exp instanceof MethodCallExpression mce ? mce.getMethodAsString() : null;
                if (closureDepth > 0 && name != null && exp instanceof MethodCallExpression call && call.isImplicitThis()
                        && (TO_SCRIPT.contains(name) || isNamedEquals(call))) {
                    String target = TO_SCRIPT.contains(name) ? "this" : "delegate";
                    MethodCallExpression explicit = new MethodCallExpression(new VariableExpression(target),
                            call.getMethod(), transform(call.getArguments()));
                    explicit.setImplicitThis(false);
                    explicit.setSourcePosition(call);
                    return explicit;
                }
                return super.transform(exp);
            }
        }.visitClass(classNode);
    }

    private static boolean isNamedEquals(MethodCallExpression call) {
        return "equals".equals(call.getMethodAsString()) && call.getArguments() instanceof TupleExpression t
                && t.getExpressions().size() == 1 && t.getExpression(0) instanceof NamedArgumentListExpression;
    }
}
