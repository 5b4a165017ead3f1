package dev.gantry.engine.run;

import dev.gantry.api.Result;
import dev.gantry.api.build.NodeLease;
import dev.gantry.api.build.RunControl;
import dev.gantry.api.step.Body;
import dev.gantry.api.step.Cancellation;
import dev.gantry.api.step.Console;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.workspace.Workspace;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** The {@link StepContext} of one step call. */
final class StepCall implements StepContext, Console, RunControl {
    private final FlowContext ctx;
    private final String id;
    private final ArgumentBinder.Bound args;
    private final LogSink.LogSource source;

    StepCall(FlowContext ctx, String id, ArgumentBinder.Bound args) {
        this.ctx = ctx;
        this.id = id;
        this.args = args;
        this.source = ctx.logSource(id);
    }

    @Override
    public String id() { return id; }

    @Override
    public Console console() { return this; }

    @Override
    public Map<String, String> environment() { return ctx.environment(); }

    @Override
    public boolean hasWorkspace() { return ctx.workspace != null; }

    @Override
    public Workspace workspace() {
        if (ctx.workspace == null) {
            throw new StepFailedException("Step '" + args.descriptor().name() + "' needs a workspace: run it inside node { ... } or a stage with an agent");
        }
        return ctx.workspace;
    }

    @Override
    public Body body() { return args.body(); }

    @Override
    public RunControl run() { return this; }

    @Override
    public NodeLease allocateNode(String labelExpression, String customWorkspace) throws InterruptedException {
        try {
            return allocate(ctx, id, labelExpression, customWorkspace, this::println);
        } catch (IOException e) {
            throw new StepFailedException("Could not allocate a workspace: " + e.getMessage(), e);
        }
    }

    /**
     * Allocates a node for the block {@code key}, asking for the node and workspace the journal
     * says it had before a restart (so that a step still running there is re-attached), and
     * journals where it got one.
     */
    static NodeLease allocate(FlowContext ctx, String key, String label, String customWorkspace, java.util.function.Consumer<String> console)
            throws InterruptedException, IOException {
        StepJournal journal = ctx.run.journal();
        NodeProvider.Placement before = journal.placement(key).orElse(null);
        NodeLease lease = ctx.run.nodes().allocate(label, customWorkspace, console, before);
        if (lease instanceof NodeProvider.Placed p) {
            try {
                journal.recordPlacement(key, p.placement());
            } catch (RuntimeException e) {
                lease.close();
                throw e;
            }
        }
        return lease;
    }

    @Override
    public Map<String, Object> parallel(Map<String, Body> branches, boolean failFast) {
        return Parallel.run(ctx, id, branches, failFast);
    }

    @Override
    public Cancellation newCancellation() {
        return new CancellationScope(ctx.scope);
    }

    @Override
    public void checkInterrupted() {
        ctx.checkCancelled();
    }

    @Override
    public <T> Optional<T> service(Class<T> type) {
        if (type == dev.gantry.api.build.ScriptLoader.class) {
            return Optional.of(type.cast(ScriptRunner.loaderFor(ctx)));
        }
        if (type == StepStart.class) {
            StepStart start = () -> ctx.run.journal().firstStartMillis(id);
            return Optional.of(type.cast(start));
        }
        return ctx.run.service(type);
    }

    // Console

    @Override
    public void println(String line) {
        byte[] b = (line == null ? "null" : line).getBytes(StandardCharsets.UTF_8);
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                ctx.run.log().chunk(source, b, start, i - start, true, true);
                start = i + 1;
            }
        }
        ctx.run.log().chunk(source, b, start, b.length - start, true, true);
        ctx.scope.touch(System.nanoTime());
    }

    @Override
    public OutputStream stream() {
        CancellationScope scope = ctx.scope;
        // A source instance of its own: the masker holds back the end of a long line per source
        // instance, and two streams of one step (stdout, stderr) must not share that.
        LogSink.LogSource own = new LogSink.LogSource(source.stage(), source.stepId(), source.branch(), source.timestamps(), source.stageId());
        return new LineSplittingStream(ctx.run.log(), own, () -> scope.touch(System.nanoTime()));
    }

    // RunControl

    @Override
    public String jobName() { return ctx.run.jobName(); }

    @Override
    public int number() { return ctx.run.number(); }

    @Override
    public Result result() { return ctx.run.result(); }

    @Override
    public void setResult(Result result) {
        ctx.run.worsen(result);
        ctx.run.journal().recordResult(id, result.name(), false);
    }

    @Override
    public void setStageResult(Result result) {
        if (ctx.stage != null) {
            ctx.stage.worsen(result);
            ctx.run.journal().recordResult(id, result.name(), true);
        }
    }

    @Override
    public String currentStage() { return ctx.stage == null ? null : ctx.stage.name(); }

    @Override
    public Map<String, Object> parameters() { return ctx.run.parameters(); }
}
