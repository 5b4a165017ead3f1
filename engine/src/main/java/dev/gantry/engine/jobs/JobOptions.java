package dev.gantry.engine.jobs;

/**
 * The job options the controller honours (Jenkins' {@code options { }} of the same names). A null
 * component is "not declared": {@link #overriddenBy} lets a definition file replace exactly the
 * options it names.
 *
 * @param quietPeriod seconds a new build waits in the queue before it may start, or null
 * @param disableConcurrentBuilds whether builds of the job run one at a time, or null
 * @param abortPrevious with {@code disableConcurrentBuilds}: abort the running build when a newer
 *     one is ready to start instead of waiting for it; null when not declared
 * @param buildDiscarder which old builds are deleted after each build, or null to keep all
 */
public record JobOptions(Integer quietPeriod, Boolean disableConcurrentBuilds, Boolean abortPrevious, LogRotator buildDiscarder) {
    /** Nothing declared. */
    public static final JobOptions NONE = new JobOptions(null, null, null, null);

    /** These options with every option {@code over} declares replacing this one's. */
    public JobOptions overriddenBy(JobOptions over) {
        if (over == null) {
            return this;
        }
        boolean concurrency = over.disableConcurrentBuilds != null;
        return new JobOptions(over.quietPeriod != null ? over.quietPeriod : quietPeriod,
                concurrency ? over.disableConcurrentBuilds : disableConcurrentBuilds,
                concurrency ? over.abortPrevious : abortPrevious,
                over.buildDiscarder != null ? over.buildDiscarder : buildDiscarder);
    }

    /** The quiet period in seconds; 0 when not declared. */
    public int quietSeconds() {
        return quietPeriod == null ? 0 : quietPeriod;
    }

    /** Whether builds of the job must not run concurrently. */
    public boolean serial() {
        return Boolean.TRUE.equals(disableConcurrentBuilds);
    }

    /** Whether a newer build aborts the running one (only with {@link #serial()}). */
    public boolean abortsPrevious() {
        return serial() && Boolean.TRUE.equals(abortPrevious);
    }
}
