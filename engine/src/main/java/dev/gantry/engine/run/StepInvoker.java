package dev.gantry.engine.run;

import dev.gantry.api.Result;
import dev.gantry.api.step.FlowInterruptedException;
import dev.gantry.api.step.NodeLostException;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.engine.pipeline.Suggestions;
import groovy.lang.MissingMethodException;
import java.io.IOException;
import java.util.Optional;

/**
 * Calls a step from pipeline code: finds it, binds its arguments, gives it a deterministic id,
 * returns a journaled outcome on replay, runs it otherwise and journals what happened.
 * The single path every step takes; no step is special-cased.
 */
final class StepInvoker {
    private StepInvoker() {
    }

    static boolean exists(String name) {
        FlowContext ctx = FlowContext.currentOrNull();
        return ctx != null && ctx.run.steps().find(name).isPresent();
    }

    /** Whether {@code name} is the symbol of a started plugin's credential binding ({@code withCredentials([name(...)])}). */
    static boolean isPluginBinding(String name) {
        FlowContext ctx = FlowContext.currentOrNull();
        return ctx != null && ctx.run.steps().binding(name).isPresent();
    }

    static Object invoke(Object receiver, String name, Object[] args) {
        FlowContext ctx = FlowContext.current();
        Optional<Step> found = ctx.run.steps().find(name);
        if (found.isEmpty()) {
            String hint = Suggestions.closest(name, ctx.run.steps().names()).map(s -> "; did you mean '" + s + "'?").orElse("");
            throw new MissingMethodException(name, receiver.getClass(), args == null ? new Object[0] : args) {
                private static final long serialVersionUID = 1L;

                @Override
                public String getMessage() {
                    return "No such step or function '" + name + "'" + hint;
                }
            };
        }
        ctx.checkCancelled();
        Step step = found.get();
        StepDescriptor d = step.descriptor();
        String id = ctx.nextId(name);
        warnInterpolatedSecrets(ctx, name, args);
        ArgumentBinder.Bound bound;
        try {
            bound = ArgumentBinder.bind(d, args, c -> new ClosureBody(c, id));
        } catch (IllegalArgumentException e) {
            throw new StepFailedException("Invalid arguments for step '" + name + "': " + e.getMessage());
        }
        boolean journaled = d.journaled();
        if (journaled) {
            Optional<StepJournal.StepOutcome> recorded = ctx.run.journal().lookup(id);
            if (recorded.isPresent()) {
                StepJournal.StepOutcome o = recorded.get();
                if (!o.stepName().equals(name)) {
                    throw new StepFailedException("The script took a different path than before the controller restarted: step call " + id
                            + " was '" + o.stepName() + "' then and is '" + name + "' now" + ScriptRunner.where(ctx.run.scriptName())
                            + ". A resumed build runs its script again and must make the same step calls in the same order;"
                            + " a decision on the current time, a random number or another value that changes between runs makes it"
                            + " take another path. Get such a value from a step (sh, readFile) so that it is journaled, or set"
                            + " options { disableResume() }");
                }
                if (!d.advanced()) {
                    // Already in the log: written again so that the log's line count per writer matches, then dropped.
                    ctx.engineLine("[Pipeline] " + name);
                }
                for (StepJournal.ResultChange r : ctx.run.journal().results(id)) {
                    if (!r.stage()) {
                        ctx.run.worsen(Result.valueOf(r.result()));
                    } else if (ctx.stage != null) {
                        ctx.stage.worsen(Result.valueOf(r.result()));
                    }
                }
                return replay(o);
            }
        }
        if (d.needsWorkspace() && ctx.workspace == null) {
            throw new StepFailedException("Step '" + name + "' needs a workspace: run it inside node { ... } or a stage with an agent"
                    + " (the pipeline has agent none here)");
        }
        if (!d.advanced()) {
            ctx.engineLine("[Pipeline] " + name);
        }
        StepCall call = new StepCall(ctx, id, bound);
        LogSink.LogSource source = ctx.logSource(id);
        ctx.run.log().stepStarted(source, name);
        String status = Result.FAILURE.name();
        RunningStep running = RunningStep.enter(id, ctx.run.jobName(), ctx.run.number(), ctx.run.journal());
        try {
            Object value = step.run(call, bound);
            if (journaled) {
                ctx.run.journal().record(id, StepJournal.StepOutcome.success(name, value), deferrable(step));
            }
            status = Result.SUCCESS.name();
            return value;
        } catch (FlowInterruptedException e) {
            status = e.result().name();
            record(ctx, journaled, id, name, e, e.result().name());
            throw e;
        } catch (InterruptedException e) {
            FlowInterruptedException fie = ctx.interrupted();
            status = fie.result().name();
            record(ctx, journaled, id, name, fie, fie.result().name());
            throw fie;
        } catch (RuntimeException e) {
            record(ctx, journaled, id, name, e, null);
            throw e;
        } catch (IOException e) {
            StepFailedException sfe = new StepFailedException(name + ": " + e.getMessage(), e);
            record(ctx, journaled, id, name, sfe, null);
            throw sfe;
        } catch (Exception e) {
            record(ctx, journaled, id, name, e, null);
            throw new StepFailedException(name + ": " + e, e);
        } finally {
            running.exit();
            ctx.run.log().stepFinished(source, status);
        }
    }

