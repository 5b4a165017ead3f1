package dev.gantry.engine.server;

import dev.gantry.api.Result;
import dev.gantry.api.build.ArtifactStore;
import dev.gantry.api.build.InputHandler;
import dev.gantry.api.build.StashStore;
import dev.gantry.api.build.TestResults;
import dev.gantry.api.build.TestResults.Summary;
import dev.gantry.engine.local.LocalNodeProvider;
import dev.gantry.api.agent.NodeTasks;
import dev.gantry.engine.run.BuildRun;
import dev.gantry.engine.run.NodeProvider;
import dev.gantry.engine.run.InvalidPipelineException;
import dev.gantry.engine.run.LogSink;
import dev.gantry.engine.run.ScriptRunner;
import dev.gantry.engine.run.StageRecord;
import dev.gantry.engine.steps.StepLibrary;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildRepository;
import dev.gantry.engine.store.BuildScript;
import dev.gantry.engine.store.StageRow;
import dev.gantry.engine.testresults.InMemoryTestResults;
import dev.gantry.engine.workspace.LocalArtifactStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Runs one queued build to completion on the controller's built-in node: its log goes to the
 * log store, its stage graph to the build record while it runs (every second) and at the end,
 * its artifacts to the build's artifact directory.
 */
final class BuildExecutor {
    private final StepLibrary steps;
    private final BuildRepository builds;
    private final BiFunction<String, Integer, Path> artifactsDir;
    private final Path workspaces;
    private final BuildLogs buildLogs;
    private final List<BuildServices> services = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile String rootUrl;
    private volatile BiFunction<String, Integer, NodeProvider> nodes;
    private volatile NodeTasks nodeTasks;
    private final PendingInputs inputs;
    private final BuildJournals journals;
    private final Map<String, BuildJournals.Session> sessions = new java.util.concurrent.ConcurrentHashMap<>();

    BuildExecutor(StepLibrary steps, BuildRepository builds, BuildLogs buildLogs, BiFunction<String, Integer, Path> artifactsDir, Path workspaces,
                  PendingInputs inputs) {
        this.buildLogs = buildLogs;
        this.inputs = inputs;
        this.steps = steps;
        this.builds = builds;
        this.artifactsDir = artifactsDir;
        this.workspaces = workspaces;
        this.journals = new BuildJournals(buildLogs);
        this.nodes = (job, number) -> new LocalNodeProvider(workspaces.resolve(job));
    }

    /** Where builds get their nodes from (the agents), and the service sending plugin tasks there. */
    void nodes(BiFunction<String, Integer, NodeProvider> providers, NodeTasks tasks) {
        this.nodes = providers;
        this.nodeTasks = tasks;
    }

    BuildJournals.Mode journalMode() {
        return journals.mode();
    }

    void addServices(BuildServices s) {
        services.add(s);
    }

    void rootUrl(String url) {
        rootUrl = url;
    }

    /** Runs the build; {@code onStart} receives the live build so that it can be stopped. */
    /** Where a build's pipeline comes from: recorded for it, inline in the job, or fetched from SCM when the build starts. */
    interface PipelineSource {
        /** @throws PipelineUnavailableException when the pipeline cannot be had; the build fails with its message */
        BuildScript script() throws PipelineUnavailableException;
    }

