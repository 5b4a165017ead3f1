package dev.gantry.engine.server;

import dev.gantry.api.Result;
import dev.gantry.api.build.ArtifactStore;
import dev.gantry.api.build.StashStore;
import dev.gantry.api.build.TestResults;
import dev.gantry.api.build.TestResults.Summary;
import dev.gantry.engine.local.LocalNodeProvider;
import dev.gantry.engine.run.BuildRun;
import dev.gantry.engine.run.InvalidPipelineException;
import dev.gantry.engine.run.PrintingLogSink;
import dev.gantry.engine.run.ScriptRunner;
import dev.gantry.engine.run.StageRecord;
import dev.gantry.engine.steps.StepLibrary;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildRepository;
import dev.gantry.engine.store.LogStore;
import dev.gantry.engine.store.StageRow;
import dev.gantry.engine.testresults.InMemoryTestResults;
import dev.gantry.engine.workspace.LocalArtifactStore;
import dev.gantry.engine.workspace.LocalStashStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
    private final LogStore logs;
    private final BiFunction<String, Integer, Path> artifactsDir;
    private final Path workspaces;

    BuildExecutor(StepLibrary steps, BuildRepository builds, LogStore logs, BiFunction<String, Integer, Path> artifactsDir, Path workspaces) {
        this.steps = steps;
        this.builds = builds;
        this.logs = logs;
        this.artifactsDir = artifactsDir;
        this.workspaces = workspaces;
    }

    /** Runs the build; {@code onStart} receives the live build so that it can be stopped. */
    void execute(BuildRecord queued, String script, java.util.function.Consumer<BuildRun> onStart) {
        execute(queued, () -> script, onStart);
    }

    /** Where a build's pipeline text comes from: inline, or fetched from SCM when the build starts. */
    interface PipelineSource {
        /** @throws PipelineUnavailableException when the pipeline cannot be had; the build fails with its message */
        String script() throws PipelineUnavailableException;
    }

    /** The pipeline of a build cannot be had (no SCM plugin, fetch failed); the message is for the build's log. */
    static final class PipelineUnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        PipelineUnavailableException(String message) {
            super(message);
        }
    }

    /** Runs the build with its pipeline from {@code source}; a pipeline that cannot be had fails the build. */
    void execute(BuildRecord queued, PipelineSource source, java.util.function.Consumer<BuildRun> onStart) {
        String job = queued.job();
        int number = queued.number();
        long started = System.nanoTime();
        builds.markRunning(job, number, Instant.now());
        Path stashDir = null;
        BuildRun run = null;
        Result result = Result.FAILURE;
        InMemoryTestResults tests = new InMemoryTestResults();
        LocalArtifactStore artifacts = new LocalArtifactStore(artifactsDir.apply(job, number));
        try (OutputStream logFile = logs.append(job, number); PrintingLogSink sink = new PrintingLogSink(logFile)) {
            stashDir = Files.createTempDirectory("gantry-stash-");
            byte[] cause = queued.cause().getBytes(StandardCharsets.UTF_8);
            sink.chunk(new dev.gantry.engine.run.LogSink.LogSource(null, null, null, false), cause, 0, cause.length, true, true);
            String script;
            try {
                script = source.script();
            } catch (PipelineUnavailableException e) {
                sink.close();
                logFile.write(("ERROR: " + e.getMessage() + "\nFinished: FAILURE\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            run = BuildRun.builder(job, steps, sink, new LocalNodeProvider(workspaces.resolve(job)))
                    .number(number)
                    .service(StashStore.class, new LocalStashStore(stashDir))
                    .service(ArtifactStore.class, artifacts)
                    .service(TestResults.class, tests)
                    .previousResult(previousResult(job, number))
                    .build();
            onStart.accept(run);
            BuildRun live = run;
            java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
            Thread updater = Thread.ofVirtual().name("stages-" + job + "-" + number).start(() -> publishStages(live, job, number, finished));
            try {
                result = ScriptRunner.run(run, job, script, queued.parameters());
            } catch (InvalidPipelineException e) {
                String msg = "ERROR: the pipeline does not compile: " + e.getMessage() + "\nFinished: FAILURE\n";
                logFile.write(msg.getBytes(StandardCharsets.UTF_8));
                result = Result.FAILURE;
            } finally {
                // The record may only be completed once the live updater has stopped writing stages.
                // It is told, never interrupted: an interrupt must not reach a thread in a database call.
                finished.countDown();
                updater.join();
            }
        } catch (IOException e) {
            result = Result.FAILURE;
            System.err.println("gantry: build " + job + " #" + number + " could not write its log: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = Result.ABORTED;
        } finally {
            Map<String, Integer> testTotals = new LinkedHashMap<>();
            if (!tests.cases().isEmpty()) {
                Summary s = tests.summary();
                testTotals.put("total", s.total());
                testTotals.put("failed", s.failed());
                testTotals.put("skipped", s.skipped());
                testTotals.put("passed", s.passed());
            }
            builds.complete(job, number, result.name(), (System.nanoTime() - started) / 1_000_000,
                    run == null ? List.of() : stages(run), testTotals, artifacts.list());
            if (stashDir != null) {
                deleteTree(stashDir);
            }
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

    private void publishStages(BuildRun run, String job, int number, java.util.concurrent.CountDownLatch finished) {
        List<StageRow> last = List.of();
        while (true) {
            try {
                if (finished.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            List<StageRow> now = stages(run);
            if (!now.equals(last)) {
                try {
                    builds.updateStages(job, number, now);
                    last = now;
                } catch (RuntimeException e) {
                    System.getLogger(BuildExecutor.class.getName()).log(System.Logger.Level.WARNING,
                            "cannot update the stages of " + job + " #" + number + ": " + e.getMessage());
                }
            }
        }
    }

    static List<StageRow> stages(BuildRun run) {
        List<StageRow> rows = new ArrayList<>();
        for (StageRecord s : run.stages()) {
            rows.add(new StageRow(s.name(), s.parent() == null ? null : s.parent().name(),
                    s.status() == null ? null : s.status().name(), s.durationMillis()));
        }
        return rows;
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("gantry: could not remove " + dir + ": " + e.getMessage());
        }
    }
}
