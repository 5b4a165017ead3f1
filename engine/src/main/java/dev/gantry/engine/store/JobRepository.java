package dev.gantry.engine.store;

import dev.gantry.engine.jobs.JobSettings;
import dev.gantry.engine.jobs.JobSpec;
import java.util.List;
import java.util.Optional;

/**
 * Jobs and the folders they live in (one aggregate: the job tree, since names and deletes cross
 * both). Thread-safe; every method is one transaction.
 */
public interface JobRepository {

    /**
     * One job to write.
     *
     * @param expectedVersion the version the caller read (0: the job must not exist yet), or null
     *     to overwrite whatever is there
     */
    record JobWrite(String name, String script, JobSpec spec, JobSettings settings, Long expectedVersion) {
    }

    /**
     * Creates the job (version 1) or replaces its script (version + 1); its folders are created
     * when missing.
     *
     * @param expectedVersion the version the caller read (0: the job must not exist yet), or null
     *     to overwrite whatever is there
     * @throws StaleVersionException when {@code expectedVersion} is not the current version
     * @throws JobTreeConflictException when the name or one of its folders is taken by the other kind
     */
    default JobRecord save(String name, String script, Long expectedVersion) throws StaleVersionException {
        return saveAll(List.of(new JobWrite(name, script, JobSpec.EMPTY, JobSettings.NONE, expectedVersion))).get(0);
    }

    /**
     * Writes every job in one transaction: all of them, or (on any exception) none. Missing
     * folders are created.
     *
     * @return the saved records, in the order of {@code writes}
     * @throws StaleVersionException when one expected version is not current
     * @throws JobTreeConflictException when a name or one of its folders is taken by the other kind
     */
    List<JobRecord> saveAll(List<JobWrite> writes) throws StaleVersionException;

    Optional<JobRecord> find(String name);

    /** All jobs, by name. */
    List<JobRecord> list();

    /** Deletes the job, its builds and their logs and artifacts; false when there was no such job. */
    boolean delete(String name);

    /**
     * Creates a folder (and its parents) or, when it exists, sets its description if one is given.
     *
     * @param description null to leave it as it is
     * @throws JobTreeConflictException when a job has the folder's name or a parent's name
     */
    Folder saveFolder(String name, String description);

    Optional<Folder> folder(String name);

    /**
     * The folders and jobs directly in a folder, by name.
     *
     * @param name the folder, or "" for the top level
     */
    Children children(String name);

    /** A folder's direct sub-folders and jobs. */
    record Children(List<Folder> folders, List<JobRecord> jobs) {
    }

    /**
     * Deletes a folder, with everything in it when {@code recursive}: sub-folders, jobs, their
     * builds, logs and artifacts.
     *
     * @return the full names of the jobs deleted; empty when the folder was empty
     * @throws java.util.NoSuchElementException when there is no such folder
     * @throws JobTreeConflictException when it is not empty and {@code recursive} is false
     */
    List<String> deleteFolder(String name, boolean recursive);
}
