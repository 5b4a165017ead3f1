package dev.gantry.engine.run;

import dev.gantry.api.Result;
import dev.gantry.api.build.NodeLease;
import dev.gantry.api.step.FlowInterruptedException;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.engine.jobs.ParameterDefinition;
import dev.gantry.engine.run.DeclarativeModel.Agent;
import dev.gantry.engine.run.DeclarativeModel.Axis;
import dev.gantry.engine.run.DeclarativeModel.ExcludeAxis;
import dev.gantry.engine.run.DeclarativeModel.OptionCall;
import dev.gantry.engine.run.DeclarativeModel.Pipeline;
import dev.gantry.engine.run.DeclarativeModel.Stage;
import groovy.lang.Closure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a declarative pipeline the way Jenkins' model interpreter does: agent, environment and
 * options around the stages; per stage {@code when}, {@code input}, agent, environment, options,
 * then its steps, nested stages, parallel branches or matrix cells, then {@code post}. Stage
 * options ({@code timeout}, {@code retry}, {@code timestamps}) are applied by calling the steps of
 * the same name around the stage's content, so they behave exactly like the steps.
 */
final class Declarative {
    static final List<String> POST_ORDER = List.of("always", "changed", "fixed", "regression", "aborted",
            "failure", "success", "unstable", "unsuccessful", "cleanup");

    private final BuildRun run;
    private final Pipeline pipeline;
    private final boolean skipAfterUnstable;
    private final boolean alwaysFailFast;
    /** Whether the top-level stage a restart begins at was reached (always true without a restart). */
    private boolean restartReached;

    private Declarative(BuildRun run, Pipeline pipeline) {
        this.run = run;
        this.pipeline = pipeline;
        this.skipAfterUnstable = hasOption(pipeline.options, "skipStagesAfterUnstable");
        this.alwaysFailFast = hasOption(pipeline.options, "parallelsAlwaysFailFast");
        this.restartReached = run.restartFrom() == null;
    }

    static void execute(FlowContext ctx, Closure<?> body) {
        DeclarativeModel.PipelineDsl dsl = new DeclarativeModel.PipelineDsl();
        DeclarativeModel.evalWith(body, dsl);
        new Declarative(ctx.run, dsl.model).run(ctx);
    }

    private static boolean hasOption(List<OptionCall> options, String name) {
        return options.stream().anyMatch(o -> o.name().equals(name));
    }

    private void run(FlowContext ctx) {
        if (run.restartFrom() != null) {
            String problem = RestartPoint.problem(pipeline.stages, run.restartFrom());
            if (problem != null) {
                ctx.engineLine("ERROR: " + problem);
                run.worsen(Result.FAILURE);
                return;
            }
        }
        preserveStashes(ctx);
        if (hasOption(pipeline.options, "disableResume")) {
            run.journal().disableResume();
        }
        applyParameters();
        if (hasOption(pipeline.options, "timestamps")) {
            run.enableTimestamps();
        }
        Agent agent = pipeline.agent == null ? new Agent("none", null, null, Map.of()) : pipeline.agent;
        try {
            withAgent(agent, ctx, pipeline.options, actx -> {
                FlowContext ectx = actx;
                try {
                    ectx = withEnvironment(pipeline.environment, actx);
                    FlowContext sctx = ectx;
                    Throwable error = wrapOptions(pipeline.options, sctx, c -> executeStages(pipeline.stages, c, null, ""));
                    if (error != null) {
                        failBuild(error);
                    }
                } catch (Throwable e) {
                    report(ectx, e);
                    failBuild(e);
                }
                runPost(pipeline.post, ectx, run::result, "Declarative: Post Actions", null);
                return null;
            });
        } catch (Throwable e) {
            report(ctx, e);
            failBuild(e);
            runPost(pipeline.post, ctx, run::result, "Declarative: Post Actions", null);
        }
    }

