package dev.gantry.engine.jobs;

/**
 * The triggers a job definition declares (its {@code triggers:} field), one of each kind as in a
 * declarative {@code triggers { }} block. A null component is "not declared": the pipeline's own
 * trigger of that kind, if any, stays; a declared one replaces it, as {@link JobOptions} do.
 *
 * @param cron the timer's cron spec (Jenkins' syntax, {@code H} hashed from the job's name), or null
 * @param pollScm the SCM polling cron spec, or null
 * @param upstreamProjects comma-separated names of the jobs whose builds start this one, or null
 * @param threshold with {@code upstreamProjects}: the worst upstream result that still starts a
 *     build ({@code SUCCESS}, {@code UNSTABLE} or {@code FAILURE}); null without upstream
 */
public record JobTriggers(String cron, String pollScm, String upstreamProjects, String threshold) {
    /** Nothing declared. */
    public static final JobTriggers NONE = new JobTriggers(null, null, null, null);

    /** Whether no trigger is declared at all. */
    public boolean none() {
        return cron == null && pollScm == null && upstreamProjects == null;
    }
}
