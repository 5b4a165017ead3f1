package dev.gantry.engine.local;

import dev.gantry.api.Result;
import dev.gantry.api.build.ArtifactStore;
import dev.gantry.api.build.InputHandler;
import dev.gantry.api.build.StashStore;
import dev.gantry.api.build.TestResults;
import dev.gantry.engine.run.BuildRun;
import dev.gantry.engine.run.JsonLinesLogSink;
import dev.gantry.engine.run.LogSink;
import dev.gantry.engine.run.PrintingLogSink;
import dev.gantry.engine.run.ScriptRunner;
import dev.gantry.engine.steps.StepLibrary;
import dev.gantry.engine.testresults.InMemoryTestResults;
import dev.gantry.engine.workspace.LocalArtifactStore;
import dev.gantry.engine.workspace.LocalStashStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One pipeline run on this machine, without a controller: what {@code gantry run} does, and what
 * tests use to run a pipeline in-process. The script must already be valid (lint it first).
 */
public final class LocalRun {
    private final StepLibrary steps;
    private final Path workspace;
    private String jobName = "pipeline";
    private int number = 1;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final List<String> inputs = new ArrayList<>();
    private boolean interactive;
    private Path artifactDir;
    private Consumer<BuildRun> onStart = r -> { };
    private Path jsonLog;
    private final Map<Class<?>, Object> services = new LinkedHashMap<>();

    public LocalRun(StepLibrary steps, Path workspace) {
        this.steps = steps;
        this.workspace = workspace.toAbsolutePath().normalize();
    }

    public LocalRun job(String name) { this.jobName = name; return this; }

    public LocalRun number(int n) { this.number = n; return this; }

    public LocalRun parameter(String name, Object value) { parameters.put(name, value); return this; }

    public LocalRun parameters(Map<String, ?> values) { parameters.putAll(values); return this; }

    /** An answer to an {@code input}, as {@code --input} takes it ({@code ID}, {@code ID=abort}, {@code ID=VALUE}). */
    public LocalRun input(String answer) { inputs.add(answer); return this; }

    /** Whether unanswered inputs are asked on the terminal. */
    public LocalRun interactive(boolean yes) { this.interactive = yes; return this; }

    /** Where artifacts go (default: {@code WORKSPACE@artifacts} beside the workspace). */
    public LocalRun artifacts(Path dir) { this.artifactDir = dir; return this; }

    /** Also writes the log as JSON lines with each line's stage, step and branch. */
    public LocalRun jsonLog(Path file) { this.jsonLog = file; return this; }

    /**
     * A service steps reach through {@code StepContext.service(type)} (a credential lookup, a
     * build trigger, ...); replaces a built-in one of the same type.
     */
    public <T> LocalRun service(Class<T> type, T impl) { services.put(type, java.util.Objects.requireNonNull(impl, "impl")); return this; }

    /** Called with the build once it exists, before the script starts (to abort it, for instance). */
    public LocalRun onStart(Consumer<BuildRun> callback) { this.onStart = callback; return this; }

    /**
     * Runs the script, writing the console log to {@code log}, and waits for the end.
     *
     * @param fileName the name used in messages
     */
    /**
     * @throws dev.gantry.engine.run.InvalidPipelineException when the script does not compile; nothing ran
     */
    public Outcome run(String fileName, String source, OutputStream log)
            throws IOException, InterruptedException, dev.gantry.engine.run.InvalidPipelineException {
        Files.createDirectories(workspace);
        Path artifacts = artifactDir != null ? artifactDir.toAbsolutePath() : workspace.resolveSibling(workspace.getFileName() + "@artifacts");
        Path stashDir = Files.createTempDirectory("gantry-stash-");
        InMemoryTestResults tests = new InMemoryTestResults();
        LocalArtifactStore artifactStore = new LocalArtifactStore(artifacts);
        try (PrintingLogSink console = new PrintingLogSink(log);
             JsonLinesLogSink json = jsonLog == null ? null : new JsonLinesLogSink(Files.newOutputStream(jsonLog))) {
            LogSink sink = json == null ? console : JsonLinesLogSink.tee(console, json);
            BuildRun.Builder builder = BuildRun.builder(jobName, steps, sink, new LocalNodeProvider(workspace))
                    .number(number)
                    .service(StashStore.class, new LocalStashStore(stashDir))
                    .service(ArtifactStore.class, artifactStore)
                    .service(TestResults.class, tests)
                    .service(dev.gantry.api.report.BuildReports.class, dev.gantry.engine.run.StoredBuildReports.open(null))
                    .service(InputHandler.class, new LocalInputHandler(inputs, interactive))
                    // Checkouts are recorded for when { changeset } and env.GIT_COMMIT; a local run has no earlier builds.
                    .service(dev.gantry.api.scm.ScmCheckouts.class, dev.gantry.engine.run.BuildScm.inMemory());
            services.forEach((type, impl) -> addService(builder, type, impl));
            BuildRun run = builder.build();
            onStart.accept(run);
            Result result = ScriptRunner.run(run, fileName, source, parameters);
            return new Outcome(result, run, tests, artifactStore);
        } finally {
            try (var walk = Files.walk(stashDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void addService(BuildRun.Builder builder, Class<T> type, Object impl) {
        builder.service(type, (T) impl);
    }

    /** What a run produced. */
    public record Outcome(Result result, BuildRun build, InMemoryTestResults tests, LocalArtifactStore artifacts) {
        /** The report as {@code gantry run --report} writes it. */
        public Map<String, Object> report() {
            return RunReport.of(build, tests, artifacts);
        }
    }
}