    /** {@code preserveStashes(buildCount: N)}: Jenkins' default is 1 and its limit 50. */
    private void preserveStashes(FlowContext ctx) {
        for (OptionCall o : pipeline.options) {
            if (!o.name().equals("preserveStashes")) {
                continue;
            }
            long count = 1;
            if (o.args().length == 1 && o.args()[0] instanceof Map<?, ?> m && m.get("buildCount") instanceof Number n) {
                count = n.longValue();
            }
            if (count < 1 || count > 50) {
                ctx.engineLine("WARNING: preserveStashes(buildCount: " + count + ") must be between 1 and 50; keeping the stashes of "
                        + Math.clamp(count, 1, 50) + " build(s)");
            }
            run.preserveStashes((int) Math.clamp(count, 1, 50));
        }
    }

    private void failBuild(Throwable e) {
        Throwable cause = e instanceof StageFailure sf ? sf.getCause() : e;
        run.worsen(cause instanceof FlowInterruptedException fie ? fie.result() : Result.FAILURE);
    }

    private static void report(FlowContext ctx, Throwable e) {
        if (e instanceof StageFailure) {
            return;
        }
        ctx.engineLine(e instanceof FlowInterruptedException ? e.getMessage() : "ERROR: " + ScriptRunner.describe(e, ctx.run.scriptName()));
    }

