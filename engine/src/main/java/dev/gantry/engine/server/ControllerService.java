package dev.gantry.engine.server;

import dev.gantry.api.Result;
import dev.gantry.engine.pipeline.LintResult;
import dev.gantry.engine.pipeline.PipelineLinter;
import dev.gantry.engine.run.BuildRun;
import dev.gantry.engine.steps.StepLibrary;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildRepository;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiFunction;

/**
 * The controller: jobs and builds in the store, a queue of builds (persisted as QUEUED builds,
 * so it survives a restart) served by a fixed number of executors on the built-in node.
 * Thread-safe.
 */
public final class ControllerService implements Controller, AutoCloseable {
    private final JobRepository jobs;
    private final BuildRepository builds;
    private final LogStore logs;
    private final PipelineLinter linter;
    private final BiFunction<String, Integer, Path> artifactsDir;
    private final BuildExecutor executor;
    private final BlockingQueue<BuildRecord> queue = new LinkedBlockingQueue<>();
    private final Map<String, BuildRun> running = new ConcurrentHashMap<>();
    private final Map<String, Boolean> cancelledQueued = new ConcurrentHashMap<>();
    private final Thread[] executors;
    private volatile boolean accepting = true;
    private volatile BuildListener listener = new BuildListener() { };
    private volatile dev.gantry.engine.plugin.PluginSystem plugins;

    /**
     * @param executorCount how many builds run at once on the built-in node
     * @param workspaces where job workspaces live ({@code <workspaces>/<job name>})
     */
    public ControllerService(StepLibrary steps, JobRepository jobs, BuildRepository builds, LogStore logs,
                             BiFunction<String, Integer, Path> artifactsDir, Path workspaces, int executorCount) {
        this.jobs = jobs;
        this.builds = builds;
        this.logs = logs;
        this.linter = new PipelineLinter(steps);
        this.artifactsDir = artifactsDir;
        this.executor = new BuildExecutor(steps, builds, logs, artifactsDir, workspaces);
        recover();
        this.executors = new Thread[executorCount];
        for (int i = 0; i < executorCount; i++) {
            executors[i] = Thread.ofVirtual().name("executor-" + i).start(this::serve);
        }
    }

    /** Builds RUNNING when the controller stopped cannot resume yet (issue 07): they end ABORTED; QUEUED ones are queued again. */
    private void recover() {
        for (BuildRecord b : builds.withStatus(BuildStatus.RUNNING)) {
            builds.complete(b.job(), b.number(), Result.ABORTED.name(), 0, b.stages(), b.tests(), b.artifacts());
        }
        queue.addAll(builds.withStatus(BuildStatus.QUEUED));
    }

    private void serve() {
        while (accepting) {
            BuildRecord next;
            try {
                next = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next == null) {
                continue;
            }
            String key = key(next.job(), next.number());
            if (cancelledQueued.remove(key) != null) {
                continue;
            }
            Optional<JobRecord> job = jobs.find(next.job());
            if (job.isEmpty()) {
                continue;
            }
            listener.started(next, java.time.Duration.between(next.queuedAt(), java.time.Instant.now()).toMillis());
            try {
                executor.execute(next, job.get().script(), run -> running.put(key, run));
            } catch (RuntimeException e) {
                System.err.println("gantry: build " + key + " failed to run: " + e);
            } finally {
                running.remove(key);
                synchronized (running) {
                    running.notifyAll();
                }
                builds.find(next.job(), next.number()).ifPresent(b -> listener.completed(b));
            }
        }
    }

    private static String key(String job, int number) {
        return job + "#" + number;
    }

    @Override
    public JobRecord putJob(String name, String script, Long expectedVersion) throws InvalidJobException, StaleVersionException {
        LintResult lint = linter.lint(name, script);
        if (!lint.ok()) {
            throw new InvalidJobException(lint.problems());
        }
        JobRecord saved = jobs.save(name, script, expectedVersion);
        try {
            // Builds run under the job's name as file name: compile now under the same key.
            dev.gantry.engine.run.ScriptRunner.precompile(name, script);
        } catch (dev.gantry.engine.run.InvalidPipelineException e) {
            // Linted clean but not compilable (a JVM limit, say): the build will say so in its log.
        }
        return saved;
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
        return jobs.delete(name);
    }

    @Override
    public BuildRecord trigger(String job, Map<String, Object> parameters, String cause) {
        if (!accepting) {
            throw new IllegalStateException("the controller is shutting down and starts no new builds");
        }
        if (jobs.find(job).isEmpty()) {
            throw new NoSuchElementException("no job named " + job);
        }
        BuildRecord b = builds.create(job, parameters == null ? Map.of() : parameters, cause == null ? "Started by user" : cause);
        queue.add(b);
        return b;
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
            queue.removeIf(q -> q.job().equals(job) && q.number() == number);
            builds.complete(job, number, Result.ABORTED.name(), 0, List.of(), Map.of(), List.of());
            return true;
        }
        return false;
    }

    /** Sets the plugin system the API manages (its steps must be the live library this controller was given). */
    public void plugins(dev.gantry.engine.plugin.PluginSystem system) {
        this.plugins = system;
    }

    @Override
    public Optional<dev.gantry.engine.plugin.PluginSystem> plugins() {
        return Optional.ofNullable(plugins);
    }

    /** Sets who hears of builds starting and ending (one listener; metrics compose their own). */
    public void listener(BuildListener l) {
        this.listener = l;
    }

    /** Builds waiting for an executor. */
    public int queueLength() {
        return queue.size();
    }

    /** Executors running a build now. */
    public int busyExecutors() {
        return running.size();
    }

    /** Executors in all. */
    public int executorCount() {
        return executors.length;
    }

    @Override
    public boolean ready() {
        return accepting;
    }

    /**
     * Stops taking builds; waits up to {@code graceMillis} for running builds to finish, then
     * aborts them (they end ABORTED; resuming them after a restart comes with issue 07).
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
        running.values().forEach(r -> r.abort("Aborted: the controller is shutting down"));
        for (Thread t : executors) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        shutdown(0);
    }
}
