package dev.gantry.engine.server;

import dev.gantry.api.Result;
import dev.gantry.engine.jobs.InvalidDefinitionException;
import dev.gantry.engine.jobs.JobCompiler;
import dev.gantry.engine.jobs.JobDefinition;
import dev.gantry.engine.jobs.JobOptions;
import dev.gantry.engine.jobs.JobSpec;
import dev.gantry.engine.jobs.ParameterValues;
import dev.gantry.engine.jobs.ScmSource;
import dev.gantry.engine.queue.BuildDiscarder;
import dev.gantry.engine.queue.BuildQueue;
import dev.gantry.engine.queue.QueueItem;
import dev.gantry.engine.store.Folder;
import dev.gantry.engine.pipeline.PipelineLinter;
import dev.gantry.engine.run.BuildRun;
import dev.gantry.engine.steps.StepLibrary;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildRepository;
import dev.gantry.engine.store.BuildScript;
import dev.gantry.engine.store.BuildScriptRepository;
import dev.gantry.engine.store.BuildStatus;
import dev.gantry.engine.store.JobRecord;
import dev.gantry.engine.store.JobRepository;
import dev.gantry.engine.store.LogStore;
import dev.gantry.engine.store.StaleVersionException;
import dev.gantry.engine.workspace.LocalArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The controller: jobs and builds in the store, a queue of builds (persisted as QUEUED builds,
 * so it survives a restart), and a dispatcher that starts each build that leaves the queue on a
 * virtual thread of its own. As Jenkins' pipelines take a flyweight executor, a build's script
 * holds no executor: executors belong to nodes, and a build waits for one where its script asks
 * for a node ({@code agent}, {@code node}), so a build waiting for an input, a downstream build
 * or an agent keeps no other build from starting. Thread-safe.
 */
public final class ControllerService implements Controller, BuildControl, AutoCloseable {
    private final JobRepository jobs;
    private final BuildRepository builds;
    private final LogStore logs;
    private final PipelineLinter linter;
    private final BiFunction<String, Integer, Path> artifactsDir;
    private final BuildExecutor executor;
    private final BuildLogs buildLogs;
    private final BuildScriptRepository scripts;
    private final BackupWriter backupWriter;
    private final PendingInputs inputs = new PendingInputs();
    private final Reruns reruns;
    private final BuildQueue queue = new BuildQueue(this::supersede);
    private final JobsAsCode jobsAsCode;
    private final Map<String, Object> discarding = new ConcurrentHashMap<>();
    private volatile ScmFetcher scmFetcher;
    private final Map<String, BuildRun> running = new ConcurrentHashMap<>();
    private final List<BuildRecord> toResume = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final Map<String, Boolean> cancelledQueued = new ConcurrentHashMap<>();
    private final Thread dispatcher;
    private final int builtInExecutors;
    private volatile boolean accepting = true;
    private final List<java.util.function.BooleanSupplier> readiness = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<BuildListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<JobRecord>> jobHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final BuildListener listener = new BuildListener() {
        @Override
        public void started(BuildRecord build, long queuedMillis) {
            listeners.forEach(l -> l.started(build, queuedMillis));
        }

        @Override
        public void completed(BuildRecord build) {
            listeners.forEach(l -> l.completed(build));
        }
    };

    /** Writes an online backup of the controller's home as a zip (see {@link dev.gantry.engine.store.Store#backup(java.io.OutputStream)}). */
    @FunctionalInterface
    public interface BackupWriter {
        void write(java.io.OutputStream out) throws IOException;
    }
    private volatile dev.gantry.engine.plugin.PluginSystem plugins;
    private volatile dev.gantry.engine.secrets.SecretsService secrets;
    private volatile dev.gantry.engine.scm.ControllerScm scm;

