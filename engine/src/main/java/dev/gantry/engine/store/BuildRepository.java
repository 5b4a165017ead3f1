package dev.gantry.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds of jobs. Thread-safe; every method is one transaction. */
public interface BuildRepository {

    /**
     * Queues a new build with the job's next number (1, 2, ... never reused, also after deletes
     * of builds).
     *
     * @throws java.util.NoSuchElementException when the job does not exist
     */
    default BuildRecord create(String job, Map<String, Object> parameters, String cause) {
        return create(job, parameters, List.of(BuildCause.fromText(cause)));
    }

    /**
     * Queues a new build with its causes; the first cause's text becomes {@link BuildRecord#cause()}.
     *
     * @param causes at least one
     * @throws java.util.NoSuchElementException when the job does not exist
     */
    BuildRecord create(String job, Map<String, Object> parameters, List<BuildCause> causes);

    /**
     * Stores what the pipeline left on a build (display name, description, variables); replaces
     * what was stored before.
     *
     * @throws java.util.NoSuchElementException when the build does not exist
     */
    void saveDetails(String job, int number, BuildDetails details);

    /** What {@link #saveDetails} stored, or empty details; empty when the build does not exist. */
    Optional<BuildDetails> details(String job, int number);

    /** QUEUED -> RUNNING. */
    void markRunning(String job, int number, Instant startedAt);

    /** Replaces the stage graph while the build runs (the live view). */
    void updateStages(String job, int number, List<StageRow> stages);

    /** RUNNING (or QUEUED, when cancelled before it started) -> COMPLETED. */
    void complete(String job, int number, String result, long durationMillis, List<StageRow> stages,
                  Map<String, Integer> tests, List<String> artifacts);

    Optional<BuildRecord> find(String job, int number);

    /** Builds of a job, newest first. */
    List<BuildRecord> list(String job, int offset, int limit);

    /** Every build in a status, oldest first (the queue after a restart). */
    List<BuildRecord> withStatus(BuildStatus status);

    /** How many builds the job has. */
    int count(String job);

    /**
     * Deletes a completed build: its record, log and artifacts (a build discarder's work). Builds
     * that are queued or running are never deleted.
     *
     * @return false when there is no such build or it is not COMPLETED
     */
    boolean delete(String job, int number);

    /**
     * Deletes a completed build's archived artifacts and empties its artifact list; its record and
     * log stay.
     *
     * @return false when there is no such build, it is not COMPLETED, or it had no artifacts
     */
    boolean deleteArtifacts(String job, int number);
}
