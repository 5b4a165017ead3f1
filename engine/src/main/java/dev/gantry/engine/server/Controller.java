package dev.gantry.engine.server;

import dev.gantry.engine.jobs.InvalidDefinitionException;
import dev.gantry.engine.jobs.JobDefinition;
import dev.gantry.engine.pipeline.Problem;
import dev.gantry.engine.queue.QueueItem;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.Folder;
import dev.gantry.engine.store.JobRecord;
import dev.gantry.engine.store.JobRepository;
import dev.gantry.engine.store.StaleVersionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the REST API and the CLI can ask of the controller. Thread-safe. Names are full job names
 * ({@code team-a/api}), already checked with {@link JobNames#check}.
 */
public interface Controller {

    /**
     * Creates or replaces a job after linting its script.
     *
     * @throws InvalidJobException with the lint problems when the script is not a valid pipeline
     * @throws StaleVersionException when {@code expectedVersion} is given and not current
     */
    JobRecord putJob(String name, String script, Long expectedVersion) throws InvalidJobException, StaleVersionException;

    /**
     * Creates or replaces a job from a full definition (description, SCM source, parameters,
     * options); the pipeline's own options and parameters are read when it is saved.
     *
     * @throws InvalidJobException with the script's problems (lint, and options that cannot be read without running it)
     * @throws StaleVersionException when {@code expectedVersion} is given and not current
     * @throws dev.gantry.engine.store.JobTreeConflictException when the name or a folder of it is taken by the other kind
     */
    JobRecord putJob(JobDefinition definition, Long expectedVersion) throws InvalidJobException, StaleVersionException;

    /**
     * Applies a file of job definitions (YAML or JSON): all of them, or nothing. Unchanged
     * definitions keep their version; folders are created as needed.
     *
     * @param dryRun check and report what would change, write nothing
     * @throws InvalidDefinitionException with every problem of the file, at its line and column
     * @throws StaleVersionException when a job was changed by someone else while applying
     * @throws dev.gantry.engine.store.JobTreeConflictException when a name or folder is taken by the other kind
     */
    ApplyResult apply(String fileName, String text, boolean dryRun) throws InvalidDefinitionException, StaleVersionException;

    /** What {@link #apply} did (or would do) to each job of the file, in file order. */
    record ApplyResult(List<Applied> jobs, boolean dryRun) {
    }

    /**
     * @param version the job's version; 0 for a multibranch project (it has none)
     * @param action {@code created}, {@code updated} or {@code unchanged}
     * @param kind {@code pipeline} (a job) or {@code multibranch} (a project, {@code kind: multibranch})
     * @param scanError why the scan of a multibranch project applied failed (the project is saved), or null
     */
    record Applied(String name, long version, String action, String kind, String scanError) {
        /** A job's outcome. */
        public Applied(String name, long version, String action) {
            this(name, version, action, "pipeline", null);
        }
    }

    Optional<JobRecord> job(String name);

    Optional<Folder> folder(String name);

    /** The folders and jobs directly in a folder ("" for the top level). */
    JobRepository.Children children(String folder);

    /**
     * Creates a folder (with its parents) or updates its description.
     *
     * @throws dev.gantry.engine.store.JobTreeConflictException when a job has its name or a parent's
     */
    Folder saveFolder(String name, String description);

    /**
     * Deletes a folder; with {@code recursive}, everything in it too (running builds are aborted).
     *
     * @return the jobs deleted
     * @throws java.util.NoSuchElementException when there is no such folder
     * @throws dev.gantry.engine.store.JobTreeConflictException when it is not empty and not {@code recursive}
     */
    List<String> deleteFolder(String name, boolean recursive);

    /** Builds waiting to start, oldest first, each with why it waits. */
    List<QueueItem> queue();

    /**
     * Builds that started and wait for an executor on a node their label expression matches, each
     * as {@code job}, {@code build}, {@code label}, {@code reason} and {@code since}; empty when
     * none wait or the controller has no agents (tests).
     */
    default List<java.util.Map<String, Object>> nodeWaits() {
        return List.of();
    }

    List<JobRecord> jobs();

    /** Deletes a job and its builds; false when there was none. */
    boolean deleteJob(String name);

    /**
     * Queues a build; returns once it has a number. Declared parameters get their defaults and
     * types; a trigger within the job's quiet period with the same parameters as a waiting build
     * is merged into it (that build is returned).
     *
     * @throws java.util.NoSuchElementException when the job does not exist
     * @throws IllegalArgumentException when a value does not fit its declared parameter
     */
    BuildRecord trigger(String job, Map<String, Object> parameters, String cause);

    Optional<BuildRecord> build(String job, int number);

    /** Builds of a job, newest first. */
    List<BuildRecord> builds(String job, int offset, int limit);

    /** The console log from {@code offset}; empty stream when there is no log yet. */
    InputStream log(String job, int number, long offset) throws IOException;

    /** The log's current size in bytes. */
    long logSize(String job, int number) throws IOException;

    /**
     * Logs beyond the console text: the step index, one step's log, live followers, log write
     * failures. Empty for controllers without them (test doubles).
     */
    default Optional<BuildLogs> buildLogs() {
        return Optional.empty();
    }

    /**
     * Opens one archived artifact of a build.
     *
     * @throws java.nio.file.NoSuchFileException when the build has no such artifact
     * @throws IOException when the path would leave the build's artifacts (it is refused, not followed)
     */
    InputStream artifact(String job, int number, String path) throws IOException;

    /** Writes every archived artifact of a build as one zip, paths kept. */
    void artifactsZip(String job, int number, java.io.OutputStream out) throws IOException;

    /** Aborts a queued or running build; false when it was not queued or running. */
    boolean stop(String job, int number);

    /** Whether the controller can run builds (database open, plugins started, executors running). */
    boolean ready();

    /** The controller's plugins, or empty when it runs without a plugin system (tests). */
    default Optional<dev.gantry.engine.plugin.PluginSystem> plugins() {
        return Optional.empty();
    }

    /** The notification rules of jobs and folders, or empty when this controller keeps none (tests). */
    default Optional<dev.gantry.engine.store.NotificationRuleRepository> notificationRules() {
        return Optional.empty();
    }

    /** The credentials and script approvals, or empty when the controller runs without them (tests). */
    default Optional<dev.gantry.engine.secrets.SecretsService> secrets() {
        return Optional.empty();
    }

    /** Source control on the controller (webhooks, polling, multibranch), or empty when it runs without (tests). */
    default Optional<dev.gantry.engine.scm.ControllerScm> scm() {
        return Optional.empty();
    }

    /**
     * The reports plugins attached to build {@code job #number}, in the order attached (as far
     * as stored: a running build's are those attached so far); empty when it has none or does
     * not exist.
     *
     * @throws java.io.UncheckedIOException when the build's reports file cannot be read
     */
    default List<dev.gantry.api.report.BuildReport> reports(String job, int number) {
        return List.of();
    }

    /** A job script that is not a valid pipeline, with every problem. */
    final class InvalidJobException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient List<Problem> problems;

        public InvalidJobException(List<Problem> problems) {
            super(problems.isEmpty() ? "invalid pipeline" : problems.get(0).line() + ":" + problems.get(0).column() + ": " + problems.get(0).message());
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }
}