    /**
     * @param scripts where each build's script is recorded (what replay and restart run)
     * @param backupWriter what {@link #backup} calls
     * @param executorCount the built-in node's executors (what {@link #executorCount} reports)
     * @param workspaces where job workspaces live ({@code <workspaces>/<job name>})
     */
    public ControllerService(StepLibrary steps, JobRepository jobs, BuildRepository builds, LogStore logs,
                             BiFunction<String, Integer, Path> artifactsDir, Path workspaces, int executorCount,
                             BuildScriptRepository scripts, BackupWriter backupWriter) {
        this.jobs = jobs;
        this.builds = builds;
        this.logs = logs;
        this.linter = new PipelineLinter(steps);
        this.artifactsDir = artifactsDir;
        this.buildLogs = new BuildLogs(logs);
        this.scripts = scripts;
        this.backupWriter = backupWriter;
        this.reruns = new Reruns(builds, scripts, linter, (job, parameters, cause, script) ->
                enqueue(job, parameters, List.of(dev.gantry.engine.store.BuildCause.fromText(cause)), script));
        this.jobsAsCode = new JobsAsCode(new JobCompiler(linter), jobs, this::jobSaved);
        this.executor = new BuildExecutor(steps, builds, buildLogs, artifactsDir, workspaces, inputs);
        recover();
        this.builtInExecutors = executorCount;
        this.dispatcher = Thread.ofVirtual().name("dispatcher").start(this::dispatch);
    }

    /**
     * Checks the store ({@link StartupCheck}): QUEUED builds are queued again; RUNNING ones that
     * can resume wait for {@link #resumeInterrupted()}, the others end ABORTED with the reason.
     */
    private void recover() {
        StartupCheck.Outcome found = StartupCheck.run(jobs, builds, buildLogs, artifactsDir, executor.journalMode(),
                line -> System.out.println("gantry: " + line));
        toResume.addAll(found.resume());
        found.resume().forEach(b -> queue.resumed(b.job(), b.number()));
        for (BuildRecord b : found.queued()) {
            queue.recover(b, jobs.find(b.job()).map(j -> j.settings().options()).orElse(JobOptions.NONE));
        }
    }

    /**
     * Resumes the builds that were RUNNING when the controller stopped, each on its own thread, by running their scripts again against their journals. Call once,
     * after {@link #nodes} and the build services are set, so that the resumed builds find their
     * agents and services. Returns at once.
     */
    public void resumeInterrupted() {
        List<BuildRecord> list;
        synchronized (toResume) {
            list = new java.util.ArrayList<>(toResume);
            toResume.clear();
        }
        for (BuildRecord b : list) {
            Thread.ofVirtual().name("resume-" + b.job() + "-" + b.number()).start(() -> resume(b));
        }
    }

    private void resume(BuildRecord b) {
        String key = key(b.job(), b.number());
        Optional<JobRecord> job = jobs.find(b.job());
        if (job.isEmpty()) {
            return;
        }
        try {
            executor.execute(b, source(job.get(), b.number()), run -> running.put(key, run), true);
        } catch (RuntimeException e) {
            System.err.println("gantry: build " + key + " failed to resume: " + e);
        } finally {
            queue.finished(b.job(), b.number());
            running.remove(key);
            synchronized (running) {
                running.notifyAll();
            }
            builds.find(b.job(), b.number()).filter(r -> r.status() != BuildStatus.RUNNING).ifPresent(r -> listener.completed(r));
        }
    }

    /** Starts each build that leaves the queue on a thread of its own, while the controller accepts builds. */
    private void dispatch() {
        while (accepting) {
            BuildRecord next;
            try {
                next = queue.take(200);
            } catch (InterruptedException e) {
                return;
            }
            if (next == null) {
                continue;
            }
            Thread.ofVirtual().name("build " + key(next.job(), next.number())).start(() -> {
                try {
                    run(next);
                } finally {
                    queue.finished(next.job(), next.number());
                }
            });
        }
    }

    private void run(BuildRecord next) {
        if (!accepting) {
            return; // taken while the controller shuts down: it stays QUEUED in the store and starts after the restart
        }
        String key = key(next.job(), next.number());
        if (cancelledQueued.remove(key) != null) {
            return;
        }
        Optional<JobRecord> job = jobs.find(next.job());
        if (job.isEmpty()) {
            return;
        }
        listener.started(next, java.time.Duration.between(next.queuedAt(), java.time.Instant.now()).toMillis());
        try {
            executor.execute(next, source(job.get(), next.number()), run -> running.put(key, run));
        } catch (RuntimeException e) {
            System.err.println("gantry: build " + key + " failed to run: " + e);
        } finally {
            running.remove(key);
            synchronized (running) {
                running.notifyAll();
            }
            builds.find(next.job(), next.number()).ifPresent(b -> listener.completed(b));
            discardOldBuilds(job.get());
        }
    }

