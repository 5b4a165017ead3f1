package dev.gantry.engine.jobs;

import java.util.List;

/**
 * What the controller honours for a job: the pipeline's own {@code parameters { }} and
 * {@code options { }}, read when the job is saved, with the definition file's declarations
 * replacing them name by name.
 */
public record JobSettings(List<ParameterDefinition> parameters, JobOptions options) {
    /** Nothing declared anywhere. */
    public static final JobSettings NONE = new JobSettings(List.of(), JobOptions.NONE);

    public JobSettings {
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
        options = options == null ? JobOptions.NONE : options;
    }
}
