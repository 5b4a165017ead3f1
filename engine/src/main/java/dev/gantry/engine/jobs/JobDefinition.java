package dev.gantry.engine.jobs;

import java.util.Objects;

/**
 * A job as a definition file or a {@code PUT} declares it: its full name, its inline script
 * (null when it comes from SCM), and the rest of the declaration.
 */
public record JobDefinition(String name, String script, JobSpec spec) {
    public JobDefinition {
        Objects.requireNonNull(name, "name");
        spec = spec == null ? JobSpec.EMPTY : spec;
        if ((script == null) == (spec.scm() == null)) {
            throw new IllegalArgumentException("job '" + name + "' needs exactly one of an inline script and an SCM source");
        }
    }
}
