package dev.gantry.engine.server;

import dev.gantry.engine.jobs.MultibranchDefinition;

/**
 * What applying a definition file needs of multibranch projects ({@code kind: multibranch}):
 * checks before anything of the file is written, and saving (and scanning) each project after
 * its jobs. Implemented by the SCM service; thread-safe.
 */
public interface MultibranchProjects {

    /** Why {@code d} cannot be applied (the name is a job, a folder of other jobs, inside another project), or null. */
    String problem(MultibranchDefinition d);

    /** Why job {@code name} cannot be saved from a file (it is inside a multibranch project), or null. */
    String jobProblem(String name);

    /**
     * Saves {@code d} and scans it, unless it is unchanged or {@code dryRun}; a failed scan is
     * reported in the result (the project is saved, as by {@code PUT /api/v1/multibranch/{name}}).
     */
    Controller.Applied apply(MultibranchDefinition d, boolean dryRun);
}