    /**
     * The build's pipeline: the one recorded for it (a replay or restart), else the job's, inline
     * or from SCM through the SCM plugin when one is installed; recorded as the build starts, so
     * that replay and restart run exactly this text.
     */
    private BuildExecutor.PipelineSource source(JobRecord job, int number) {
        return () -> {
            Optional<BuildScript> recorded = scripts.find(job.name(), number);
            return recorded.isPresent() ? recorded.get() : scripts.attachIfAbsent(job.name(), number, text(job));
        };
    }

    private String text(JobRecord job) throws BuildExecutor.PipelineUnavailableException {
        ScmSource scm = job.spec().scm();
        if (scm == null) {
            return job.script();
        }
        {
            ScmFetcher fetcher = scmFetcher;
            if (fetcher == null) {
                throw new BuildExecutor.PipelineUnavailableException("cannot fetch the pipeline of job '" + job.name() + "' from " + scm.describe()
                        + ": no SCM plugin is installed. Install the git plugin, or give the job its pipeline inline (script: in its definition)");
            }
            try {
                return fetcher.fetch(job.name(), scm);
            } catch (java.io.IOException | RuntimeException e) {
                throw new BuildExecutor.PipelineUnavailableException("cannot fetch the pipeline of job '" + job.name() + "' from " + scm.describe() + ": " + e.getMessage());
            }
        }
    }

