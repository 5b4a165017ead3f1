package dev.gantry.engine.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.control.SourceUnit;

/**
 * Reads a job's triggers from its script without running it, so that the controller knows them
 * as soon as the job is saved (Jenkins only learns them when a build runs): the declarative
 * {@code triggers { cron(...); pollSCM(...); upstream(...) }} of the top-level {@code pipeline},
 * and scripted {@code properties([pipelineTriggers([cron(...), ...])])} anywhere in the script.
 * Only literal arguments count: a spec computed at run time ({@code cron(env.SCHEDULE)}) cannot be
 * known before the build and is left out. Stateless and thread-safe.
 */
public final class TriggerExtractor {
    private TriggerExtractor() {
    }

    /**
     * One trigger as written.
     *
     * @param kind {@code cron}, {@code pollSCM} or {@code upstream}
     * @param spec the cron spec of cron and pollSCM, else null
     * @param upstreamProjects the comma-separated job names of upstream, else null
     * @param threshold for upstream, SUCCESS, UNSTABLE or FAILURE (SUCCESS when not given), else null
     */
    public record Trigger(String kind, String spec, String upstreamProjects, String threshold) {
    }

    /**
     * The triggers of a script, in the order written; empty when it has none or does not parse
     * (the linter reports why).
     */
    public static List<Trigger> extract(String script) {
        ModuleNode module = parse(script);
        List<Trigger> found = new ArrayList<>();
        if (module == null) {
            return found;
        }
        for (Statement s : module.getStatementBlock().getStatements()) {
            Call c = Call.of(s);
            if (c != null && c.name.equals("pipeline") && c.closure != null) {
                for (Statement section : statements(c.closure)) {
                    Call t = Call.of(section);
                    if (t != null && t.name.equals("triggers") && t.closure != null) {
                        for (Statement st : statements(t.closure)) {
                            Call trigger = Call.of(st);
                            if (trigger != null) {
                                add(trigger, found);
                            }
                        }
                    }
                }
            }
        }
        CodeVisitorSupport scripted = new CodeVisitorSupport() {
            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                Call c = Call.of(call);
                if (c != null && c.name.equals("pipelineTriggers") && c.unnamed.size() == 1 && c.unnamed.get(0) instanceof ListExpression list) {
                    for (Expression e : list.getExpressions()) {
                        if (e instanceof MethodCallExpression m && Call.of(m) != null) {
                            add(Call.of(m), found);
                        }
                    }
                    return;
                }
                super.visitMethodCallExpression(call);
            }
        };
        module.getStatementBlock().visit(scripted);
        module.getMethods().forEach(m -> {
            if (m.getCode() != null) {
                m.getCode().visit(scripted);
            }
        });
        return found;
    }

    private static void add(Call c, List<Trigger> found) {
        switch (c.name) {
            case "cron" -> text(c, "spec").ifPresent(spec -> found.add(new Trigger("cron", spec, null, null)));
            case "pollSCM" -> text(c, "scmpoll_spec").ifPresent(spec -> found.add(new Trigger("pollSCM", spec, null, null)));
            case "upstream" -> {
                MapEntryExpression projects = c.named.get("upstreamProjects");
                if (projects != null && projects.getValueExpression() instanceof ConstantExpression ce && ce.getValue() instanceof String names) {
                    String threshold = threshold(c.named.get("threshold"));
                    if (threshold != null) {
                        found.add(new Trigger("upstream", null, names, threshold));
                    }
                }
            }
            default -> {
                // Not a trigger Gantry knows; the linter reports it.
            }
        }
    }

    /** SUCCESS when not given; null when it is not a literal result. */
    private static String threshold(MapEntryExpression entry) {
        if (entry == null) {
            return "SUCCESS";
        }
        Expression v = entry.getValueExpression();
        String name = v instanceof ConstantExpression ce && ce.getValue() instanceof String s ? s
                : v instanceof PropertyExpression pe && pe.getObjectExpression().getText().endsWith("Result") ? pe.getPropertyAsString() : null;
        return name != null && DeclarativeGrammar.UPSTREAM_THRESHOLDS.contains(name) ? name : null;
    }

    private static java.util.Optional<String> text(Call c, String param) {
        Expression e = c.unnamed.size() == 1 ? c.unnamed.get(0)
                : c.named.containsKey(param) ? c.named.get(param).getValueExpression() : null;
        return e instanceof ConstantExpression ce && ce.getValue() instanceof String s ? java.util.Optional.of(s) : java.util.Optional.empty();
    }

    private static List<Statement> statements(ClosureExpression closure) {
        return closure.getCode() instanceof BlockStatement b ? b.getStatements() : List.of(closure.getCode());
    }

    private static ModuleNode parse(String script) {
        CompilationUnit unit = new CompilationUnit(new CompilerConfiguration());
        SourceUnit su = unit.addSource("Jenkinsfile", script);
        try {
            unit.compile(Phases.CONVERSION);
        } catch (CompilationFailedException | StackOverflowError e) {
            return null;
        }
        return su.getAST();
    }
}
