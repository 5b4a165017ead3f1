package dev.gantry.engine.store;

import java.time.Instant;
import java.util.List;

/** The triggers of jobs, and the timer's claims on minutes. Thread-safe; every method is one transaction. */
public interface TriggerRepository {

    /**
     * Replaces every trigger of {@code job} with {@code triggers} (their {@code job} is ignored).
     *
     * @throws java.util.NoSuchElementException when the job does not exist
     */
    void replace(String job, List<TriggerRow> triggers);

    /** The triggers of one job, in the order they were written; empty when it has none or does not exist. */
    List<TriggerRow> of(String job);

    /** Every trigger of every job of {@code kind}, by job name. */
    List<TriggerRow> ofKind(String kind);

    /**
     * Claims {@code minute} for a timer start of {@code job}: true only for the first claim of a
     * minute later than every minute claimed before for the job. The claim is committed before
     * this returns, so a restart never starts a second build for the same minute.
     *
     * @return false when the minute (or a later one) was claimed already, or the job is gone
     */
    boolean claimTimerMinute(String job, Instant minute);
}