    /** The job's buildDiscarder, after each of its builds; one run per job at a time. */
    private void discardOldBuilds(JobRecord job) {
        // The job as it is now: its discarder may have been changed while the build ran.
        synchronized (discarding.computeIfAbsent(job.name(), k -> new Object())) {
            try {
                var rotator = jobs.find(job.name()).map(j -> j.settings().options().buildDiscarder()).orElse(null);
                if (rotator != null) {
                    BuildDiscarder.apply(job.name(), rotator, builds, java.time.Instant.now());
                }
            } catch (RuntimeException e) {
                System.getLogger(ControllerService.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot discard old builds of " + job.name() + ": " + e.getMessage());
            }
        }
    }

    /** abortPrevious: a newer build is ready, the running one gives way. */
    private void supersede(String job, int number, String reason) {
        BuildRun run = running.get(key(job, number));
        if (run != null) {
            run.abort(reason);
        }
    }

    /**
     * Sets how SCM jobs get their pipeline (the git plugin, issue 04); without one, their builds
     * fail saying that no SCM plugin is installed.
     */
    public void scmFetcher(ScmFetcher fetcher) {
        this.scmFetcher = fetcher;
    }

    private static String key(String job, int number) {
        return job + "#" + number;
    }

    @Override
    public JobRecord putJob(String name, String script, Long expectedVersion) throws InvalidJobException, StaleVersionException {
        return jobsAsCode.put(new JobDefinition(name, script, JobSpec.EMPTY), expectedVersion);
    }

    /** After every save (PUT or apply): queued builds follow the new options, the script is compiled, the save hooks run. */
    private void jobSaved(JobRecord saved) {
        queue.optionsChanged(saved.name(), saved.settings().options());
        if (saved.spec().scm() == null) {
            try {
                // Builds run under the job's name as file name: compile now under the same key.
                dev.gantry.engine.run.ScriptRunner.precompile(saved.name(), saved.script());
            } catch (dev.gantry.engine.run.InvalidPipelineException e) {
                // Linted clean but not compilable (a JVM limit, say): the build will say so in its log.
            }
        }
        jobHooks.forEach(h -> h.accept(saved));
    }

    /** Adds what runs after a job was saved (its triggers are read then); called on the saving thread. */
    public void onJobSaved(java.util.function.Consumer<JobRecord> hook) {
        jobHooks.add(hook);
    }

    /** Adds what configures each build before it runs (services such as the build step's); see {@link BuildServices}. */
    public void buildServices(BuildServices services) {
        executor.addServices(services);
    }

    /**
     * Sets the controller's address ({@code http://host:port/}), from which build URLs are made;
     * null when it is not known.
     */
    public void rootUrl(String url) {
        executor.rootUrl(url);
    }

    @Override
    public JobRecord putJob(JobDefinition definition, Long expectedVersion) throws InvalidJobException, StaleVersionException {
        return jobsAsCode.put(definition, expectedVersion);
    }

    @Override
    public ApplyResult apply(String fileName, String text, boolean dryRun) throws InvalidDefinitionException, StaleVersionException {
        dev.gantry.engine.scm.ControllerScm s = scm;
        return jobsAsCode.apply(fileName, text, dryRun, s == null ? null : s.multibranch());
    }

    @Override
    public Optional<Folder> folder(String name) {
        return jobs.folder(name);
    }

    @Override
    public JobRepository.Children children(String folder) {
        return jobs.children(folder);
    }

    @Override
    public Folder saveFolder(String name, String description) {
        return jobs.saveFolder(name, description);
    }

    @Override
    public List<String> deleteFolder(String name, boolean recursive) {
        List<String> deleted = jobs.deleteFolder(name, recursive);
        queue.removeJobs(j -> j.startsWith(name + "/"));
        running.forEach((k, run) -> {
            if (k.startsWith(name + "/")) {
                run.abort("Aborted: the folder " + name + " was deleted");
            }
        });
        return deleted;
    }

    private volatile java.util.function.Supplier<List<Map<String, Object>>> nodeWaits = List::of;

    /** Sets where {@link #nodeWaits} come from (the agent service). */
    public void nodeWaits(java.util.function.Supplier<List<Map<String, Object>>> source) {
        this.nodeWaits = java.util.Objects.requireNonNull(source, "source");
    }

    @Override
    public List<Map<String, Object>> nodeWaits() {
        return nodeWaits.get();
    }

    @Override
    public List<QueueItem> queue() {
        return queue.items();
    }

    @Override
    public Optional<JobRecord> job(String name) {
        return jobs.find(name);
    }

    @Override
    public List<JobRecord> jobs() {
        return jobs.list();
    }

    @Override
    public boolean deleteJob(String name) {
        running.forEach((k, run) -> {
            if (k.startsWith(name + "#")) {
                run.abort("Aborted: the job was deleted");
            }
        });
        queue.removeJobs(name::equals);
        return jobs.delete(name);
    }

    @Override
    public BuildRecord trigger(String job, Map<String, Object> parameters, String cause) {
        return trigger(job, parameters, List.of(dev.gantry.engine.store.BuildCause.fromText(cause == null ? "Started by user" : cause)));
    }

    /**
     * Queues a build with its causes; returns once it has a number.
     *
     * @throws NoSuchElementException when the job does not exist
     * @throws IllegalStateException when the controller is shutting down
     */
    public BuildRecord trigger(String job, Map<String, Object> parameters, List<dev.gantry.engine.store.BuildCause> causes) {
        return enqueue(job, parameters, causes, null);
    }

    /** Queues a build; {@code script} (null: the job's script when it starts) is recorded before it can start. */
    private BuildRecord enqueue(String job, Map<String, Object> parameters, List<dev.gantry.engine.store.BuildCause> causes, BuildScript script) {
        if (!accepting) {
            throw new IllegalStateException("the controller is shutting down and starts no new builds");
        }
        JobRecord j = jobs.find(job).orElseThrow(() -> new NoSuchElementException("no job named " + job));
        Map<String, Object> values = ParameterValues.resolve(j.settings().parameters(), parameters);
        return queue.submit(job, values, j.settings().options(), () -> {
            BuildRecord b = builds.create(job, values, causes);
            if (script != null) {
                scripts.attach(job, b.number(), script);
            }
            return b;
        });
    }

    @Override
    public Optional<BuildRecord> build(String job, int number) {
        return builds.find(job, number);
    }

    @Override
    public List<BuildRecord> builds(String job, int offset, int limit) {
        return builds.list(job, offset, limit);
    }

    @Override
    public InputStream log(String job, int number, long offset) throws IOException {
        return logs.read(job, number, offset);
    }

    @Override
    public long logSize(String job, int number) throws IOException {
        return logs.size(job, number);
    }

    @Override
    public Optional<BuildLogs> buildLogs() {
        return Optional.of(buildLogs);
    }

    @Override
    public InputStream artifact(String job, int number, String path) throws IOException {
        if (builds.find(job, number).isEmpty()) {
            throw new java.nio.file.NoSuchFileException(job + " #" + number);
        }
        LocalArtifactStore store = new LocalArtifactStore(artifactsDir.apply(job, number));
        if (!store.list().contains(path)) {
            throw new java.nio.file.NoSuchFileException(path);
        }
        return store.open(path);
    }

    @Override
    public void artifactsZip(String job, int number, java.io.OutputStream out) throws IOException {
        if (builds.find(job, number).isEmpty()) {
            throw new java.nio.file.NoSuchFileException(job + " #" + number);
        }
        LocalArtifactStore store = new LocalArtifactStore(artifactsDir.apply(job, number));
        java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out);
        for (String path : store.list()) {
            zip.putNextEntry(new java.util.zip.ZipEntry(path));
            try (InputStream in = store.open(path)) {
                in.transferTo(zip);
            }
            zip.closeEntry();
        }
        zip.finish();
    }

