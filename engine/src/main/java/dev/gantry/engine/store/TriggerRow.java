package dev.gantry.engine.store;

/**
 * One trigger of a job as stored: a {@code cron} or {@code pollSCM} spec, or an {@code upstream}
 * list of job names with a threshold.
 *
 * @param job the job's full name
 * @param kind {@code cron}, {@code pollSCM} or {@code upstream}
 * @param spec the cron spec for cron and pollSCM, else null
 * @param upstreamProjects the comma-separated job names for upstream, else null
 * @param threshold for upstream, the worst result that still triggers (SUCCESS, UNSTABLE or FAILURE), else null
 */
public record TriggerRow(String job, String kind, String spec, String upstreamProjects, String threshold) {
}
