package dev.gantry.engine.server;

import dev.gantry.engine.pipeline.LintResult;
import dev.gantry.engine.pipeline.PipelineKind;
import dev.gantry.engine.pipeline.PipelineLinter;
import dev.gantry.engine.pipeline.Suggestions;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildRepository;
import dev.gantry.engine.store.BuildScript;
import dev.gantry.engine.store.BuildScriptRepository;
import dev.gantry.engine.store.BuildStatus;
import dev.gantry.engine.store.StageRow;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Replay and restart from a stage: checks the request against the original build (its recorded
 * script, its kind, its stage graph) and queues the new build with the script it is to run.
 * Stateless apart from its collaborators; thread-safe.
 */
final class Reruns {
    /** Queues a build that runs {@code script}. */
    interface Enqueuer {
        BuildRecord enqueue(String job, Map<String, Object> parameters, String cause, BuildScript script);
    }

    private final BuildRepository builds;
    private final BuildScriptRepository scripts;
    private final PipelineLinter linter;
    private final Enqueuer enqueuer;

    Reruns(BuildRepository builds, BuildScriptRepository scripts, PipelineLinter linter, Enqueuer enqueuer) {
        this.builds = builds;
        this.scripts = scripts;
        this.linter = linter;
        this.enqueuer = enqueuer;
    }

    BuildRecord replay(String job, int number, String script) throws Controller.InvalidJobException {
        BuildRecord original = original(job, number);
        String text = script != null ? script : scripts.find(job, number).map(BuildScript::script).orElseThrow(() -> new IllegalStateException(
                "build #" + number + " of job '" + job + "' has not started yet, so there is no script of it to replay; pass a \"script\""));
        LintResult lint = linter.lint(job, text);
        if (!lint.ok()) {
            throw new Controller.InvalidJobException(lint.problems());
        }
        return enqueuer.enqueue(job, original.parameters(), "Replayed #" + number, new BuildScript(text, number, null));
    }

    BuildRecord restart(String job, int number, String stage) {
        BuildRecord original = original(job, number);
        if (original.status() != BuildStatus.COMPLETED) {
            throw new IllegalStateException("build #" + number + " of job '" + job + "' is still " + original.status()
                    + "; a build can be restarted from a stage once it has completed");
        }
        BuildScript ran = scripts.find(job, number).orElseThrow(() -> new IllegalStateException(
                "build #" + number + " of job '" + job + "' never started, so it has no script to restart; trigger a new build instead"));
        if (linter.lint(job, ran.script()).kind() != PipelineKind.DECLARATIVE) {
            throw new IllegalArgumentException("build #" + number + " of job '" + job + "' ran a scripted pipeline; only declarative pipelines"
                    + " (pipeline { ... }) can be restarted from a stage. Replay the build to run it again");
        }
        List<String> restartable = restartable(original.stages());
        if (stage == null || stage.isBlank()) {
            throw new IllegalArgumentException("name the \"stage\" to restart at: one of " + String.join(", ", restartable));
        }
        StageRow row = original.stages().stream().filter(s -> s.name().equals(stage)).findFirst().orElse(null);
        String choose = restartable.isEmpty() ? "; it has no stage to restart at"
                : "; the stages it can restart at are its top-level stages that ran: " + String.join(", ", restartable);
        if (row == null) {
            Set<String> all = new LinkedHashSet<>();
            original.stages().forEach(s -> all.add(s.name()));
            throw new IllegalArgumentException("build #" + number + " of job '" + job + "' has no stage '" + stage + "'"
                    + Suggestions.closest(stage, all).map(c -> "; did you mean '" + c + "'?").orElse("") + choose);
        }
        if (row.parent() != null) {
            throw new IllegalArgumentException("stage '" + stage + "' of build #" + number + " is nested in stage '" + row.parent()
                    + "' (a nested stage or parallel branch); only top-level stages can be restarted, as in Jenkins" + choose);
        }
        if (!restartable.contains(stage)) {
            throw new IllegalArgumentException("stage '" + stage + "' did not run in build #" + number + " (it was skipped after an earlier failure)"
                    + choose);
        }
        return enqueuer.enqueue(job, original.parameters(), "Restarted from build #" + number + ", stage " + stage,
                new BuildScript(ran.script(), number, stage));
    }

    /** Top-level stages that ran (or were skipped by a when or a restart), in order. */
    private static List<String> restartable(List<StageRow> stages) {
        List<String> out = new ArrayList<>();
        for (StageRow s : stages) {
            if (s.parent() == null && !"NOT_EXECUTED".equals(s.result()) && !out.contains(s.name())
                    && !s.name().startsWith("Declarative: ")) {
                out.add(s.name());
            }
        }
        return out;
    }

    private BuildRecord original(String job, int number) {
        return builds.find(job, number).orElseThrow(() -> new NoSuchElementException("job '" + job + "' has no build #" + number));
    }
}