    @Override
    public boolean stop(String job, int number) {
        String key = key(job, number);
        BuildRun run = running.get(key);
        if (run != null) {
            run.abort("Aborted by user");
            return true;
        }
        Optional<BuildRecord> b = builds.find(job, number);
        if (b.isPresent() && b.get().status() == BuildStatus.QUEUED) {
            cancelledQueued.put(key, Boolean.TRUE);
            queue.remove(job, number);
            builds.complete(job, number, Result.ABORTED.name(), 0, List.of(), Map.of(), List.of());
            buildLogs.changed(job, number);
            return true;
        }
        return false;
    }

    @Override
    public BuildRecord replay(String job, int number, String script) throws InvalidJobException {
        return reruns.replay(job, number, script);
    }

    @Override
    public BuildRecord restart(String job, int number, String stage) {
        return reruns.restart(job, number, stage);
    }

    @Override
    public List<dev.gantry.api.build.InputRequest> inputs(String job, int number) {
        return inputs.list(job, number);
    }

    @Override
    public void proceedInput(String job, int number, String inputId, Map<String, Object> values, String submitter) {
        inputs.proceed(job, number, inputId, values, submitter);
    }

    @Override
    public void abortInput(String job, int number, String inputId, String submitter) {
        inputs.abort(job, number, inputId, submitter);
    }

    @Override
    public void backup(java.io.OutputStream out) throws IOException {
        backupWriter.write(out);
    }

    /**
     * Places builds' nodes through {@code providers} (job, build number to provider) instead of
     * the built-in node alone, and offers {@code tasks} to their steps. Call before triggering builds.
     */
    public void nodes(BiFunction<String, Integer, dev.gantry.engine.run.NodeProvider> providers, dev.gantry.api.agent.NodeTasks tasks) {
        executor.nodes(providers, tasks);
    }

    /** Sets the credentials and script approvals the API manages (see {@link dev.gantry.engine.secrets.SecretsService#install}). */
    public void secrets(dev.gantry.engine.secrets.SecretsService service) {
        this.secrets = service;
    }

    @Override
    public Optional<dev.gantry.engine.secrets.SecretsService> secrets() {
        return Optional.ofNullable(secrets);
    }

    /** Sets the plugin system the API manages (its steps must be the live library this controller was given). */
    public void plugins(dev.gantry.engine.plugin.PluginSystem system) {
        this.plugins = system;
    }

    @Override
    public Optional<dev.gantry.engine.plugin.PluginSystem> plugins() {
        return Optional.ofNullable(plugins);
    }