    private static final java.util.Set<String> SHELL_STEPS = java.util.Set.of("sh", "bat", "powershell", "pwsh");

    /**
     * Jenkins' warning when a shell step's script is a GString that interpolated a secret: the
     * secret is then part of the command line (visible to other processes, written to shell
     * history or traces), where the shell's own {@code $VAR} would not put it.
     */
    private static void warnInterpolatedSecrets(FlowContext ctx, String name, Object[] args) {
        if (!SHELL_STEPS.contains(name) || args == null) {
            return;
        }
        java.util.Set<String> variables = new java.util.TreeSet<>();
        for (Object a : args) {
            Object script = a instanceof java.util.Map<?, ?> m ? m.get("script") : a;
            if (script instanceof groovy.lang.GString g) {
                for (Object v : g.getValues()) {
                    if (v instanceof CharSequence cs) {
                        variables.addAll(ctx.run.secrets().variablesIn(cs.toString()));
                    }
                }
            }
        }
        if (!variables.isEmpty()) {
            ctx.engineLine("Warning: A secret was passed to \"" + name + "\" using Groovy String interpolation, which is insecure.");
            ctx.engineLine("\t\t Affected argument(s) used the following variable(s): " + variables);
            ctx.engineLine("\t\t Use single quotes and let the shell expand the variable instead: sh 'echo $" + variables.iterator().next() + "'");
        }
    }

    private static void record(FlowContext ctx, boolean journaled, String id, String name, Throwable e, String interruptResult) {
        if (journaled) {
            // A failure is written at once: what follows it (catchError, post) may act on the world.
            ctx.run.journal().record(id, new StepJournal.StepOutcome(name, null, e.getClass().getName(), e.getMessage(), interruptResult));
        }
    }

    /**
     * Built-in steps whose only effect is on the build itself (its log, its result) or that only
     * read: running one again after a crash changes nothing outside the build, so its record may
     * wait for the next one (group commit, {@link StepJournal#record(String, StepJournal.StepOutcome, boolean)}).
     */
    private static final java.util.Set<String> SELF_CONTAINED = java.util.Set.of("echo", "unstable", "isUnix", "pwd", "fileExists", "readFile");

    private static boolean deferrable(Step step) {
        return SELF_CONTAINED.contains(step.descriptor().name()) && step.getClass().getName().startsWith("dev.gantry.engine.steps.");
    }

    private static Object replay(StepJournal.StepOutcome o) {
        if (!o.failed()) {
            return o.value();
        }
        if (o.interruptResult() != null) {
            throw new FlowInterruptedException(Result.valueOf(o.interruptResult()), o.failureMessage());
        }
        if (NodeLostException.class.getName().equals(o.failureType())) {
            // Its type decides retry(conditions: [agent()]): a lost node replays as a lost node.
            throw new NodeLostException("") {
                private static final long serialVersionUID = 1L;

                @Override
                public String getMessage() {
                    return o.failureMessage();
                }
            };
        }
        throw new StepFailedException(o.failureMessage());
    }
}