    /** Declared parameters: defaults for what was not given, values converted to their types. */
    private void applyParameters() {
        if (pipeline.parameters.isEmpty()) {
            return;
        }
        Map<String, Object> given = run.parameters();
        Map<String, Object> out = new LinkedHashMap<>(given);
        for (Map<String, Object> p : pipeline.parameters) {
            String name = String.valueOf(p.get("name"));
            String type = String.valueOf(p.get("type"));
            Object value = given.get(name);
            switch (type) {
                case "booleanParam" -> {
                    Object v = value != null ? value : p.getOrDefault("defaultValue", false);
                    out.put(name, v instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(v).trim()));
                }
                case "choice" -> {
                    List<String> choices = ParameterDefinition.choicesOf(p.get("choices"));
                    if (value == null) {
                        out.put(name, choices.isEmpty() ? "" : choices.get(0));
                    } else if (!choices.contains(String.valueOf(value))) {
                        throw new StepFailedException("Parameter " + name + " must be one of " + choices + ", got '" + value + "'");
                    } else {
                        out.put(name, String.valueOf(value));
                    }
                }
                default -> {
                    Object v = value != null ? value : p.getOrDefault("defaultValue", "");
                    String s = String.valueOf(v == null ? "" : v);
                    out.put(name, Boolean.TRUE.equals(p.get("trim")) ? s.trim() : s);
                }
            }
        }
        run.setParameters(out);
    }

    /** Runs stages in sequence; returns the first stage error (later stages are then not executed). */
    private Throwable executeStages(List<Stage> stages, FlowContext ctx, StageRecord parent, String idPrefix) {
        Throwable first = null;
        for (Stage s : stages) {
            if (parent == null && !restartReached) {
                if (!s.name.equals(run.restartFrom())) {
                    // Jenkins' wording, so that log parsers written for it keep working.
                    markNotRun(s, null, ctx, StageRecord.Status.SKIPPED,
                            "Stage \"" + s.name + "\" skipped due to this build restarting at stage \"" + run.restartFrom() + "\"");
                    continue;
                }
                restartReached = true;
            }
            if (first != null) {
                markNotRun(s, parent, ctx, StageRecord.Status.NOT_EXECUTED, "Stage \"" + s.name + "\" skipped due to earlier failure(s)");
                continue;
            }
            if (skipAfterUnstable && run.result() == Result.UNSTABLE) {
                markNotRun(s, parent, ctx, StageRecord.Status.NOT_EXECUTED,
                        "Stage \"" + s.name + "\" skipped due to earlier stage(s) marking the build as \"unstable\"");
                continue;
            }
            Throwable e = executeStage(s, ctx, parent, idPrefix);
            if (e != null) {
                first = e;
            }
        }
        return first;
    }

    private void markNotRun(Stage s, StageRecord parent, FlowContext ctx, StageRecord.Status status, String message) {
        StageRecord r = run.openStage(s.name, parent);
        FlowContext sctx = ctx.withStage(r);
        sctx.engineLine("[Pipeline] stage");
        sctx.engineLine("[Pipeline] { (" + s.name + ")");
        sctx.engineLine(message);
        markChildren(s, r, status);
        r.finish(status);
        sctx.engineLine("[Pipeline] }");
    }

    private void markChildren(Stage s, StageRecord r, StageRecord.Status status) {
        List<Stage> children = s.stages != null ? s.stages : s.parallel;
        if (children != null) {
            for (Stage c : children) {
                StageRecord cr = run.openStage(c.name, r);
                markChildren(c, cr, status);
                cr.finish(status);
            }
        }
    }

    /** Code that runs in a context and may throw. */
    @FunctionalInterface
    private interface InContext<T> {
        T apply(FlowContext ctx) throws Exception;
    }

    /** A nested stage's error, already reported where it happened. */
    private static final class StageFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StageFailure(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** Runs one stage; returns its error or null. Never throws. */
    private Throwable executeStage(Stage s, FlowContext parentCtx, StageRecord parent, String idPrefix) {
        StageRecord record = run.openStage(s.name, parent);
        String idScope = idPrefix + "stage[" + s.name + "]";
        FlowContext ctx = parentCtx.stage(record, idScope).withEnv(s.axisEnv);
        ctx.engineLine("[Pipeline] stage");
        ctx.engineLine("[Pipeline] { (" + s.name + ")");
        Throwable[] error = new Throwable[1];
        Result[] childWorst = new Result[1];
        boolean[] skipped = new boolean[1];
        try {
            WhenSpec when = s.when == null ? null : WhenSpec.collect(s.when);
            // Jenkins' order: when(beforeOptions), options { when(beforeInput), input, when(beforeAgent), agent {
            // environment, when, content, post } }. So a stage timeout also bounds the input, and a stage retry
            // allocates the agent again and runs post on each attempt.
            if (when != null && when.at(WhenSpec.Phase.BEFORE_OPTIONS) && !when.evaluate(ctx)) {
                skipped[0] = true;
            } else {
                error[0] = wrapOptions(s.options, ctx, octx -> {
                    try {
                        return inStage(s, octx, when, record, idScope, childWorst, skipped);
                    } catch (Throwable e) {
                        report(octx, e);
                        return e;
                    }
                });
            }
        } catch (Throwable e) {
            error[0] = e;
            report(ctx, e);
        }
        if (skipped[0] && error[0] == null) {
            ctx.engineLine("Stage \"" + s.name + "\" skipped due to when conditional");
            markChildren(s, record, StageRecord.Status.SKIPPED);
            record.finish(StageRecord.Status.SKIPPED);
            ctx.engineLine("[Pipeline] }");
            return null;
        }
        Result status = stageResult(record, error[0], childWorst[0]);
        record.finish(StageRecord.Status.of(status));
        ctx.engineLine("[Pipeline] }");
        return error[0];
    }

    /**
     * The part of a stage inside its options: input, agent, environment, the later {@code when}s, the
     * content and post. Returns the stage's error or null; sets {@code skipped[0]} when a {@code when} is false.
     */
    private Throwable inStage(Stage s, FlowContext octx, WhenSpec when, StageRecord record, String idScope,
                              Result[] childWorst, boolean[] skipped) throws Exception {
        skipped[0] = false;
        if (when != null && when.at(WhenSpec.Phase.BEFORE_INPUT) && !when.evaluate(octx)) {
            skipped[0] = true;
            return null;
        }
        FlowContext ictx = s.input == null ? octx : StageInput.ask(s.input, octx);
        if (when != null && when.at(WhenSpec.Phase.BEFORE_AGENT) && !when.evaluate(ictx)) {
            skipped[0] = true;
            return null;
        }
        Throwable[] error = new Throwable[1];
        withAgent(s.agent, ictx, s.options, actx -> {
            FlowContext ectx = withEnvironment(s.environment, actx);
            if (when != null && when.at(WhenSpec.Phase.AFTER_ENVIRONMENT) && !when.evaluate(ectx)) {
                skipped[0] = true;
                return null;
            }
            if (!s.tools.isEmpty()) {
                ectx.engineLine("Tools " + s.tools + " are used from the node's PATH (tool installers arrive with plugins)");
            }
            error[0] = runContent(s, ectx, record, idScope + "/", childWorst);
            Result status = stageResult(record, error[0], childWorst[0]);
            Throwable postError = runPost(s.post, ectx, () -> status, null, record);
            if (error[0] == null && postError != null) {
                // As in Jenkins, a failing stage post fails the stage: later stages do not run.
                error[0] = new StageFailure(postError);
            }
            return null;
        });
        return error[0];
    }

    private static Result stageResult(StageRecord record, Throwable error, Result childWorst) {
        Result r = Result.SUCCESS.combine(record.explicitResult()).combine(childWorst);
        if (error != null) {
            Throwable cause = error instanceof StageFailure ? error.getCause() : error;
            r = r.combine(cause instanceof FlowInterruptedException fie ? fie.result() : Result.FAILURE);
        }
        return r;
    }

    /** Runs the stage's steps, nested stages, parallel branches or matrix; returns an error or null. */
    private Throwable runContent(Stage s, FlowContext ctx, StageRecord record, String idPrefix, Result[] childWorst) {
        try {
            if (s.steps != null) {
                ctx.enter(() -> s.steps.call());
            } else if (s.stages != null) {
                Throwable e = executeStages(s.stages, ctx, record, idPrefix);
                childWorst[0] = worstChild(record);
                if (e != null) {
                    throw new StageFailure(e instanceof StageFailure sf ? sf.getCause() : e);
                }
            } else if (s.parallel != null) {
                runBranches(s.parallel, s.failFast, ctx, record, idPrefix);
                childWorst[0] = worstChild(record);
            } else if (s.matrix != null) {
                runBranches(matrixCells(s), s.failFast, ctx, record, idPrefix);
                childWorst[0] = worstChild(record);
            }
            return null;
        } catch (StageFailure e) {
            return e;
        } catch (Throwable e) {
            report(ctx, e);
            return e;
        }
    }

    private Result worstChild(StageRecord record) {
        Result worst = null;
        for (StageRecord r : run.stages()) {
            if (r.parent() == record && r.status() != null && r.status().ordinal() <= StageRecord.Status.ABORTED.ordinal()) {
                Result res = Result.valueOf(r.status().name());
                worst = worst == null ? res : worst.combine(res);
            }
        }
        return worst;
    }

    private void runBranches(List<Stage> branches, boolean failFast, FlowContext ctx, StageRecord record, String idPrefix) {
        Map<String, Function<FlowContext, Object>> tasks = new LinkedHashMap<>();
        for (Stage b : branches) {
            tasks.put(b.name, bctx -> {
                Throwable e = executeStage(b, bctx, record, "");
                return e == null ? null : new BranchError(e);
            });
        }
        Map<String, Object> results = Parallel.runTasks(ctx, idPrefix + "parallel", tasks, failFast || alwaysFailFast,
                v -> v instanceof BranchError be && !(cause(be.error()) instanceof FlowInterruptedException));
        Throwable first = null;
        for (Object v : results.values()) {
            if (v instanceof BranchError be) {
                Throwable c = cause(be.error());
                if (first == null || (cause(first) instanceof FlowInterruptedException && !(c instanceof FlowInterruptedException))) {
                    first = be.error();
                }
            }
        }
        if (first != null) {
            throw new StageFailure(cause(first));
        }
    }

    private static Throwable cause(Throwable e) {
        return e instanceof StageFailure ? e.getCause() : e;
    }

    private record BranchError(Throwable error) {
    }

    /** The cells of a matrix, as stages named like Jenkins' ("Matrix - OS = 'linux', JDK = '17'"). */
    private static List<Stage> matrixCells(Stage s) {
        List<Map<String, String>> cells = new ArrayList<>();
        cells.add(new LinkedHashMap<>());
        for (Axis axis : s.matrix.axes) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> cell : cells) {
                for (String v : axis.values()) {
                    Map<String, String> c = new LinkedHashMap<>(cell);
                    c.put(axis.name(), v);
                    next.add(c);
                }
            }
            cells = next;
        }
        List<Stage> out = new ArrayList<>();
        for (Map<String, String> cell : cells) {
            if (excluded(cell, s.matrix.excludes)) {
                continue;
            }
            Stage t = s.matrix.template;
            Stage c = new Stage();
            StringBuilder name = new StringBuilder("Matrix - ");
            cell.forEach((k, v) -> name.append(name.length() > 9 ? ", " : "").append(k).append(" = '").append(v).append('\''));
            c.name = name.toString();
            c.axisEnv = cell;
            c.agent = t.agent;
            c.environment = t.environment;
            c.when = t.when;
            c.options.addAll(t.options);
            c.input = t.input;
            c.post.putAll(t.post);
            c.stages = t.stages == null ? List.of() : t.stages;
            c.tools.putAll(t.tools);
            out.add(c);
        }
        return out;
    }

    private static boolean excluded(Map<String, String> cell, List<List<ExcludeAxis>> excludes) {
        for (List<ExcludeAxis> ex : excludes) {
            boolean all = !ex.isEmpty();
            for (ExcludeAxis a : ex) {
                String v = cell.get(a.name());
                boolean in = v != null && a.values().contains(v);
                if (a.not() == in) {
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

    /** Runs {@code body} on the agent's node (allocating one unless none/inherited). */
    private <T> T withAgent(Agent agent, FlowContext ctx, List<OptionCall> options, InContext<T> body) throws Exception {
        if (agent == null || agent.type().equals("none")) {
            return body.apply(ctx);
        }
        switch (agent.type()) {
            case "docker", "dockerfile", "kubernetes" -> throw new StepFailedException("agent " + agent.type()
                    + " needs the " + (agent.type().equals("kubernetes") ? "kubernetes" : "docker") + " plugin, which is not installed");
            default -> {
            }
        }
        if (ctx.workspace != null && Boolean.TRUE.equals(agent.settings().get("reuseNode"))) {
            // reuseNode: the stage stays on the pipeline's node and workspace, whatever its label says (as Jenkins does).
            ctx.engineLine("reuseNode: staying on " + ctx.workspace.nodeName() + " in " + ctx.workspace.path());
            return body.apply(ctx);
        }
        ctx.engineLine("[Pipeline] node");
        try (NodeLease lease = StepCall.allocate(ctx, "agent:" + ctx.idScope, agent.label(), agent.customWorkspace(), ctx::engineLine)) {
            FlowContext nctx = ctx.withWorkspace(lease.workspace()).withEnv(lease.environment());
            return nctx.enter(() -> {
                defaultCheckout(nctx, options);
                return body.apply(nctx);
            });
        }
    }

    /**
     * Jenkins' "Declarative: Checkout SCM": in a job whose pipeline comes from a repository, each
     * agent's workspace gets {@code checkout scm} first, unless {@code skipDefaultCheckout} says no.
     */
    private void defaultCheckout(FlowContext ctx, List<OptionCall> options) {
        for (List<OptionCall> list : List.of(pipeline.options, options)) {
            for (OptionCall o : list) {
                if (o.name().equals("skipDefaultCheckout") && (o.args().length == 0 || !Boolean.FALSE.equals(o.args()[0]))) {
                    return;
                }
            }
        }
        java.util.Optional<dev.gantry.api.scm.ScmCheckouts> scm = run.service(dev.gantry.api.scm.ScmCheckouts.class);
        if (scm.isEmpty() || scm.get().jobSource() == null || !(scm.get() instanceof BuildScm b) || !run.steps().names().contains("checkout")) {
            return;
        }
        ctx.engineLine("[Pipeline] checkout (Declarative: Checkout SCM)");
        StepInvoker.invoke(this, "checkout", new Object[] {b.scmVariable()});
    }

    /** Evaluates an {@code environment} block in {@code ctx}: later entries see earlier ones. */
    private static FlowContext withEnvironment(Closure<?> env, FlowContext ctx) throws Exception {
        if (env == null) {
            return ctx;
        }
        EnvironmentDsl dsl = new EnvironmentDsl(ctx);
        ctx.enter(() -> DeclarativeModel.evalWith(env, dsl));
        return ctx.withEnv(dsl.values());
    }

    /** Wraps {@code content} in the {@code timeout}, {@code retry} and {@code timestamps} options, innermost last. */
    private Throwable wrapOptions(List<OptionCall> options, FlowContext ctx, Function<FlowContext, Throwable> content) throws Exception {
        List<OptionCall> wrappers = options.stream()
                .filter(o -> o.name().equals("timeout") || o.name().equals("retry") || o.name().equals("timestamps")).toList();
        if (wrappers.isEmpty()) {
            return content.apply(ctx);
        }
        Throwable[] inner = new Throwable[1];
        Closure<Object> core = new Closure<>(this) {
            private static final long serialVersionUID = 1L;

            @Override
            public Object call(Object... args) {
                inner[0] = content.apply(FlowContext.current());
                if (inner[0] != null) {
                    // The wrapping steps must see the failure: retry tries again, timeout recognises its abort.
                    Throwable c = cause(inner[0]);
                    throw c instanceof FlowInterruptedException fie ? fie : new StageFailure(c);
                }
                return null;
            }
        };
        Closure<?> wrapped = core;
        for (int i = wrappers.size() - 1; i >= 0; i--) {
            OptionCall o = wrappers.get(i);
            Closure<?> body = wrapped;
            wrapped = new Closure<Object>(this) {
                private static final long serialVersionUID = 1L;

                @Override
                public Object call(Object... args) {
                    Object[] a = new Object[o.args().length + 1];
                    System.arraycopy(o.args(), 0, a, 0, o.args().length);
                    a[a.length - 1] = body;
                    return StepInvoker.invoke(Declarative.this, o.name(), a);
                }
            };
        }
        Closure<?> outer = wrapped;
        try {
            ctx.enter(() -> outer.call());
            return null;
        } catch (StageFailure e) {
            return e;
        } catch (Throwable e) {
            if (inner[0] != null && cause(inner[0]) == e) {
                return inner[0];
            }
            report(ctx, e);
            return e;
        }
    }

    /**
     * Runs the {@code post} conditions that hold, in Jenkins' order; a failing block does not stop
     * the later ones. Returns the first block's error (already reported), or null.
     */
    private Throwable runPost(Map<String, Closure<?>> post, FlowContext ctx, java.util.function.Supplier<Result> result,
                         String label, StageRecord stage) {
        if (post.isEmpty()) {
            return null;
        }
        Throwable first = null;
        if (label != null) {
            ctx.engineLine("[Pipeline] stage");
            ctx.engineLine("[Pipeline] { (" + label + ")");
        }
        for (String condition : POST_ORDER) {
            Closure<?> block = post.get(condition);
            if (block == null || !holds(condition, result.get(), run.previousResult())) {
                continue;
            }
            // An abort or timeout that ended the stage must not stop its post blocks (post aborted is for that).
            try (CancellationScope shield = CancellationScope.shielded(ctx.scope)) {
                Thread.interrupted();
                ctx.withScope(shield).enter(() -> block.call());
            } catch (Throwable e) {
                ctx.engineLine("Error when executing " + condition + " post condition:");
                report(ctx, e);
                first = first == null ? e : first;
                if (stage != null) {
                    stage.worsen(Result.FAILURE);
                }
                run.worsen(e instanceof FlowInterruptedException fie ? fie.result() : Result.FAILURE);
            }
        }
        if (label != null) {
            ctx.engineLine("[Pipeline] }");
        }
        return first;
    }

    static boolean holds(String condition, Result r, Result previous) {
        return switch (condition) {
            case "always", "cleanup" -> true;
            case "changed" -> previous != null && previous != r;
            case "fixed" -> previous != null && r == Result.SUCCESS && (previous == Result.UNSTABLE || previous == Result.FAILURE);
            case "regression" -> previous != null && r.isWorseThan(previous) && (r == Result.FAILURE || r == Result.UNSTABLE || r == Result.ABORTED);
            case "aborted" -> r == Result.ABORTED;
            case "failure" -> r == Result.FAILURE;
            case "success" -> r == Result.SUCCESS;
            case "unstable" -> r == Result.UNSTABLE;
            case "unsuccessful" -> r != Result.SUCCESS;
            default -> false;
        };
    }
}
