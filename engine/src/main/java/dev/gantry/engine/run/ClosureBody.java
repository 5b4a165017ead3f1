package dev.gantry.engine.run;

import dev.gantry.api.Result;
import dev.gantry.api.step.Body;
import dev.gantry.api.step.ContextChange;
import dev.gantry.api.step.FlowInterruptedException;
import groovy.lang.Closure;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A step's closure body. Each run gets a child id scope ({@code <stepId>}, then
 * {@code <stepId>#2} ...) so step ids stay deterministic across retries and replays.
 */
final class ClosureBody implements Body {
    private final Closure<?> closure;
    private final String stepId;
    private final AtomicInteger runs = new AtomicInteger();

    ClosureBody(Closure<?> closure, String stepId) {
        this.closure = closure;
        this.stepId = stepId;
    }

    String stepId() {
        return stepId;
    }

    @Override
    public Object run(ContextChange change) {
        return runIn(FlowContext.current(), change, stepId, runs.getAndIncrement());
    }

    /** Runs in {@code parent} (another thread's context, for parallel branches). */
    Object runIn(FlowContext parent, ContextChange change, String idScope, int runIndex) {
        FlowContext ctx = parent.body(idScope, runIndex);
        if (!change.environment().isEmpty()) {
            ctx = ctx.withEnv(change.environment());
        }
        if (change.workspace() != null) {
            ctx = ctx.withWorkspace(change.workspace());
        }
        if (change.timestamps()) {
            ctx = ctx.withTimestamps();
        }
        if (change.cancellation() != null) {
            ctx = ctx.withScope((CancellationScope) change.cancellation());
        }
        if (change.stage() != null) {
            return runStage(ctx, change.stage());
        }
        return call(ctx);
    }

    private Object call(FlowContext ctx) {
        try {
            return ctx.enter(closure::call);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        }
    }

    /** A scripted {@code stage}: a node in the stage graph whose result follows what happens inside. */
    private Object runStage(FlowContext ctx, String name) {
        StageRecord s = ctx.run.openStage(name, ctx.stage);
        FlowContext inner = ctx.withStage(s);
        ctx.engineLine("[Pipeline] { (" + name + ")");
        try {
            Object v = call(inner);
            s.finish(StageRecord.Status.of(Result.SUCCESS.combine(s.explicitResult())));
            return v;
        } catch (FlowInterruptedException e) {
            s.finish(StageRecord.Status.of(e.result().combine(s.explicitResult())));
            throw e;
        } catch (RuntimeException | Error e) {
            s.finish(StageRecord.Status.FAILURE);
            throw e;
        } finally {
            ctx.engineLine("[Pipeline] }");
        }
    }
}
