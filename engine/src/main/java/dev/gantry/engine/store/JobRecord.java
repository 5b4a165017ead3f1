package dev.gantry.engine.store;

import dev.gantry.engine.jobs.JobSettings;
import dev.gantry.engine.jobs.JobSpec;
import java.time.Instant;

/**
 * A pipeline job as stored: its full name ({@code team-a/api}), inline script (empty for a job
 * whose pipeline comes from SCM), the version that optimistic locking compares (1 on creation,
 * +1 on every update), what its definition declares, and the settings the controller honours.
 */
public record JobRecord(String name, String script, long version, Instant created, Instant updated, JobSpec spec, JobSettings settings) {

    public JobRecord {
        spec = spec == null ? JobSpec.EMPTY : spec;
        settings = settings == null ? JobSettings.NONE : settings;
    }

    /** A job defined by its script alone. */
    public JobRecord(String name, String script, long version, Instant created, Instant updated) {
        this(name, script, version, created, updated, JobSpec.EMPTY, JobSettings.NONE);
    }
}