    /** The pipeline of a build cannot be had (no SCM plugin, fetch failed); the message is for the build's log. */
    static final class PipelineUnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        PipelineUnavailableException(String message) {
            super(message);
        }
    }

    /** Runs the build with its pipeline from {@code pipeline}; a pipeline that cannot be had fails the build. */
    void execute(BuildRecord queued, PipelineSource pipeline, java.util.function.Consumer<BuildRun> onStart) {
        execute(queued, pipeline, onStart, false);
    }

    /**
     * Stops a running build for a shutdown so that it resumes at the next start: its journal and
     * log take nothing more (the interruption that follows is not recorded) and it stays RUNNING.
     * Call before aborting it. Does nothing when journaling is off.
     */
    void suspend(String job, int number) {
        BuildJournals.Session s = sessions.get(job + "#" + number);
        if (s != null && s.file() != null) {
            s.seal();
        }
    }

    /**
     * Runs the build; with {@code resume}, a build that was RUNNING when the controller stopped:
     * its script runs again against its journal (steps recorded there are not run again) and its
     * log goes on from the journal's last mark.
     */
    void execute(BuildRecord queued, PipelineSource pipeline, java.util.function.Consumer<BuildRun> onStart, boolean resume) {
        String job = queued.job();
        int number = queued.number();
        long started = System.nanoTime();
        if (resume && queued.startedAt() != null) {
            started -= java.time.Duration.between(queued.startedAt(), Instant.now()).toNanos();
        }
        if (!resume) {
            builds.markRunning(job, number, Instant.now());
        }
        // The artifacts directory is builds/<job id>/<number>/artifacts: its parent is the build's directory.
        Path buildDir = artifactsDir.apply(job, number).getParent();
        if (!resume && journals.mode() != BuildJournals.Mode.OFF && BuildJournals.exists(buildDir)) {
            // It ran before, yet it came from the queue: the store lost its RUNNING state in a crash
            // and it was queued again. Its journal and log are there: it resumes instead of starting over.
            System.out.println("gantry: " + job + " #" + number + " was queued again although it had started (its journal exists): resuming it");
            resume = true;
        }
        BuildRun run = null;
        Result result = Result.FAILURE;
        InMemoryTestResults tests = new InMemoryTestResults();
        LocalArtifactStore artifacts = new LocalArtifactStore(artifactsDir.apply(job, number));
        BuildJournals.Session session;
        try {
            session = journals.open(job, number, buildDir, resume);
        } catch (IOException e) {
            String message = "the journal of " + job + " #" + number + " cannot be opened: " + e.getMessage();
            buildLogs.failed(job, number, message);
            builds.complete(job, number, Result.FAILURE.name(), 0, List.of(), Map.of(), List.of());
            System.err.println("gantry: " + message);
            return;
        }
        sessions.put(job + "#" + number, session);
        try (session; BuildLog sink = buildLogs.open(job, number)) {
            if (!resume || sink.flushed()[0] == 0) {
                // A resumed build whose log is empty had not begun (killed as it started): it starts now.
                sink.line(queued.cause());
            }
            LogSink scriptLog = session.wrap(sink, resume);
            BuildScript source;
            try {
                source = pipeline.script();
            } catch (PipelineUnavailableException e) {
                sink.line("ERROR: " + e.getMessage());
                sink.line("Finished: FAILURE");
                return;
            }
            // A snapshot: plugins installed or disabled meanwhile do not change a running build's steps.
            BuildRun.Builder builder = BuildRun.builder(job, steps.snapshot(), scriptLog, nodes.apply(job, number))
                    .journal(session.journal());
            if (nodeTasks != null) {
                builder.service(NodeTasks.class, nodeTasks);
            }
            builder
                    .number(number)
                    .service(StashStore.class, StashKeeper.open(buildDir, originDir(job, source), source.originNumber() == null ? 0 : source.originNumber()))
                    // Flushed: a build waiting for input may sit for hours and its log must show why.
                    .service(InputHandler.class, inputs.handler(job, number, session.inputLines(sink)))
                    .restartFrom(source.restartStage())
                    .service(ArtifactStore.class, artifacts)
                    .service(TestResults.class, tests)
                    .service(dev.gantry.api.report.BuildReports.class, dev.gantry.engine.run.StoredBuildReports.open(buildDir))
                    .previousResult(previousResult(job, number))
                    .history(new StoredBuildHistory(builds, job, () -> rootUrl))
                    .causes(StoredBuildHistory.causes(queued.causes()))
                    .url(BuildUrls.build(rootUrl, job, number));
            services.forEach(s -> s.configure(queued, builder));
            run = builder.build();
            onStart.accept(run);
            BuildRun live = run;
            sink.onFailure(live::abort);
            java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
            Thread updater = Thread.ofVirtual().name("stages-" + job + "-" + number).start(() -> publishStages(live, job, number, finished));
            try {
                result = ScriptRunner.run(run, job, source.script(), queued.parameters());
            } catch (InvalidPipelineException e) {
                sink.line("ERROR: the pipeline does not compile: " + e.getMessage());
                sink.line("Finished: FAILURE");
                result = Result.FAILURE;
            } finally {
                // The record may only be completed once the live updater has stopped writing stages.
                // It is told, never interrupted: an interrupt must not reach a thread in a database call.
                finished.countDown();
                updater.join();
            }
            if (sink.failure() != null) {
                result = Result.FAILURE;
            }
        } catch (IOException e) {
            result = Result.FAILURE;
            String message = "the log of " + job + " #" + number + " cannot be written: " + e.getMessage();
            buildLogs.failed(job, number, message);
            System.err.println("gantry: " + message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = Result.ABORTED;
        } finally {
            sessions.remove(job + "#" + number);
            if (session.sealed()) {
                // Suspended for a shutdown: it stays RUNNING and resumes at the next start.
                return;
            }
            Map<String, Integer> testTotals = new LinkedHashMap<>();
            if (!tests.cases().isEmpty()) {
                Summary s = tests.summary();
                testTotals.put("total", s.total());
                testTotals.put("failed", s.failed());
                testTotals.put("skipped", s.skipped());
                testTotals.put("passed", s.passed());
            }
            if (run != null) {
                saveDetails(job, number, run);
            }
            dev.gantry.engine.testresults.TestCaseFile.write(buildDir, tests.cases());
            builds.complete(job, number, result.name(), (System.nanoTime() - started) / 1_000_000,
                    run == null ? List.of() : stages(run), testTotals, artifacts.list());
            buildLogs.changed(job, number);
            StashKeeper.finish(job, number, buildDir, run == null ? 0 : run.preservedStashBuilds(), builds);
        }
    }

    /** The directory of the build a restart restarts (its stashes are copied), or null. */
    private Path originDir(String job, BuildScript source) {
        if (source.restartStage() == null) {
            return null;
        }
        try {
            return artifactsDir.apply(job, source.originNumber()).getParent();
        } catch (RuntimeException e) {
            return null; // the original build was deleted meanwhile: no stashes to copy
        }
    }

    /** What later builds and a waiting caller read: stored before the build completes, so that they find it. */
    private void saveDetails(String job, int number, BuildRun run) {
        try {
            String name = run.displayName().equals("#" + number) ? null : run.displayName();
            builds.saveDetails(job, number, new dev.gantry.engine.store.BuildDetails(name, run.description(), run.buildVariables()));
        } catch (RuntimeException e) {
            System.getLogger(BuildExecutor.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot save the display name, description and variables of " + job + " #" + number + ": " + e.getMessage());
        }
    }

    /** The result of the newest completed build before this one, for post changed/fixed/regression. */
    private Result previousResult(String job, int number) {
        for (BuildRecord b : builds.list(job, 0, 50)) {
            if (b.number() < number && b.result() != null) {
                return Result.valueOf(b.result());
            }
        }
        return null;
    }

    /**
     * How often the stages of a running build are stored when only the durations of its running
     * stages changed: a running stage's duration changes every second, and storing every build's
     * stages every second costs a thousand database writes a second with a thousand builds
     * running (a fifth of the controller's CPU in workload W7). A stage starting or ending is
     * stored within a second.
     */
    private static final long RUNNING_DURATIONS_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    private void publishStages(BuildRun run, String job, int number, java.util.concurrent.CountDownLatch finished) {
        List<StageRow> last = List.of();
        long lastWrite = System.nanoTime();
        while (true) {
            try {
                if (finished.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            List<StageRow> now = stages(run);
            if (!now.equals(last) && (!shape(now).equals(shape(last)) || System.nanoTime() - lastWrite >= RUNNING_DURATIONS_EVERY_NANOS)) {
                try {
                    builds.updateStages(job, number, now);
                    last = now;
                    lastWrite = System.nanoTime();
                } catch (RuntimeException e) {
                    System.getLogger(BuildExecutor.class.getName()).log(System.Logger.Level.WARNING,
                            "cannot update the stages of " + job + " #" + number + ": " + e.getMessage());
                }
            }
        }
    }

    /** The stages without the durations of running ones (which change by themselves every second). */
    private static List<StageRow> shape(List<StageRow> rows) {
        List<StageRow> out = new ArrayList<>(rows.size());
        for (StageRow r : rows) {
            out.add(r.result() == null ? new StageRow(r.name(), r.parent(), null, 0) : r);
        }
        return out;
    }

    static List<StageRow> stages(BuildRun run) {
        List<StageRow> rows = new ArrayList<>();
        for (StageRecord s : run.stages()) {
            rows.add(new StageRow(s.name(), s.parent() == null ? null : s.parent().name(),
                    s.status() == null ? null : s.status().name(), s.durationMillis()));
        }
        return rows;
    }

}