    private volatile dev.gantry.engine.store.NotificationRuleRepository notificationRules;

    /** Sets the notification rules the API manages ({@link NotificationDispatcher} runs them). */
    public void notificationRules(dev.gantry.engine.store.NotificationRuleRepository rules) {
        this.notificationRules = rules;
    }

    @Override
    public Optional<dev.gantry.engine.store.NotificationRuleRepository> notificationRules() {
        return Optional.ofNullable(notificationRules);
    }

    /** Sets the source control the API's webhook and multibranch endpoints use. */
    public void scm(dev.gantry.engine.scm.ControllerScm service) {
        this.scm = service;
    }

    @Override
    public Optional<dev.gantry.engine.scm.ControllerScm> scm() {
        return Optional.ofNullable(scm);
    }

    /** Adds one who hears of builds starting and ending (metrics, triggers). */
    public void listener(BuildListener l) {
        listeners.add(l);
    }

    /** Builds waiting for an executor. */
    public int queueLength() {
        return queue.size();
    }

    /** How many builds run now (their scripts; those waiting for a node included). */
    public int runningCount() {
        return running.size();
    }

    /** The built-in node's executors, as configured. */
    public int executorCount() {
        return builtInExecutors;
    }

    /** Builds running now (the web UI's dashboard), oldest first. */
    public List<BuildRecord> runningBuilds() {
        return builds.withStatus(BuildStatus.RUNNING);
    }

    /** The test cases a completed build recorded (see {@link dev.gantry.engine.testresults.TestCaseFile}); empty when none or unknown. */
    public List<dev.gantry.engine.testresults.InMemoryTestResults.Entry> testCases(String job, int number) {
        if (builds.find(job, number).isEmpty()) {
            return List.of();
        }
        return dev.gantry.engine.testresults.TestCaseFile.read(artifactsDir.apply(job, number).getParent());
    }

    /**
     * One test case of a build (the first of class {@code className} named {@code name}), read from
     * its test file without looking the build up; empty when the build recorded no such test.
     */
    public Optional<dev.gantry.engine.testresults.InMemoryTestResults.Entry> testCase(String job, int number, String className, String name) {
        return dev.gantry.engine.testresults.TestCaseFile.find(artifactsDir.apply(job, number).getParent(), className, name);
    }

    @Override
    public List<dev.gantry.api.report.BuildReport> reports(String job, int number) {
        if (builds.find(job, number).isEmpty()) {
            return List.of();
        }
        return dev.gantry.engine.run.StoredBuildReports.read(artifactsDir.apply(job, number).getParent());
    }

    /** The pipeline text build {@code job #number} ran (what replay starts from), if recorded. */
    public Optional<String> buildScript(String job, int number) {
        return scripts.find(job, number).map(BuildScript::script);
    }

    /**
     * Adds a condition {@link #ready()} waits for besides taking builds: work the start-up does in
     * the background (plugins starting, the first administrator's password being hashed).
     *
     * @param condition asked on every readiness probe; must be cheap and never throw
     */
    public void readiness(java.util.function.BooleanSupplier condition) {
        readiness.add(java.util.Objects.requireNonNull(condition, "condition"));
    }

    @Override
    public boolean ready() {
        if (!accepting) {
            return false;
        }
        for (java.util.function.BooleanSupplier c : readiness) {
            if (!c.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stops taking builds; waits up to {@code graceMillis} for running builds to finish, then
     * suspends them: they stay RUNNING and resume when the controller starts again (with
     * journaling off they end ABORTED).
     */
    public void shutdown(long graceMillis) {
        accepting = false;
        long deadline = System.nanoTime() + graceMillis * 1_000_000;
        synchronized (running) {
            for (long left = graceMillis; !running.isEmpty() && left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
                try {
                    running.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        // Suspended, not ended: their journals take nothing more, so they resume at the next start.
        running.forEach((k, r) -> {
            executor.suspend(r.jobName(), r.number());
            r.abort("Suspended: the controller is shutting down; the build resumes when it starts again");
        });
        queue.close();
        try {
            dispatcher.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(0);
    }
}
