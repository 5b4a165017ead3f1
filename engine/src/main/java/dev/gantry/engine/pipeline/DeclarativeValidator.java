package dev.gantry.engine.pipeline;

import static dev.gantry.engine.pipeline.ArgumentChecker.cap;

import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.StepDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.GStringExpression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;

/**
 * Validates a {@code pipeline { }} block against {@link DeclarativeGrammar}, reporting every
 * problem with its position. Step calls are handed to {@link StepCallChecker}.
 */
final class DeclarativeValidator {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");
    private static final String ONE_OF = "only one of steps, stages, parallel or matrix is allowed";

    private final Reporter r;
    private final StepCallChecker steps;
    private final Set<String> agentTypes;

    DeclarativeValidator(Reporter reporter, StepCallChecker steps, Set<String> agentTypes) {
        this.r = reporter;
        this.steps = steps;
        this.agentTypes = agentTypes;
    }

    /** Where a stage sits: the stage names in scope, and the parallel or matrix it is inside, if any. */
    private record Where(Map<String, Integer> names, String inside) {
    }

    void pipeline(Call p) {
        if (p.closure == null || p.hasArguments()) {
            r.at(p.node, "pipeline needs a block and nothing else: pipeline { agent any; stages { ... } }");
            if (p.closure == null) {
                return;
            }
        }
        Map<String, Call> sections = sections(p.closure, "pipeline", DeclarativeGrammar.PIPELINE_SECTIONS,
                "pipeline");
        for (String required : DeclarativeGrammar.REQUIRED_PIPELINE_SECTIONS) {
            if (!sections.containsKey(required)) {
                r.at(p.node, "Missing required section '" + required + "' in pipeline"
                        + (required.equals("agent") ? "; add agent any, or agent none with an agent in each stage"
                        : "; add stages { stage('Build') { steps { ... } } }"));
            }
        }
        Where top = new Where(new HashMap<>(), null);
        for (Call c : sections.values()) {
            switch (c.name) {
                case "agent" -> agent(c);
                case "environment" -> environment(c);
                case "options" -> options(c, true);
                case "parameters" -> parameters(c, "parameters");
                case "triggers" -> triggers(c);
                case "tools" -> tools(c);
                case "libraries" -> libraries(c);
                case "stages" -> stages(c, top);
                case "post" -> post(c, "pipeline");
                default -> { }
            }
        }
    }

    /**
     * The calls in a section's block, by name (first occurrence), reporting statements that are not
     * calls, unknown names (with a suggestion) and duplicates.
     */
    private Map<String, Call> sections(ClosureExpression block, String owner, Set<String> allowed, String what) {
        Map<String, Call> found = new LinkedHashMap<>();
        for (Statement s : statements(block)) {
            Call c = Call.of(s);
            if (c == null) {
                r.at(s, "Expected a section of " + owner + " here (" + String.join(", ", allowed) + "), not "
                        + describe(s));
                continue;
            }
            if (!allowed.contains(c.name)) {
                r.at(c.node, "Unknown section '" + c.name + "' in " + owner
                        + Suggestions.didYouMean(c.name, allowed) + hint(c.name, what));
                continue;
            }
            Call first = found.putIfAbsent(c.name, c);
            if (first != null) {
                r.at(c.node, "Duplicate section '" + c.name + "' in " + owner + "; the first is at line "
                        + first.node.getLineNumber());
            }
        }
        return found;
    }

    private static String hint(String name, String what) {
        if (what.equals("pipeline") && DeclarativeGrammar.STAGE_SECTIONS.contains(name)) {
            return "; '" + name + "' belongs in a stage";
        }
        if (what.equals("stage") && DeclarativeGrammar.PIPELINE_SECTIONS.contains(name)) {
            return "; '" + name + "' is only allowed directly in pipeline";
        }
        return "";
    }

    private static List<Statement> statements(ClosureExpression c) {
        if (c.getCode() instanceof BlockStatement b) {
            return b.getStatements();
        }
        return c.getCode() == null ? List.of() : List.of(c.getCode());
    }

    private static String describe(Statement s) {
        if (s instanceof ExpressionStatement es) {
            Expression e = es.getExpression();
            if (e instanceof DeclarationExpression) {
                return "a variable declaration";
            } else if (e instanceof BinaryExpression b && b.getOperation().getText().equals("=")) {
                return "an assignment";
            } else if (e instanceof MethodCallExpression) {
                return "a method call on an object";
            }
            String text = e.getText();
            return "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
        }
        return "a " + s.getClass().getSimpleName().replace("Statement", "").toLowerCase(java.util.Locale.ROOT)
                + " statement";
    }

    private ClosureExpression block(Call c, String example) {
        if (c.closure == null) {
            r.at(c.node, "'" + c.name + "' needs a block: " + example);
            return null;
        }
        if (c.hasArguments()) {
            r.at(c.node, "'" + c.name + "' takes only a block: " + example);
        }
        return c.closure;
    }

    // ---------------------------------------------------------------- agent

