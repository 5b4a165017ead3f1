package dev.gantry.engine.steps;

import dev.gantry.api.Result;
import dev.gantry.api.build.BuildTrigger;
import dev.gantry.api.step.FlowInterruptedException;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepFailedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * What the {@code build} step does, through the {@link BuildTrigger} service of the controller:
 * queue the other job's build with its parameters, wait for it, and take on its result as
 * pipeline-build-step does (FAILURE, ABORTED and NOT_BUILT end the step with that result,
 * UNSTABLE makes the caller unstable and carries on).
 */
final class BuildStep {
    private BuildStep() {
    }

    static Object run(StepContext c, StepArguments a) throws InterruptedException {
        String job = a.string("job");
        BuildTrigger trigger = c.service(BuildTrigger.class).orElseThrow(() -> new StepFailedException(
                "build: triggering job '" + job + "' needs a controller (gantry server); a local gantry run has no other jobs"));
        Map<String, Object> parameters = parameters(a.get("parameters"));
        long quiet = a.isSet("quietPeriod") ? a.integer("quietPeriod") : 0;
        if (quiet < 0 || quiet > 86_400) {
            throw new StepFailedException("build: quietPeriod must be between 0 and 86400 seconds, not " + quiet);
        }
        BuildTrigger.Queued queued;
        try {
            queued = trigger.queue(job, parameters, (int) quiet);
        } catch (NoSuchElementException | IllegalStateException e) {
            throw new StepFailedException("build: " + e.getMessage());
        }
        c.console().println("Scheduling project: " + queued.job());
        boolean wait = a.bool("wait");
        if (!wait && !a.bool("waitForStart")) {
            return null;
        }
        c.console().println("Starting building: " + queued.job() + " #" + queued.number());
        BuildTrigger.Outcome outcome = trigger.await(queued, !wait);
        if (!wait) {
            return new DownstreamRun(outcome);
        }
        Result result = outcome.result();
        if (result != Result.SUCCESS && a.bool("propagate")) {
            String why = queued.job() + " #" + queued.number() + " completed with status " + result + " (propagate: false to ignore)";
            if (result == Result.UNSTABLE) {
                c.console().warn(why);
                c.run().setResult(Result.UNSTABLE);
                c.run().setStageResult(Result.UNSTABLE);
            } else if (result == Result.FAILURE) {
                throw new StepFailedException(why);
            } else {
                throw new FlowInterruptedException(result, why);
            }
        }
        return new DownstreamRun(outcome);
    }

    /** The parameters by name from {@code string(name:, value:)} and friends, or the legacy {@code [$class: 'StringParameterValue', ...]}. */
    static Map<String, Object> parameters(Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof List<?> list)) {
            throw new StepFailedException("build: parameters must be a list such as [string(name: 'X', value: 'y')], not " + value);
        }
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("name") instanceof CharSequence name)) {
                throw new StepFailedException("build: each parameter must be string(name: ..., value: ...), booleanParam(name: ..., value: ...),"
                        + " text(...), password(...) or choice(name: ..., value: ...), not " + o);
            }
            Object type = m.containsKey("type") ? m.get("type") : m.get("$class");
            Object v = m.get("value");
            switch (String.valueOf(type)) {
                case "string", "text", "password", "choice", "StringParameterValue", "TextParameterValue", "PasswordParameterValue" ->
                        out.put(name.toString(), v == null ? "" : v.toString());
                case "booleanParam", "BooleanParameterValue" -> {
                    if (v instanceof Boolean b) {
                        out.put(name.toString(), b);
                    } else if (v != null && (v.toString().equalsIgnoreCase("true") || v.toString().equalsIgnoreCase("false"))) {
                        out.put(name.toString(), Boolean.parseBoolean(v.toString()));
                    } else {
                        throw new StepFailedException("build: booleanParam '" + name + "' needs value: true or false, not " + v);
                    }
                }
                default -> throw new StepFailedException("build: parameter '" + name + "' is of type " + type
                        + ", which Gantry cannot pass yet; use string, text, password, choice or booleanParam");
            }
        }
        return out;
    }
}
