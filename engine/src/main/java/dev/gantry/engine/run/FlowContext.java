package dev.gantry.engine.run;

import dev.gantry.api.Result;
import dev.gantry.api.step.FlowInterruptedException;
import dev.gantry.api.workspace.Workspace;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where pipeline code runs at this moment: the build, the environment overrides in force, the
 * workspace, the stage, the cancellation scope, the parallel branch, and the scope that numbers
 * step calls. Immutable: a body or branch runs in a derived context. The current context is per
 * thread ({@link #current()}); the script thread and each branch thread set their own.
 */
final class FlowContext {
    private static final ThreadLocal<FlowContext> CURRENT = new ThreadLocal<>();

    final BuildRun run;
    final Map<String, String> env;
    final Workspace workspace;
    final StageRecord stage;
    final CancellationScope scope;
    final String idScope;
    private final AtomicInteger counter;
    final String branch;
    final boolean timestamps;

    private FlowContext(BuildRun run, Map<String, String> env, Workspace workspace, StageRecord stage,
                        CancellationScope scope, String idScope, AtomicInteger counter, String branch, boolean timestamps) {
        this.run = run;
        this.env = env;
        this.workspace = workspace;
        this.stage = stage;
        this.scope = scope;
        this.idScope = idScope;
        this.counter = counter;
        this.branch = branch;
        this.timestamps = timestamps;
    }

    static FlowContext root(BuildRun run) {
        return new FlowContext(run, Map.of(), null, null, run.rootScope(), "", new AtomicInteger(), null, false);
    }

    /** The context of the calling thread. */
    static FlowContext current() {
        FlowContext c = CURRENT.get();
        if (c == null) {
            throw new IllegalStateException("pipeline code ran outside of a build (on a thread the build did not start)");
        }
        return c;
    }

    static FlowContext currentOrNull() {
        return CURRENT.get();
    }

    /** Runs {@code action} with this as the thread's context, registering the thread in the scope. */
    <T> T enter(java.util.concurrent.Callable<T> action) throws Exception {
        FlowContext previous = CURRENT.get();
        Thread t = Thread.currentThread();
        CURRENT.set(this);
        scope.enter(t);
        try {
            return action.call();
        } finally {
            scope.exit(t);
            if (previous != null) {
                previous.scope.enter(t);
            }
            CURRENT.set(previous);
        }
    }

    /** The id of the next step call in this scope: {@code stage[Build]/3}. */
    String nextId(String stepName) {
        int n = counter.getAndIncrement();
        return idScope.isEmpty() ? String.valueOf(n) : idScope + "/" + n;
    }

    /** Throws if this context's scope (or an enclosing one) was cancelled. */
    void checkCancelled() {
        scope.check();
    }

    /** The complete environment of a process started here. */
    Map<String, String> environment() {
        Map<String, String> all = new LinkedHashMap<>(run.baseEnv());
        all.putAll(run.globalEnv());
        all.putAll(env);
        all.values().removeIf(v -> v == null);
        return Collections.unmodifiableMap(all);
    }

    /** One variable as the pipeline sees it, or null. */
    String envVar(String name) {
        if (env.containsKey(name)) {
            return env.get(name);
        }
        String g = run.globalEnv().get(name);
        return g != null ? g : run.baseEnv().get(name);
    }

    LogSink.LogSource logSource(String stepId) {
        return new LogSink.LogSource(stage == null ? null : stage.name(), stepId, branch, timestamps || run.timestamps(),
                stage == null ? null : stage.id());
    }

    void engineLine(String line) {
        run.engineLine(logSource(null), line);
    }

    /** A context for a body of step {@code stepId}, its {@code runIndex}-th run (0-based). */
    FlowContext body(String stepId, int runIndex) {
        String id = runIndex == 0 ? stepId : stepId + "#" + (runIndex + 1);
        return new FlowContext(run, env, workspace, stage, scope, id, new AtomicInteger(), branch, timestamps);
    }

    /** A context for a parallel branch; its own step numbering and cancellation scope. */
    FlowContext branch(String name, String idScope, CancellationScope branchScope) {
        return new FlowContext(run, env, workspace, stage, branchScope, idScope, new AtomicInteger(), name, timestamps);
    }

    /** A context for a declarative stage. */
    FlowContext stage(StageRecord s, String idScope) {
        return new FlowContext(run, env, workspace, s, scope, idScope, new AtomicInteger(), branch, timestamps);
    }

    FlowContext withStage(StageRecord s) {
        return new FlowContext(run, env, workspace, s, scope, idScope, counter, branch, timestamps);
    }

    FlowContext withEnv(Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new LinkedHashMap<>(env);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey();
            int plus = key.indexOf('+');
            if (plus > 0 && e.getValue() != null) {
                // PATH+MAVEN=/opt/maven/bin prepends to PATH, as in Jenkins.
                String var = key.substring(0, plus);
                String current = merged.containsKey(var) ? merged.get(var) : envVar(var);
                merged.put(var, current == null || current.isEmpty() ? e.getValue() : e.getValue() + java.io.File.pathSeparator + current);
            } else {
                merged.put(key, e.getValue());
            }
        }
        return new FlowContext(run, Collections.unmodifiableMap(merged), workspace, stage, scope, idScope, counter, branch, timestamps);
    }

    FlowContext withWorkspace(Workspace ws) {
        return new FlowContext(run, env, ws, stage, scope, idScope, counter, branch, timestamps);
    }

    FlowContext withScope(CancellationScope s) {
        return new FlowContext(run, env, workspace, stage, s, idScope, counter, branch, timestamps);
    }

    FlowContext withTimestamps() {
        return new FlowContext(run, env, workspace, stage, scope, idScope, counter, branch, true);
    }

    /** Converts an interruption of the current thread into the build's view of it. */
    FlowInterruptedException interrupted() {
        try {
            scope.check();
        } catch (FlowInterruptedException e) {
            return e;
        }
        return new FlowInterruptedException(Result.ABORTED, "interrupted");
    }
}