    private void agent(Call c) {
        if (c.closure == null) {
            if (c.unnamed.size() == 1 && !c.hasNamed() && c.unnamed.get(0) instanceof VariableExpression v
                    && (v.getName().equals("any") || v.getName().equals("none"))) {
                return;
            }
            if (c.unnamed.isEmpty() && c.named.size() == 1 && c.named.containsKey("label")) {
                stringValue(c.named.get("label").getValueExpression(), "agent label");
                return;
            }
            r.at(c.node, "agent must be any, none, or a block such as agent { label 'linux' }");
            return;
        }
        if (c.hasArguments()) {
            r.at(c.node, "agent takes either a block or any / none, not both");
        }
        List<Statement> body = statements(c.closure);
        if (body.isEmpty()) {
            r.at(c.node, "agent { } is empty; give one of label, node, docker, dockerfile or kubernetes");
            return;
        }
        boolean first = true;
        for (Statement s : body) {
            Call t = Call.of(s);
            if (!first) {
                r.at(s, "agent takes exactly one agent type; remove this one");
                continue;
            }
            first = false;
            if (t == null) {
                r.at(s, "Expected an agent type (label, node, docker, dockerfile, kubernetes), not " + describe(s));
                continue;
            }
            switch (t.name) {
                case "label" -> singleString(t, "agent label");
                case "node" -> settingsOrString(t, DeclarativeGrammar.NODE_AGENT_OPTIONS, Set.of("label"), "label");
                case "docker" -> settingsOrString(t, DeclarativeGrammar.DOCKER_AGENT_OPTIONS, Set.of("image"),
                        "image");
                case "dockerfile" -> dockerfile(t);
                case "kubernetes" -> settingsOrString(t, DeclarativeGrammar.KUBERNETES_AGENT_OPTIONS, Set.of(), null);
                case "any", "none" -> r.at(t.node, "Write agent " + t.name + " without a block");
                default -> {
                    r.at(t.node, "Unknown agent type '" + t.name + "'"
                            + Suggestions.didYouMean(t.name, DeclarativeGrammar.AGENT_TYPES));
                    continue;
                }
            }
            if (!agentTypes.contains(t.name) && DeclarativeGrammar.AGENT_PLUGINS.containsKey(t.name)) {
                r.at(t.node, "agent " + t.name + " needs the " + DeclarativeGrammar.AGENT_PLUGINS.get(t.name)
                        + " plugin, which is not installed");
            }
        }
    }

    private void dockerfile(Call t) {
        if (t.closure == null && t.unnamed.size() == 1 && !t.hasNamed()) {
            Expression v = t.unnamed.get(0);
            if (v instanceof ConstantExpression ce && ce.getValue() instanceof Boolean) {
                return;
            }
            r.at(v, "dockerfile takes true or a block such as dockerfile { filename 'Dockerfile.build' }");
            return;
        }
        settingsOrString(t, DeclarativeGrammar.DOCKERFILE_AGENT_OPTIONS, Set.of(), null);
    }

    /** An agent type written as {@code type 'x'}, {@code type key: v} or {@code type { key v ... }}. */
    private void settingsOrString(Call t, Map<String, ParamType> settings, Set<String> required, String stringSetting) {
        if (t.closure == null && t.unnamed.size() == 1 && !t.hasNamed() && stringSetting != null) {
            stringValue(t.unnamed.get(0), t.name + " " + stringSetting);
            return;
        }
        Map<String, ASTNode> given = new LinkedHashMap<>();
        String subject = "agent " + t.name;
        if (t.closure != null) {
            for (Statement s : statements(t.closure)) {
                Call k = Call.of(s);
                if (k == null) {
                    r.at(s, "Expected a setting of " + subject + " (" + String.join(", ", settings.keySet())
                            + "), not " + describe(s));
                    continue;
                }
                if (!settingKnown(k.name, settings, subject, k.node, given)) {
                    continue;
                }
                if (k.unnamed.size() != 1 || k.hasNamed() || k.closure != null) {
                    r.at(k.node, "Setting '" + k.name + "' of " + subject + " takes one value: " + k.name + " "
                            + example(settings.get(k.name)));
                    continue;
                }
                valueOfType(settings.get(k.name), k.unnamed.get(0), "setting '" + k.name + "' of " + subject);
            }
        }
        for (Map.Entry<String, MapEntryExpression> e : t.named.entrySet()) {
            if (settingKnown(e.getKey(), settings, subject, e.getValue(), given)) {
                valueOfType(settings.get(e.getKey()), e.getValue().getValueExpression(),
                        "setting '" + e.getKey() + "' of " + subject);
            }
        }
        if (!t.unnamed.isEmpty()) {
            r.at(t.unnamed.get(0), subject + " takes named settings or a block, e.g. " + t.name + " { "
                    + settings.keySet().iterator().next() + " ... }");
        }
        if (t.closure == null && t.named.isEmpty() && t.unnamed.isEmpty()) {
            r.at(t.node, subject + " needs settings: " + t.name + " { " + settings.keySet().iterator().next()
                    + " ... }");
            return;
        }
        for (String req : required) {
            if (!given.containsKey(req)) {
                r.at(t.node, cap(subject) + " is missing required setting '" + req + "'");
            }
        }
    }

