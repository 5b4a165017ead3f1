package dev.gantry.engine.jobs;

import java.util.List;

/**
 * What a job definition declares besides its name and inline script: a description, where the
 * pipeline comes from when it is not inline, parameters and options. Parameters and options here
 * are exactly those the definition file names; the pipeline's own come on top in {@link JobSettings}.
 *
 * @param description may be null
 * @param scm null for an inline script
 * @param parameters declared in the definition (not in the pipeline)
 * @param options declared in the definition (not in the pipeline)
 * @param triggers declared in the definition, each kind replacing the pipeline's of that kind
 */
public record JobSpec(String description, ScmSource scm, List<ParameterDefinition> parameters, JobOptions options, JobTriggers triggers) {
    /** A job defined by its script alone ({@code PUT /jobs/{name}} with only a script). */
    public static final JobSpec EMPTY = new JobSpec(null, null, List.of(), JobOptions.NONE, JobTriggers.NONE);

    public JobSpec {
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
        options = options == null ? JobOptions.NONE : options;
        triggers = triggers == null ? JobTriggers.NONE : triggers;
    }

    /** A definition without triggers of its own. */
    public JobSpec(String description, ScmSource scm, List<ParameterDefinition> parameters, JobOptions options) {
        this(description, scm, parameters, options, JobTriggers.NONE);
    }
}
