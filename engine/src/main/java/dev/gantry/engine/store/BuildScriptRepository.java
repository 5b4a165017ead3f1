package dev.gantry.engine.store;

import java.util.Optional;

/**
 * The script each build ran, stored once per distinct text. Thread-safe; every method is one
 * transaction.
 */
public interface BuildScriptRepository {

    /**
     * Records what build {@code job #number} runs, replacing an earlier record.
     *
     * @throws java.util.NoSuchElementException when the build does not exist
     * @throws IllegalArgumentException when the script is longer than the store holds
     */
    void attach(String job, int number, BuildScript script);

    /**
     * Records the job's script for a build that has none yet, and returns what the build runs
     * either way: an ordinary build records its job's script when it starts, a replay or restart
     * keeps the script it was queued with.
     *
     * @throws java.util.NoSuchElementException when the build does not exist
     */
    BuildScript attachIfAbsent(String job, int number, String jobScript);

    /** What the build ran or runs; empty for a build that has not started, or when there is none. */
    Optional<BuildScript> find(String job, int number);

    /** How many distinct scripts are stored (for tests and measurements). */
    int distinctScripts();
}
