package dev.gantry.engine.store;

import java.util.List;
import java.util.Optional;

/** Jobs. Thread-safe; every method is one transaction. */
public interface JobRepository {

    /**
     * Creates the job (version 1) or replaces its script (version + 1).
     *
     * @param expectedVersion the version the caller read (0: the job must not exist yet), or null
     *     to overwrite whatever is there
     * @throws StaleVersionException when {@code expectedVersion} is not the current version
     */
    JobRecord save(String name, String script, Long expectedVersion) throws StaleVersionException;

    Optional<JobRecord> find(String name);

    /** All jobs, by name. */
    List<JobRecord> list();

    /** Deletes the job, its builds and their logs and artifacts; false when there was no such job. */
    boolean delete(String name);
}
