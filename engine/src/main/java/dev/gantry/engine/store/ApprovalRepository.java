package dev.gantry.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Method signatures the pipeline sandbox rejected, with where they were first seen, how often,
 * and an administrator's decision. Thread-safe.
 */
public interface ApprovalRepository {

    /**
     * One signature.
     *
     * @param status {@code PENDING}, {@code APPROVED} or {@code DENIED}
     * @param approvable whether approving it lets it pass (some rejections are unconditional)
     * @param firstLine the line of {@code firstScript} that ran it first, or null when not known
     */
    record Row(String signature, String status, boolean approvable, String firstJob, Integer firstBuild, String firstScript,
               long hits, Instant firstSeen, Instant lastSeen, Instant decided, Integer firstLine) {
        /** A row without the line. */
        public Row(String signature, String status, boolean approvable, String firstJob, Integer firstBuild, String firstScript,
                   long hits, Instant firstSeen, Instant lastSeen, Instant decided) {
            this(signature, status, approvable, firstJob, firstBuild, firstScript, hits, firstSeen, lastSeen, decided, null);
        }
    }

    List<Row> list();

    Optional<Row> find(String signature);

    /**
     * Counts a rejection: inserts a PENDING row with this job, build and script as the first
     * sighting, or adds one to the hits of the existing row.
     */
    default void rejected(String signature, boolean approvable, String job, Integer build, String script, Instant when) {
        rejected(signature, approvable, job, build, script, null, when);
    }

    /** As {@link #rejected(String, boolean, String, Integer, String, Instant)}, with the script's line (null: not known). */
    void rejected(String signature, boolean approvable, String job, Integer build, String script, Integer line, Instant when);

    /**
     * Sets the decision (APPROVED, DENIED or PENDING), inserting the row when the signature was
     * never seen (an administrator may approve ahead of time).
     */
    void decide(String signature, String status, boolean approvable, Instant when);

    /** Removes the row; false when there was none. */
    boolean delete(String signature);
}
