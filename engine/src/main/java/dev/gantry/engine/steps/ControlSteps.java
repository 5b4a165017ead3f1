package dev.gantry.engine.steps;

import dev.gantry.api.Result;
import dev.gantry.api.step.BodyKind;
import dev.gantry.api.step.Cancellation;
import dev.gantry.api.step.ContextChange;
import dev.gantry.api.step.FlowInterruptedException;
import dev.gantry.api.step.NodeLostException;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.step.StepFailedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.codehaus.groovy.runtime.typehandling.DefaultTypeTransformation;

/** Steps that control how their body runs: retry, timeout, waitUntil, catchError, warnError, withEnv. */
public final class ControlSteps {
    private ControlSteps() {
    }

    static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }

    /** {@code retry(3) { ... }} / {@code retry(count: 2, conditions: [agent()]) { ... }}. */
    public static final class Retry implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("retry")
                .help("Runs the body again when it fails, up to count times in all. Aborts are never retried. With conditions,"
                        + " only failures of those kinds are retried: agent() (the node went offline), nonresumable().")
                .required("count", ParamType.INTEGER, "How many attempts in all.").positional("count")
                .optional("conditions", ParamType.LIST, null, "Which failures to retry: agent(), nonresumable().")
                .body(BodyKind.REQUIRED).build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) {
            long count = a.integer("count");
            if (count < 1) {
                throw new StepFailedException("retry: count must be at least 1, got " + count);
            }
            List<?> conditions = a.isSet("conditions") ? (List<?>) a.get("conditions") : List.of();
            for (int attempt = 1; ; attempt++) {
                try {
                    return c.body().run();
                } catch (FlowInterruptedException e) {
                    throw e;
                } catch (RuntimeException e) {
                    if (attempt >= count || !retriable(e, conditions)) {
                        throw e;
                    }
                    c.console().println("ERROR: " + describe(e));
                    c.console().println("Retrying");
                }
            }
        }

        private static boolean retriable(RuntimeException e, List<?> conditions) {
            if (conditions.isEmpty()) {
                return true;
            }
            for (Object cond : conditions) {
                Object type = cond instanceof Map<?, ?> m ? m.get("type") : cond;
                if ("agent".equals(String.valueOf(type)) && e instanceof NodeLostException) {
                    return true;
                }
                if ("nonresumable".equals(String.valueOf(type)) && e instanceof NodeLostException) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code timeout(time: 5, unit: 'MINUTES') { ... }}. */
    public static final class Timeout implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("timeout")
                .help("Aborts the body when it runs longer than the limit (with activity: true, when it writes no log for"
                        + " that long); processes are killed and the build ends ABORTED unless the failure is caught.")
                .required("time", ParamType.INTEGER, "The limit.").positional("time")
                .choice("unit", false, "MINUTES", BasicSteps.UNITS, "The unit of time (default MINUTES).")
                .optional("activity", ParamType.BOOLEAN, false, "Count the time since the last log output instead.")
                .body(BodyKind.REQUIRED).build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) {
            long limit = TimeUnit.valueOf(a.string("unit")).toNanos(a.integer("time"));
            boolean activity = a.bool("activity");
            // Without activity the deadline is wall-clock from the call's first start, so that it survives a controller restart.
            long startMillis = activity ? 0 : c.service(dev.gantry.engine.run.StepStart.class)
                    .map(dev.gantry.engine.run.StepStart::firstStartMillis).orElseGet(System::currentTimeMillis);
            long start = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(Math.max(0, activity ? 0 : System.currentTimeMillis() - startMillis));
            try (Cancellation scope = c.newCancellation()) {
                Thread watcher = Thread.ofVirtual().name("timeout-" + c.id()).start(() -> {
                    try {
                        while (true) {
                            long deadline = (activity ? scope.lastActivityNanos() : start) + limit;
                            long left = deadline - System.nanoTime();
                            if (left <= 0) {
                                c.console().println("Cancelling nested steps due to timeout");
                                scope.cancel(Result.ABORTED, "Timeout has been exceeded");
                                return;
                            }
                            TimeUnit.NANOSECONDS.sleep(left);
                        }
                    } catch (InterruptedException e) {
                        // the body ended first
                    }
                });
                try {
                    return c.body().run(ContextChange.builder().cancellation(scope).build());
                } catch (RuntimeException e) {
                    if (scope.isCancelled() && !(e instanceof FlowInterruptedException)) {
                        throw new FlowInterruptedException(Result.ABORTED, "Timeout has been exceeded");
                    }
                    throw e;
                } finally {
                    watcher.interrupt();
                }
            }
        }
    }

    /** {@code waitUntil { condition }}. */
    public static final class WaitUntil implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("waitUntil")
                .help("Runs the body until it returns true, waiting longer between tries (from initialRecurrencePeriod ms, up to 15 s).")
                .optional("initialRecurrencePeriod", ParamType.INTEGER, 250L, "Milliseconds before the second try.")
                .optional("quiet", ParamType.BOOLEAN, false, "Do not log each new try.")
                .body(BodyKind.REQUIRED).build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) throws InterruptedException {
            long period = Math.max(1, a.integer("initialRecurrencePeriod"));
            while (true) {
                Object v = c.body().run();
                if (DefaultTypeTransformation.castToBoolean(v)) {
                    return null;
                }
                if (!a.bool("quiet")) {
                    c.console().println("Will try again after " + period + " ms");
                }
                TimeUnit.MILLISECONDS.sleep(period);
                c.checkInterrupted();
                period = Math.min(15_000, (long) (period * 1.2) + 1);
            }
        }
    }

    /** {@code catchError(buildResult: 'UNSTABLE', stageResult: 'UNSTABLE') { ... }}. */
    public static final class CatchError implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("catchError")
                .help("Catches a failure in the body, prints it, sets the build and stage results, and lets the pipeline go on.")
                .optional("buildResult", ParamType.STRING, "FAILURE", "The build result on failure (null: unchanged).")
                .optional("stageResult", ParamType.STRING, "SUCCESS", "The stage result on failure.")
                .optional("message", ParamType.STRING, null, "A message to print on failure.")
                .optional("catchInterruptions", ParamType.BOOLEAN, true, "Also catch aborts and timeouts.")
                .body(BodyKind.REQUIRED).build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) {
            Result build = a.get("buildResult") == null ? null : Result.parse(a.string("buildResult"));
            Result stage = a.get("stageResult") == null ? null : Result.parse(a.string("stageResult"));
            return runCatching(c, a.bool("catchInterruptions"), a.string("message"), false, build, stage);
        }
    }

    /**
     * Runs the body; on a failure (and on an interruption when {@code catchInterruptions}) prints
     * the message and the error, sets the results, and returns normally, as catchError and
     * warnError do.
     */
    static Object runCatching(StepContext c, boolean catchInterruptions, String message, boolean asWarning,
                              Result build, Result stage) {
        try {
            return c.body().run();
        } catch (FlowInterruptedException e) {
            if (!catchInterruptions) {
                throw e;
            }
            report(c, message, asWarning, e, build, stage);
        } catch (RuntimeException e) {
            report(c, message, asWarning, e, build, stage);
        }
        return null;
    }

    private static void report(StepContext c, String message, boolean asWarning, RuntimeException e, Result build, Result stage) {
        if (message != null) {
            if (asWarning) {
                c.console().warn(message);
            } else {
                c.console().println(message);
            }
        }
        c.console().println("ERROR: " + describe(e));
        if (build != null) {
            c.run().setResult(build);
        }
        if (stage != null) {
            c.run().setStageResult(stage);
        }
    }

    /** {@code warnError('message') { ... }}. */
    public static final class WarnError implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("warnError")
                .help("Catches a failure in the body, prints the message, and marks the build and stage UNSTABLE.")
                .required("message", ParamType.STRING, "A message to print on failure.").positional("message")
                .optional("catchInterruptions", ParamType.BOOLEAN, true, "Also catch aborts and timeouts.")
                .body(BodyKind.REQUIRED).build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) {
            return runCatching(c, a.bool("catchInterruptions"), a.string("message"), true, Result.UNSTABLE, Result.UNSTABLE);
        }
    }

    /** {@code withEnv(['A=1', 'PATH+TOOL=/opt/tool/bin']) { ... }}. */
    public static final class WithEnv implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("withEnv")
                .help("Sets environment variables for the body: NAME=value; NAME+SUFFIX=dir prepends to NAME (PATH+MAVEN=/opt/maven/bin).")
                .required("overrides", ParamType.STRING_LIST, "Entries NAME=value.").positional("overrides")
                .body(BodyKind.REQUIRED).build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) {
            Map<String, String> env = new LinkedHashMap<>();
            for (String entry : a.strings("overrides")) {
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new StepFailedException("withEnv: '" + entry + "' is not of the form NAME=value");
                }
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
            return c.body().run(ContextChange.builder().env(env).build());
        }
    }
}
