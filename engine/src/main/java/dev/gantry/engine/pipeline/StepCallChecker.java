package dev.gantry.engine.pipeline;

import dev.gantry.api.step.StepDescriptor;
import dev.gantry.engine.steps.StepLibrary;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.CatchStatement;
import org.codehaus.groovy.ast.stmt.ForStatement;
import org.codehaus.groovy.ast.stmt.Statement;

/**
 * Checks the step calls in Groovy code (scripted pipelines, {@code script { }} blocks, step
 * arguments): every call without a receiver must be a step, a function of the script, a variable
 * holding a closure, a symbol inside arguments, or a script builtin. Names are collected over the
 * whole file rather than by scope, so code that defines a closure anywhere is never flagged for
 * calling it: false positives are worse than a missed error the runtime will report anyway.
 */
final class StepCallChecker extends CodeVisitorSupport {
    /** Methods every Groovy script has. */
    static final Set<String> BUILTINS = Set.of("println", "print", "printf", "sprintf", "script");

    private final StepLibrary steps;
    private final Reporter reporter;
    private final Set<String> functions = new HashSet<>();
    private final Set<String> variables = new HashSet<>();
    private final boolean checkUnknown;
    private int argumentDepth;
    /** Whether the calls being visited are in the arguments of {@code withCredentials} (its bindings). */
    private boolean inBindings;

    /**
     * @param checkUnknown false when shared libraries are in use: their global variables are steps
     *     the linter cannot see
     */
    StepCallChecker(StepLibrary steps, Reporter reporter, ModuleNode module, boolean checkUnknown) {
        this.steps = steps;
        this.reporter = reporter;
        this.checkUnknown = checkUnknown;
        variables.add("it");
        NameCollector names = new NameCollector(variables);
        for (MethodNode m : module.getMethods()) {
            functions.add(m.getName());
            for (Parameter p : m.getParameters()) {
                variables.add(p.getName());
            }
            if (m.getCode() != null) {
                m.getCode().visit(names);
            }
        }
        module.getStatementBlock().visit(names);
    }

    /** Checks Groovy statements (a scripted pipeline, a script block, a function body). */
    void checkCode(Statement code) {
        int saved = argumentDepth;
        argumentDepth = 0;
        try {
            code.visit(this);
        } finally {
            argumentDepth = saved;
        }
    }

    /** Checks an expression that is an argument of something (symbols are allowed there). */
    void checkArgument(Expression e) {
        argumentDepth++;
        try {
            e.visit(this);
        } finally {
            argumentDepth--;
        }
    }

    /** Checks one step call given as a statement of a declarative {@code steps} or {@code post} block. */
    void checkStepCall(Call call) {
        checkCallName(call);
        visitArguments(call.node, call.name);
    }

    boolean isFunction(String name) {
        return functions.contains(name);
    }

    @Override
    public void visitMethodCallExpression(MethodCallExpression call) {
        Call c = Call.of(call);
        if (c != null) {
            checkCallName(c);
        } else {
            call.getObjectExpression().visit(this);
            call.getMethod().visit(this);
        }
        visitArguments(call, c == null ? null : c.name);
    }

    private void visitArguments(MethodCallExpression call, String name) {
        argumentDepth++;
        boolean saved = inBindings;
        inBindings = "withCredentials".equals(name);
        try {
            call.getArguments().visit(this);
        } finally {
            argumentDepth--;
            inBindings = saved;
        }
    }

    @Override
    public void visitClosureExpression(ClosureExpression expression) {
        int saved = argumentDepth;
        boolean savedBindings = inBindings;
        argumentDepth = 0;
        inBindings = false;
        try {
            super.visitClosureExpression(expression);
        } finally {
            argumentDepth = saved;
            inBindings = savedBindings;
        }
    }

    private void checkCallName(Call call) {
        String name = call.name;
        if (functions.contains(name) || variables.contains(name) || BUILTINS.contains(name)
                || (argumentDepth > 0 && (DeclarativeGrammar.SYMBOLS.contains(name) || steps.binding(name).isPresent()))) {
            return;
        }
        Optional<StepDescriptor> d = steps.descriptor(name);
        if (d.isPresent()) {
            ArgumentChecker.check(call, d.get(), "step '" + name + "'", reporter);
        } else if (checkUnknown && inBindings) {
            java.util.Set<String> bindings = dev.gantry.engine.steps.WithCredentialsStep.bindingSymbols(steps);
            reporter.at(call.node, "Unknown credentials binding '" + name + "' in withCredentials" + Suggestions.didYouMean(name, bindings)
                    + "; the bindings are " + String.join(", ", bindings)
                    + " (a plugin's binding is known once the plugin is installed and started: see gantry plugin list)");
        } else if (checkUnknown) {
            reporter.at(call.node, "Unknown step '" + name + "'" + Suggestions.didYouMean(name, steps.names()));
        }
    }

    /** Every name the file introduces as a variable: declarations, assignments, parameters, loop and catch variables. */
    private static final class NameCollector extends CodeVisitorSupport {
        private final Set<String> names;

        NameCollector(Set<String> names) {
            this.names = names;
        }

        @Override
        public void visitDeclarationExpression(DeclarationExpression expression) {
            addTargets(expression.getLeftExpression());
            super.visitDeclarationExpression(expression);
        }

        @Override
        public void visitBinaryExpression(BinaryExpression expression) {
            if (expression.getOperation().getText().equals("=")) {
                addTargets(expression.getLeftExpression());
            }
            super.visitBinaryExpression(expression);
        }

        @Override
        public void visitClosureExpression(ClosureExpression expression) {
            if (expression.getParameters() != null) {
                for (Parameter p : expression.getParameters()) {
                    names.add(p.getName());
                }
            }
            super.visitClosureExpression(expression);
        }

        @Override
        public void visitForLoop(ForStatement forLoop) {
            if (forLoop.getVariable() != null) {
                names.add(forLoop.getVariable().getName());
            }
            super.visitForLoop(forLoop);
        }

        @Override
        public void visitCatchStatement(CatchStatement statement) {
            names.add(statement.getVariable().getName());
            super.visitCatchStatement(statement);
        }

        private void addTargets(ASTNode left) {
            if (left instanceof VariableExpression v) {
                names.add(v.getName());
            } else if (left instanceof TupleExpression t) {
                for (Expression e : t.getExpressions()) {
                    addTargets(e);
                }
            }
        }
    }
}