    private boolean settingKnown(String name, Map<String, ParamType> settings, String subject, ASTNode at,
                                 Map<String, ASTNode> given) {
        if (!settings.containsKey(name)) {
            r.at(at, "Unknown setting '" + name + "' of " + subject + Suggestions.didYouMean(name, settings.keySet()));
            return false;
        }
        if (given.putIfAbsent(name, at) != null) {
            r.at(at, "Setting '" + name + "' of " + subject + " is given twice");
            return false;
        }
        return true;
    }

    private static String example(ParamType t) {
        return switch (t) {
            case BOOLEAN -> "true";
            case INTEGER -> "5";
            default -> "'...'";
        };
    }

    private void valueOfType(ParamType type, Expression v, String subject) {
        String wrong = ArgumentChecker.rejects(type, v);
        if (wrong != null) {
            r.at(v, cap(subject) + " must be " + type.description() + ", not " + wrong);
        } else {
            steps.checkArgument(v);
        }
    }

    private void singleString(Call c, String subject) {
        if (c.closure != null || c.hasNamed() || c.unnamed.size() != 1) {
            r.at(c.node, cap(subject) + " takes one string: " + c.name + " '...'");
            return;
        }
        stringValue(c.unnamed.get(0), subject);
    }

    private void stringValue(Expression v, String subject) {
        valueOfType(ParamType.STRING, v, subject);
    }

    // ---------------------------------------------------------------- stages

    private void stages(Call c, Where where) {
        ClosureExpression b = block(c, "stages { stage('Build') { steps { ... } } }");
        if (b == null) {
            return;
        }
        stageList(b, c, where, "stages");
    }

    private void stageList(ClosureExpression b, Call owner, Where where, String ownerName) {
        int count = 0;
        for (Statement s : statements(b)) {
            Call st = Call.of(s);
            if (st == null || !st.name.equals("stage")) {
                r.at(s, "Only stage('name') { ... } is allowed in " + ownerName + ", not "
                        + (st == null ? describe(s) : "'" + st.name + "'"
                        + Suggestions.didYouMean(st.name, List.of("stage"))));
                continue;
            }
            count++;
            stage(st, where);
        }
        if (count == 0) {
            r.at(owner.node, ownerName + " needs at least one stage('name') { ... }");
        }
    }

    private void stage(Call c, Where where) {
        String name = null;
        if (c.unnamed.size() == 1 && !c.hasNamed()) {
            Expression n = c.unnamed.get(0);
            if (n instanceof ConstantExpression ce && ce.getValue() instanceof String s) {
                if (s.isBlank()) {
                    r.at(n, "A stage name must not be empty");
                } else {
                    name = s;
                    Integer first = where.names().putIfAbsent(s, c.node.getLineNumber());
                    if (first != null) {
                        r.at(c.node, "Duplicate stage name '" + s + "'; the first is at line " + first
                                + "; stage names must be unique");
                    }
                }
            } else if (!(n instanceof GStringExpression)) {
                r.at(n, "A stage name must be a string, not " + orExpression(n));
            }
        } else {
            r.at(c.node, "A stage takes a name and a block: stage('Build') { steps { ... } }");
        }
        if (c.closure == null) {
            if (c.unnamed.size() == 1) {
                r.at(c.node, "Stage " + quoted(name) + " needs a block: stage('Build') { steps { ... } }");
            }
            return;
        }
        Map<String, Call> sections = sections(c.closure, "stage " + quoted(name), DeclarativeGrammar.STAGE_SECTIONS,
                "stage");
        List<Call> bodies = new ArrayList<>();
        for (String k : DeclarativeGrammar.STAGE_BODY_SECTIONS) {
            if (sections.containsKey(k)) {
                bodies.add(sections.get(k));
            }
        }
        if (bodies.isEmpty()) {
            r.at(c.node, "Stage " + quoted(name) + " has nothing to do; it needs one of steps, stages, parallel or"
                    + " matrix");
        } else if (bodies.size() > 1) {
            List<String> names = bodies.stream().map(b -> b.name).toList();
            String list = names.size() == 2 ? names.get(0) + " and " + names.get(1)
                    : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
            r.at(c.node, "Stage " + quoted(name) + " has " + list + "; " + ONE_OF);
            for (Call b : bodies) {
                List<String> others = new ArrayList<>(names);
                others.remove(b.name);
                r.at(b.node, "'" + b.name + "' conflicts with " + String.join(" and ", others) + " in stage "
                        + quoted(name) + "; " + ONE_OF);
            }
        }
        if (sections.containsKey("failFast") && !sections.containsKey("parallel")
                && !sections.containsKey("matrix")) {
            r.at(sections.get("failFast").node, "failFast is only allowed in a stage with parallel or matrix");
        }
        for (Call s : sections.values()) {
            switch (s.name) {
                case "agent" -> agent(s);
                case "environment" -> environment(s);
                case "tools" -> tools(s);
                case "input" -> input(s);
                case "options" -> options(s, false);
                case "when" -> when(s);
                case "post" -> post(s, "stage " + quoted(name));
                case "failFast" -> failFast(s);
                case "steps" -> steps(s);
                case "stages" -> stages(s, where);
                case "parallel" -> parallel(s, where);
                case "matrix" -> matrix(s, where);
                default -> { }
            }
        }
    }

