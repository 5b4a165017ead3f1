package dev.gantry.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A build as stored.
 *
 * @param result null until COMPLETED (SUCCESS, UNSTABLE, FAILURE, NOT_BUILT, ABORTED)
 * @param startedAt null while QUEUED
 * @param durationMillis 0 until COMPLETED
 * @param parameters the parameters it was triggered with (JSON-friendly values)
 * @param stages the stage graph, in start order (empty until known)
 * @param tests test totals {@code total, failed, skipped, passed}, or empty when none were recorded
 * @param artifacts archived artifact paths, sorted
 * @param cause why it was started ("Started by user", "Started by timer", ...): the first cause's text
 * @param causes every cause, first the one {@code cause} describes; never null
 */
public record BuildRecord(String job, int number, BuildStatus status, String result, Instant queuedAt,
                          Instant startedAt, long durationMillis, Map<String, Object> parameters,
                          List<StageRow> stages, Map<String, Integer> tests, List<String> artifacts, String cause,
                          List<BuildCause> causes) {

    public BuildRecord {
        causes = causes == null || causes.isEmpty() ? List.of(BuildCause.fromText(cause)) : List.copyOf(causes);
    }

    /** A record whose only cause is the one {@code cause} describes ({@link BuildCause#fromText}). */
    public BuildRecord(String job, int number, BuildStatus status, String result, Instant queuedAt,
                       Instant startedAt, long durationMillis, Map<String, Object> parameters,
                       List<StageRow> stages, Map<String, Integer> tests, List<String> artifacts, String cause) {
        this(job, number, status, result, queuedAt, startedAt, durationMillis, parameters, stages, tests, artifacts, cause, null);
    }
}
