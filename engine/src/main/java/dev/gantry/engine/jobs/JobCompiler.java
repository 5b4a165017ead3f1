package dev.gantry.engine.jobs;

import dev.gantry.engine.pipeline.LintResult;
import dev.gantry.engine.pipeline.PipelineLinter;
import dev.gantry.engine.pipeline.PipelineProperties;
import dev.gantry.engine.pipeline.PipelineProperties.Arg;
import dev.gantry.engine.pipeline.PipelineProperties.Computed;
import dev.gantry.engine.pipeline.PipelineProperties.Invocation;
import dev.gantry.engine.pipeline.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a job definition into what the controller stores and honours: lints the inline script,
 * reads the pipeline's own {@code options { }} and {@code parameters { }}, and lays the
 * definition's declarations over them ({@link JobSettings}). Thread-safe.
 */
public final class JobCompiler {
    private final PipelineLinter linter;

    public JobCompiler(PipelineLinter linter) {
        this.linter = Objects.requireNonNull(linter, "linter");
    }

    /**
     * A compiled definition.
     *
     * @param problems the script's problems (lint, and options the controller cannot read without
     *     running the script), at their line and column in the script; empty when it may be saved
     */
    public record Compiled(JobDefinition definition, JobSettings settings, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Compiles {@code d}; never throws for a bad script (its problems are in the result). */
    public Compiled compile(JobDefinition d) {
        if (d.script() == null) {
            // An SCM job's pipeline is fetched when it builds; until then the definition is all there is.
            return new Compiled(d, new JobSettings(d.spec().parameters(), JobOptions.NONE.overriddenBy(d.spec().options())), List.of());
        }
        LintResult lint = linter.lint(d.name(), d.script());
        if (!lint.ok()) {
            return new Compiled(d, JobSettings.NONE, lint.problems());
        }
        List<Problem> problems = new ArrayList<>();
        PipelineProperties.Declared declared = PipelineProperties.read(d.script());
        JobOptions fromPipeline = options(declared.options(), problems);
        List<ParameterDefinition> parameters = merge(parameters(declared.parameters()), d.spec().parameters());
        problems.sort(null);
        return new Compiled(d, new JobSettings(parameters, fromPipeline.overriddenBy(d.spec().options())), List.copyOf(problems));
    }

    /** The pipeline's parameters with the definition's replacing those of the same name, new ones after them. */
    static List<ParameterDefinition> merge(List<ParameterDefinition> pipeline, List<ParameterDefinition> definition) {
        Map<String, ParameterDefinition> byName = new LinkedHashMap<>();
        pipeline.forEach(p -> byName.put(p.name(), p));
        definition.forEach(p -> byName.put(p.name(), p));
        return List.copyOf(byName.values());
    }

    static JobOptions options(List<Invocation> calls, List<Problem> problems) {
        Integer quiet = null;
        Boolean serial = null;
        Boolean abort = null;
        LogRotator rotator = null;
        for (Invocation o : calls) {
            switch (o.name()) {
                case "quietPeriod" -> {
                    Arg a = o.positional().isEmpty() ? o.named().get("seconds") : o.positional().get(0);
                    if (a != null && a.value() instanceof Number n && n.longValue() >= 0 && n.longValue() <= 31_536_000) {
                        quiet = n.intValue();
                    } else if (a != null) {
                        problems.add(new Problem(a.line(), a.column(), "quietPeriod must be a whole number of seconds written in the pipeline"
                                + " (between 0 and 31536000), not " + describe(a) + ": the controller reads it when the job is saved, without running the script"));
                    }
                }
                case "disableConcurrentBuilds" -> {
                    serial = true;
                    abort = false;
                    Arg a = o.named().get("abortPrevious");
                    if (a != null && a.value() instanceof Boolean b) {
                        abort = b;
                    } else if (a != null) {
                        problems.add(new Problem(a.line(), a.column(), "abortPrevious must be true or false written in the pipeline, not "
                                + describe(a) + ": the controller reads it when the job is saved"));
                    }
                }
                case "buildDiscarder" -> rotator = rotator(o, problems);
                default -> { }
            }
        }
        return new JobOptions(quiet, serial, abort, rotator);
    }

    private static LogRotator rotator(Invocation o, List<Problem> problems) {
        Arg strategy = o.positional().isEmpty() ? o.named().get("strategy") : o.positional().get(0);
        if (strategy == null || !(strategy.value() instanceof Invocation lr) || !lr.name().equals("logRotator")) {
            if (strategy != null) {
                problems.add(new Problem(strategy.line(), strategy.column(), "buildDiscarder takes logRotator(...) written in the pipeline,"
                        + " e.g. buildDiscarder(logRotator(numToKeepStr: '10')), not " + describe(strategy)));
            }
            return null;
        }
        int days = keep(lr, "daysToKeepStr", problems);
        int num = keep(lr, "numToKeepStr", problems);
        int artifactDays = keep(lr, "artifactDaysToKeepStr", problems);
        int artifactNum = keep(lr, "artifactNumToKeepStr", problems);
        LogRotator r = new LogRotator(days, num, artifactDays, artifactNum);
        return r.limitsSomething() ? r : null;
    }

    /** Jenkins' rule: a blank value, or -1, is no limit; otherwise a whole number. */
    private static int keep(Invocation lr, String key, List<Problem> problems) {
        Arg a = lr.named().get(key);
        if (a == null || a.value() == null) {
            return LogRotator.UNLIMITED;
        }
        Object v = a.value();
        if (v instanceof Number n && n.longValue() >= -1 && n.longValue() <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        if (v instanceof String s) {
            if (s.isBlank()) {
                return LogRotator.UNLIMITED;
            }
            try {
                int n = Integer.parseInt(s.strip());
                if (n >= -1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add(new Problem(a.line(), a.column(), key + " of logRotator must be a whole number such as '10' (blank or '-1' for no limit), not "
                + describe(a)));
        return LogRotator.UNLIMITED;
    }

    static List<ParameterDefinition> parameters(List<Invocation> calls) {
        List<ParameterDefinition> out = new ArrayList<>();
        for (Invocation p : calls) {
            Arg name = p.named().get("name");
            if (name == null || !(name.value() instanceof String n)) {
                continue; // a computed name: the pipeline declares it when it runs
            }
            String description = p.named().get("description") != null && p.named().get("description").value() instanceof String s ? s : null;
            Arg dflt = p.named().get("defaultValue");
            Object defaultValue = dflt == null ? null : dflt.value() instanceof Computed ? null : dflt.value();
            switch (p.name()) {
                case "booleanParam" -> out.add(new ParameterDefinition("booleanParam", n,
                        dflt == null ? Boolean.FALSE : defaultValue instanceof Boolean b ? b : null, description, List.of(), false));
                case "choice" -> out.add(new ParameterDefinition("choice", n, null, description, choices(p.named().get("choices")), false));
                case "string", "text", "password" -> out.add(new ParameterDefinition(p.name(), n,
                        dflt == null ? "" : defaultValue == null ? null : String.valueOf(defaultValue), description, List.of(),
                        p.name().equals("string") && p.named().get("trim") != null && Boolean.TRUE.equals(p.named().get("trim").value())));
                default -> { }
            }
        }
        return out;
    }

    private static List<String> choices(Arg a) {
        List<String> out = new ArrayList<>();
        if (a == null) {
            return out;
        }
        if (a.value() instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Arg item && !(item.value() instanceof Computed) && item.value() != null) {
                    out.add(String.valueOf(item.value()));
                } else {
                    return List.of(); // computed choices are known only when the script runs
                }
            }
        } else if (a.value() instanceof String s) {
            for (String line : s.split("\n")) {
                if (!line.isEmpty()) {
                    out.add(line);
                }
            }
        }
        return out;
    }

    private static String describe(Arg a) {
        Object v = a.value();
        if (v instanceof Computed c) {
            return "'" + c.text() + "' (computed when the script runs)";
        }
        if (v instanceof Invocation i) {
            return i.name() + "(...)";
        }
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }
}