    private static String quoted(String name) {
        return name == null ? "(unnamed)" : "'" + name + "'";
    }

    private static String orExpression(Expression e) {
        String k = ArgumentChecker.kind(e);
        return k != null ? k : "an expression";
    }

    private void failFast(Call c) {
        if (c.closure == null && !c.hasNamed() && c.unnamed.size() == 1
                && c.unnamed.get(0) instanceof ConstantExpression ce && ce.getValue() instanceof Boolean) {
            return;
        }
        r.at(c.node, "failFast takes true or false");
    }

    private void parallel(Call c, Where where) {
        if (where.inside() != null) {
            r.at(c.node, "parallel cannot be nested inside " + where.inside()
                    + "; move these stages out, or make them sequential with stages { }");
        }
        ClosureExpression b = block(c, "parallel { stage('A') { ... } stage('B') { ... } }");
        if (b != null) {
            stageList(b, c, new Where(where.names(), "parallel"), "parallel");
        }
    }

    private void steps(Call c) {
        ClosureExpression b = block(c, "steps { echo 'hello' }");
        if (b == null) {
            return;
        }
        if (statements(b).isEmpty()) {
            r.at(c.node, "steps { } is empty; give at least one step");
        }
        stepBlock(b);
    }

    /** A block of steps (steps, post conditions): only step calls and script blocks. */
    private void stepBlock(ClosureExpression b) {
        for (Statement s : statements(b)) {
            Call call = Call.of(s);
            if (call == null) {
                r.at(s, "Expected a step; wrap Groovy code in a script { } block (found " + describe(s) + ")");
                continue;
            }
            if (call.name.equals("script") && !steps.isFunction("script")) {
                if (call.closure == null || call.hasArguments()) {
                    r.at(call.node, "script takes only a block: script { ... }");
                }
                if (call.closure != null) {
                    steps.checkCode(call.closure.getCode());
                }
                continue;
            }
            steps.checkStepCall(call);
        }
    }

    // ---------------------------------------------------------------- matrix

    private record Axis(String name, List<String> values, ASTNode at) {
    }

    private void matrix(Call c, Where where) {
        if (where.inside() != null) {
            r.at(c.node, "matrix cannot be nested inside " + where.inside());
        }
        ClosureExpression b = block(c, "matrix { axes { axis { name 'OS'; values 'linux', 'mac' } } stages { ... } }");
        if (b == null) {
            return;
        }
        Map<String, Call> sections = sections(b, "matrix", DeclarativeGrammar.MATRIX_SECTIONS, "matrix");
        for (String req : List.of("axes", "stages")) {
            if (!sections.containsKey(req)) {
                r.at(c.node, "Missing required section '" + req + "' in matrix");
            }
        }
        Map<String, Axis> axes = new LinkedHashMap<>();
        boolean literal = true;
        if (sections.containsKey("axes")) {
            literal = axes(sections.get("axes"), axes);
        }
        for (Call s : sections.values()) {
            switch (s.name) {
                case "agent" -> agent(s);
                case "environment" -> environment(s);
                case "tools" -> tools(s);
                case "input" -> input(s);
                case "options" -> options(s, false);
                case "when" -> when(s);
                case "post" -> post(s, "matrix");
                case "stages" -> stages(s, new Where(new HashMap<>(), "matrix"));
                case "excludes" -> excludes(s, axes, literal);
                default -> { }
            }
        }
    }

    /** Reads the axes; returns whether every value is a literal (so cells can be counted). */
    private boolean axes(Call c, Map<String, Axis> axes) {
        ClosureExpression b = block(c, "axes { axis { name 'OS'; values 'linux', 'mac' } }");
        if (b == null) {
            return false;
        }
        boolean literal = true;
        for (Statement s : statements(b)) {
            Call a = Call.of(s);
            if (a == null || !a.name.equals("axis")) {
                r.at(s, "Only axis { name '...'; values '...' } is allowed in axes, not "
                        + (a == null ? describe(s) : "'" + a.name + "'"));
                continue;
            }
            Axis axis = axis(a, null, false);
            if (axis == null) {
                literal = false;
                continue;
            }
            if (axis.name() != null) {
                if (axes.containsKey(axis.name())) {
                    r.at(a.node, "Duplicate axis name '" + axis.name() + "'");
                } else {
                    axes.put(axis.name(), axis);
                }
            }
            literal &= axis.values() != null;
        }
        if (axes.isEmpty()) {
            r.at(c.node, "axes needs at least one axis { name '...'; values '...' }");
        }
        return literal;
    }

    /**
     * Reads an axis block: {@code name} and {@code values} (or, in an exclude, {@code notValues}).
     * Values are null when not all literal; returns null when the axis is unusable.
     */
    private Axis axis(Call a, Map<String, Axis> known, boolean inExclude) {
        ClosureExpression b = block(a, "axis { name 'OS'; values 'linux', 'mac' }");
        if (b == null) {
            return null;
        }
        Set<String> allowed = inExclude ? new LinkedHashSet<>(List.of("name", "values", "notValues"))
                : new LinkedHashSet<>(List.of("name", "values"));
        String name = null;
        List<String> values = new ArrayList<>();
        boolean literal = true;
        Call valuesCall = null;
        boolean named = false;
        for (Statement s : statements(b)) {
            Call k = Call.of(s);
            if (k == null || !allowed.contains(k.name)) {
                r.at(s, "Expected " + String.join(" or ", allowed) + " in axis, not "
                        + (k == null ? describe(s) : "'" + k.name + "'" + Suggestions.didYouMean(k.name, allowed)));
                continue;
            }
            if (k.name.equals("name")) {
                if (named) {
                    r.at(k.node, "axis has two names");
                }
                named = true;
                if (k.unnamed.size() == 1 && !k.hasNamed() && k.closure == null
                        && k.unnamed.get(0) instanceof ConstantExpression ce && ce.getValue() instanceof String n) {
                    if (!IDENTIFIER.matcher(n).matches()) {
                        r.at(k.unnamed.get(0), "Axis name '" + n + "' must be a valid identifier (letters, digits,"
                                + " _), as it becomes an environment variable");
                    }
                    name = n;
                    if (known != null && !known.containsKey(n)) {
                        r.at(k.unnamed.get(0), "Unknown axis '" + n + "' in exclude"
                                + Suggestions.didYouMean(n, known.keySet()));
                    }
                } else {
                    r.at(k.node, "An axis name is one string: name 'OS'");
                }
                continue;
            }
            if (valuesCall != null) {
                r.at(k.node, "axis takes one of values or notValues, once");
                continue;
            }
            valuesCall = k;
            if (k.unnamed.isEmpty() || k.hasNamed() || k.closure != null) {
                r.at(k.node, k.name + " needs at least one value: " + k.name + " 'a', 'b'");
                continue;
            }
            for (Expression v : k.unnamed) {
                if (v instanceof ConstantExpression ce && ce.getValue() != null) {
                    values.add(String.valueOf(ce.getValue()));
                } else if (v instanceof ListExpression || v instanceof MapExpression
                        || v instanceof ClosureExpression) {
                    r.at(v, "Axis values must be strings, not " + ArgumentChecker.kind(v));
                    literal = false;
                } else {
                    literal = false;
                }
            }
        }
        if (!named) {
            r.at(a.node, "axis needs a name: name 'OS'");
        }
        if (valuesCall == null) {
            r.at(a.node, "axis needs " + (inExclude ? "values or notValues" : "values") + ": values 'a', 'b'");
            return null;
        }
        if (inExclude && valuesCall.name.equals("notValues")) {
            values.add(0, "\0not");
        }
        return new Axis(name, literal ? values : null, a.node);
    }

    private void excludes(Call c, Map<String, Axis> axes, boolean literal) {
        ClosureExpression b = block(c, "excludes { exclude { axis { name 'OS'; values 'mac' } } }");
        if (b == null) {
            return;
        }
        List<List<Axis>> rules = new ArrayList<>();
        for (Statement s : statements(b)) {
            Call e = Call.of(s);
            if (e == null || !e.name.equals("exclude")) {
                r.at(s, "Only exclude { axis { ... } } is allowed in excludes, not "
                        + (e == null ? describe(s) : "'" + e.name + "'"));
                literal = false;
                continue;
            }
            ClosureExpression eb = block(e, "exclude { axis { name 'OS'; values 'mac' } }");
            if (eb == null) {
                literal = false;
                continue;
            }
            List<Axis> rule = new ArrayList<>();
            if (statements(eb).isEmpty()) {
                r.at(e.node, "exclude needs at least one axis { name '...'; values '...' }");
            }
            for (Statement as : statements(eb)) {
                Call a = Call.of(as);
                if (a == null || !a.name.equals("axis")) {
                    r.at(as, "Only axis { ... } is allowed in exclude, not "
                            + (a == null ? describe(as) : "'" + a.name + "'"));
                    literal = false;
                    continue;
                }
                Axis ax = axis(a, axes, true);
                if (ax == null || ax.values() == null || ax.name() == null || !axes.containsKey(ax.name())) {
                    literal = false;
                } else {
                    rule.add(ax);
                }
            }
            if (rule.isEmpty()) {
                literal = false;
            }
            rules.add(rule);
        }
        if (literal && !rules.isEmpty() && !axes.isEmpty() && everyCellExcluded(new ArrayList<>(axes.values()), rules)) {
            r.at(c.node, "matrix excludes remove every cell; nothing would run");
        }
    }

    private static boolean everyCellExcluded(List<Axis> axes, List<List<Axis>> rules) {
        long cells = 1;
        for (Axis a : axes) {
            cells *= Math.max(1, a.values().size());
            if (cells > 100_000) {
                return false;
            }
        }
        int[] index = new int[axes.size()];
        for (long n = 0; n < cells; n++) {
            Map<String, String> cell = new HashMap<>();
            for (int i = 0; i < axes.size(); i++) {
                if (!axes.get(i).values().isEmpty()) {
                    cell.put(axes.get(i).name(), axes.get(i).values().get(index[i]));
                }
            }
            if (!excluded(cell, rules)) {
                return false;
            }
            for (int i = axes.size() - 1; i >= 0; i--) {
                if (++index[i] < Math.max(1, axes.get(i).values().size())) {
                    break;
                }
                index[i] = 0;
            }
        }
        return true;
    }

    private static boolean excluded(Map<String, String> cell, List<List<Axis>> rules) {
        for (List<Axis> rule : rules) {
            boolean all = true;
            for (Axis a : rule) {
                boolean not = !a.values().isEmpty() && a.values().get(0).equals("\0not");
                boolean contains = a.values().contains(cell.get(a.name()));
                if (not == contains) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- directives

    private void environment(Call c) {
        ClosureExpression b = block(c, "environment { NAME = 'value' }");
        if (b == null) {
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (Statement s : statements(b)) {
            if (!(s instanceof ExpressionStatement es) || !(es.getExpression() instanceof BinaryExpression be)
                    || !be.getOperation().getText().equals("=") || es.getExpression() instanceof DeclarationExpression) {
                r.at(s, "Expected NAME = value in environment, not " + describe(s));
                continue;
            }
            if (!(be.getLeftExpression() instanceof VariableExpression v)) {
                r.at(be.getLeftExpression(), "An environment variable name must be a plain identifier such as"
                        + " BUILD_MODE, not '" + be.getLeftExpression().getText() + "'");
                continue;
            }
            Integer first = seen.putIfAbsent(v.getName(), s.getLineNumber());
            if (first != null) {
                r.at(v, "Environment variable '" + v.getName() + "' is set twice; the first is at line " + first);
            }
            Expression value = be.getRightExpression();
            if (value instanceof ClosureExpression || value instanceof ListExpression
                    || value instanceof MapExpression) {
                r.at(value, "Environment variable '" + v.getName() + "' must be a string, number, boolean or an"
                        + " expression such as credentials('id'), not " + ArgumentChecker.kind(value));
            } else if (value instanceof ConstantExpression ce && ce.getValue() == null) {
                r.at(value, "Environment variable '" + v.getName() + "' must not be null");
            } else {
                steps.checkArgument(value);
            }
        }
    }

    /**
     * The calls in a section's block ({@code options { ... }}, {@code tools { ... }}); any other
     * statement is reported as "Expected EXPECTED, not ...". Empty when the block is missing.
     */
    private List<Call> calls(Call c, String example, String expected) {
        ClosureExpression b = block(c, example);
        if (b == null) {
            return List.of();
        }
        List<Call> out = new ArrayList<>();
        for (Statement s : statements(b)) {
            Call call = Call.of(s);
            if (call == null) {
                r.at(s, "Expected " + expected + ", not " + describe(s));
            } else {
                out.add(call);
            }
        }
        return out;
    }

    private void options(Call c, boolean pipelineLevel) {
        Set<String> allowed = pipelineLevel ? DeclarativeGrammar.PIPELINE_OPTIONS : DeclarativeGrammar.STAGE_OPTIONS;
        Map<String, Integer> seen = new HashMap<>();
        for (Call o : calls(c, "options { timeout(time: 1, unit: 'HOURS') }", "an option such as timeout(...) or timestamps()")) {
            if (!allowed.contains(o.name)) {
                if (!pipelineLevel && DeclarativeGrammar.PIPELINE_OPTIONS.contains(o.name)) {
                    r.at(o.node, "Option '" + o.name + "' is only allowed in the pipeline's options, not a stage's;"
                            + " a stage allows " + String.join(", ", allowed));
                } else {
                    r.at(o.node, "Unknown option '" + o.name + "'" + Suggestions.didYouMean(o.name, allowed));
                }
                continue;
            }
            Integer first = seen.putIfAbsent(o.name, o.node.getLineNumber());
            if (first != null) {
                r.at(o.node, "Option '" + o.name + "' is given twice; the first is at line " + first);
            }
            StepDescriptor d = DeclarativeGrammar.OPTION_SPECS.get(o.name);
            ArgumentChecker.check(o, d, "option '" + o.name + "'", r);
            if (o.name.equals("buildDiscarder") && o.unnamed.size() == 1) {
                Expression strategy = o.unnamed.get(0);
                if (strategy instanceof MethodCallExpression mce && Call.of(mce) != null
                        && mce.getMethodAsString().equals("logRotator")) {
                    Call lr = Call.of(mce);
                    ArgumentChecker.check(lr, DeclarativeGrammar.LOG_ROTATOR_SPEC, "logRotator", r);
                } else if (ArgumentChecker.kind(strategy) != null) {
                    r.at(strategy, "buildDiscarder takes logRotator(...), e.g. buildDiscarder(logRotator(numToKeepStr:"
                            + " '10'))");
                }
            }
            visitArguments(o);
        }
    }

    private void visitArguments(Call o) {
        for (Expression e : o.unnamed) {
            steps.checkArgument(e);
        }
        for (MapEntryExpression e : o.named.values()) {
            steps.checkArgument(e.getValueExpression());
        }
    }

    private void parameters(Call c, String owner) {
        Map<String, Integer> names = new HashMap<>();
        for (Call p : calls(c, "parameters { string(name: 'TARGET', defaultValue: 'staging') }", "a parameter such as string(name: 'X') in " + owner)) {
            StepDescriptor d = DeclarativeGrammar.PARAMETER_SPECS.get(p.name);
            if (d == null) {
                r.at(p.node, "Unknown parameter type '" + p.name + "'"
                        + "; use one of " + String.join(", ", DeclarativeGrammar.PARAMETER_TYPES)
                        + Suggestions.didYouMean(p.name, DeclarativeGrammar.PARAMETER_TYPES));
                continue;
            }
            ArgumentChecker.check(p, d, "parameter type '" + p.name + "'", r);
            MapEntryExpression n = p.named.get("name");
            if (n != null && n.getValueExpression() instanceof ConstantExpression ce && ce.getValue() instanceof String s2) {
                if (!PARAMETER_NAME.matcher(s2).matches()) {
                    r.at(n.getValueExpression(), "Parameter name '" + s2 + "' must start with a letter or _ and"
                            + " contain only letters, digits, _, . and -");
                }
                Integer first = names.putIfAbsent(s2, p.node.getLineNumber());
                if (first != null) {
                    r.at(p.node, "Duplicate parameter '" + s2 + "'; the first is at line " + first);
                }
            }
            if (p.name.equals("choice") && p.named.get("choices") != null
                    && p.named.get("choices").getValueExpression() instanceof ListExpression l
                    && l.getExpressions().isEmpty()) {
                r.at(l, "choice '" + (n == null ? "" : n.getValueExpression().getText()) + "' needs at least one"
                        + " choice");
            }
            visitArguments(p);
        }
    }

    private void triggers(Call c) {
        for (Call t : calls(c, "triggers { cron('H 4 * * 1-5') }", "a trigger such as cron('H * * * *')")) {
            StepDescriptor d = DeclarativeGrammar.TRIGGER_SPECS.get(t.name);
            if (d == null) {
                r.at(t.node, "Unknown trigger '" + t.name + "'"
                        + Suggestions.didYouMean(t.name, DeclarativeGrammar.TRIGGER_TYPES));
                continue;
            }
            ArgumentChecker.check(t, d, "trigger '" + t.name + "'", r);
            if (t.name.equals("cron") || t.name.equals("pollSCM")) {
                Expression spec = t.unnamed.size() == 1 ? t.unnamed.get(0)
                        : t.named.containsKey(d.positional()) ? t.named.get(d.positional()).getValueExpression() : null;
                if (spec instanceof ConstantExpression ce && ce.getValue() instanceof String text) {
                    try {
                        CronSpec.parse(text);
                    } catch (IllegalArgumentException e) {
                        r.at(spec, "Invalid " + t.name + " spec: " + e.getMessage());
                    }
                }
            } else if (t.name.equals("upstream") && t.named.containsKey("threshold")) {
                Expression th = t.named.get("threshold").getValueExpression();
                String value = th instanceof ConstantExpression ce && ce.getValue() instanceof String s2 ? s2
                        : th instanceof PropertyExpression pe && pe.getObjectExpression().getText().endsWith("Result")
                        ? pe.getPropertyAsString() : null;
                if (value != null && !DeclarativeGrammar.UPSTREAM_THRESHOLDS.contains(value)) {
                    r.at(th, "threshold of upstream must be SUCCESS, UNSTABLE or FAILURE, not '" + value + "'"
                            + Suggestions.didYouMean(value, DeclarativeGrammar.UPSTREAM_THRESHOLDS));
                } else if (value == null && ArgumentChecker.kind(th) != null) {
                    r.at(th, "threshold of upstream must be SUCCESS, UNSTABLE or FAILURE, not "
                            + ArgumentChecker.kind(th));
                }
            }
            visitArguments(t);
        }
    }

    private void tools(Call c) {
        for (Call t : calls(c, "tools { maven 'Maven 3.9' }", "a tool such as maven 'Maven 3.9'")) {
            if (!DeclarativeGrammar.TOOL_TYPES.contains(t.name)) {
                r.at(t.node, "Unknown tool type '" + t.name + "'"
                        + "; use one of " + String.join(", ", DeclarativeGrammar.TOOL_TYPES)
                        + Suggestions.didYouMean(t.name, DeclarativeGrammar.TOOL_TYPES));
                continue;
            }
            singleString(t, "tool " + t.name);
        }
    }

    private void libraries(Call c) {
        ClosureExpression b = block(c, "libraries { lib('my-lib@1.0') }");
        if (b == null) {
            return;
        }
        for (Statement s : statements(b)) {
            Call l = Call.of(s);
            if (l == null || !l.name.equals("lib")) {
                r.at(s, "Only lib('name@version') is allowed in libraries");
                continue;
            }
            singleString(l, "lib");
        }
    }

    private void input(Call c) {
        ClosureExpression b = block(c, "input { message 'Deploy?' }");
        if (b == null) {
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (Statement s : statements(b)) {
            Call k = Call.of(s);
            if (k == null) {
                r.at(s, "Expected a setting of input (" + String.join(", ", DeclarativeGrammar.INPUT_SETTINGS)
                        + "), not " + describe(s));
                continue;
            }
            if (!DeclarativeGrammar.INPUT_SETTINGS.contains(k.name)) {
                r.at(k.node, "Unknown setting '" + k.name + "' of input"
                        + Suggestions.didYouMean(k.name, DeclarativeGrammar.INPUT_SETTINGS));
                continue;
            }
            Integer first = seen.putIfAbsent(k.name, k.node.getLineNumber());
            if (first != null) {
                r.at(k.node, "Setting '" + k.name + "' of input is given twice; the first is at line " + first);
                continue;
            }
            if (k.name.equals("parameters")) {
                parameters(k, "input");
            } else {
                singleString(k, "input setting '" + k.name + "'");
            }
        }
        if (!seen.containsKey("message")) {
            r.at(c.node, "input needs a message: input { message 'Deploy to production?' }");
        }
    }

    private void when(Call c) {
        ClosureExpression b = block(c, "when { branch 'main' }");
        if (b == null) {
            return;
        }
        int conditions = 0;
        Set<String> flags = new LinkedHashSet<>();
        for (Statement s : statements(b)) {
            Call k = Call.of(s);
            if (k != null && DeclarativeGrammar.WHEN_FLAGS.contains(k.name)) {
                if (!flags.add(k.name)) {
                    r.at(k.node, k.name + " is given twice");
                }
                if (k.closure != null || k.hasNamed() || k.unnamed.size() != 1
                        || !(k.unnamed.get(0) instanceof ConstantExpression ce && ce.getValue() instanceof Boolean)) {
                    r.at(k.node, k.name + " takes true or false");
                }
                continue;
            }
            conditions++;
            condition(s);
        }
        if (conditions == 0) {
            r.at(c.node, "when needs at least one condition, e.g. when { branch 'main' }");
        }
    }

    private void condition(Statement s) {
        Call k = Call.of(s);
        if (k == null) {
            r.at(s, "Expected a when condition such as branch 'main' or expression { ... }, not " + describe(s));
            return;
        }
        Set<String> all = new LinkedHashSet<>(DeclarativeGrammar.WHEN_CONDITIONS);
        all.addAll(DeclarativeGrammar.WHEN_FLAGS);
        switch (k.name) {
            case "not", "allOf", "anyOf" -> {
                ClosureExpression b = block(k, k.name + " { branch 'main' }");
                if (b == null) {
                    return;
                }
                List<Statement> inner = statements(b);
                if (k.name.equals("not") && inner.size() != 1) {
                    r.at(k.node, "not takes exactly one condition, not " + inner.size());
                } else if (inner.isEmpty()) {
                    r.at(k.node, k.name + " needs at least one condition");
                }
                for (Statement i : inner) {
                    condition(i);
                }
            }
            case "expression" -> {
                ArgumentChecker.check(k, DeclarativeGrammar.CONDITION_SPECS.get("expression"), "condition 'expression'",
                        r);
                if (k.closure != null) {
                    steps.checkCode(k.closure.getCode());
                }
            }
            default -> {
                StepDescriptor d = DeclarativeGrammar.CONDITION_SPECS.get(k.name);
                if (d == null) {
                    r.at(k.node, "Unknown when condition '" + k.name + "'" + Suggestions.didYouMean(k.name, all));
                    return;
                }
                ArgumentChecker.check(k, d, "condition '" + k.name + "'", r);
                visitArguments(k);
            }
        }
    }

    private void post(Call c, String owner) {
        ClosureExpression b = block(c, "post { always { echo 'done' } }");
        if (b == null) {
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (Statement s : statements(b)) {
            Call k = Call.of(s);
            if (k == null) {
                r.at(s, "Expected a post condition such as always { ... } in the post of " + owner + ", not "
                        + describe(s));
                continue;
            }
            if (!DeclarativeGrammar.POST_CONDITIONS.contains(k.name)) {
                r.at(k.node, "Unknown post condition '" + k.name + "'"
                        + "; use one of " + String.join(", ", DeclarativeGrammar.POST_CONDITIONS)
                        + Suggestions.didYouMean(k.name, DeclarativeGrammar.POST_CONDITIONS));
                continue;
            }
            Integer first = seen.putIfAbsent(k.name, k.node.getLineNumber());
            if (first != null) {
                r.at(k.node, "Duplicate post condition '" + k.name + "'; the first is at line " + first);
            }
            ClosureExpression body = block(k, k.name + " { echo '...' }");
            if (body != null) {
                stepBlock(body);
            }
        }
    }
}
