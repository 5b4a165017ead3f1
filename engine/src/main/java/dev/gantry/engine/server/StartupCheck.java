package dev.gantry.engine.server;

import dev.gantry.api.Result;
import dev.gantry.engine.run.FileStepJournal;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildRepository;
import dev.gantry.engine.store.BuildStatus;
import dev.gantry.engine.store.JobRepository;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The consistency check of the store when the controller starts, after a clean stop or a crash:
 * which RUNNING builds resume, which cannot (no journal, {@code disableResume()}, journaling off,
 * a log shorter than its journal says) and end ABORTED with the reason in their log, and which
 * QUEUED builds are queued again (those of a job that no longer exists end ABORTED). Every repair
 * is reported with one line through {@code report}.
 */
final class StartupCheck {
    private StartupCheck() {
    }

    /** What the check found: builds to resume and builds to queue again. */
    record Outcome(List<BuildRecord> resume, List<BuildRecord> queued) {
    }

    static Outcome run(JobRepository jobs, BuildRepository builds, BuildLogs logs, BiFunction<String, Integer, Path> artifactsDir,
                       BuildJournals.Mode mode, Consumer<String> report) {
        List<BuildRecord> resume = new ArrayList<>();
        for (BuildRecord b : builds.withStatus(BuildStatus.RUNNING)) {
            String name = b.job() + " #" + b.number();
            if (jobs.find(b.job()).isEmpty()) {
                abort(builds, logs, b, null, "its job no longer exists", report);
                continue;
            }
            Path dir;
            try {
                dir = artifactsDir.apply(b.job(), b.number()).getParent();
            } catch (RuntimeException e) {
                report.accept("store check: " + name + " was running but its directory cannot be found (" + e.getMessage() + "); it ended ABORTED");
                complete(builds, b, report);
                continue;
            }
            if (mode == BuildJournals.Mode.OFF) {
                abort(builds, logs, b, null, "journaling is off on this controller (-Dgantry.journal=off)", report);
                continue;
            }
            if (!BuildJournals.exists(dir)) {
                if (neverBegan(logs, b)) {
                    // Killed between being marked RUNNING and creating its journal: nothing ran yet.
                    report.accept("store check: " + name + " was marked running but had not begun (no journal, no log); it starts now");
                    resume.add(b);
                } else {
                    abort(builds, logs, b, null, "it has no journal to resume from (" + BuildJournals.file(dir) + " is missing)", report);
                }
                continue;
            }
            FileStepJournal.LogMark mark;
            boolean disabled;
            try (FileStepJournal j = FileStepJournal.open(BuildJournals.file(dir), false)) {
                mark = j.lastMark();
                disabled = j.resumeDisabled();
            } catch (IOException | RuntimeException e) {
                abort(builds, logs, b, null, "its journal cannot be read: " + e.getMessage(), report);
                continue;
            }
            if (disabled) {
                abort(builds, logs, b, mark, "the pipeline disables resuming (options { disableResume() })", report);
                continue;
            }
            try {
                if (mark != null && (logs.size(b.job(), b.number()) < mark.logBytes() || logs.indexSize(b.job(), b.number()) < mark.indexBytes())) {
                    abort(builds, logs, b, null, "its log is shorter than its journal says it was (" + logs.size(b.job(), b.number())
                            + " bytes, the journal says " + mark.logBytes() + "): the machine lost data the controller had written", report);
                    continue;
                }
                if (mark != null && logs.size(b.job(), b.number()) > mark.logBytes()) {
                    report.accept("store check: " + name + ": the log has " + (logs.size(b.job(), b.number()) - mark.logBytes())
                            + " bytes written after the journal's last record; they are cut off and written again as the build resumes");
                }
            } catch (IOException e) {
                abort(builds, logs, b, null, "its log cannot be read: " + e.getMessage(), report);
                continue;
            }
            report.accept("resuming " + name + " from its journal");
            resume.add(b);
        }
        List<BuildRecord> queued = new ArrayList<>();
        for (BuildRecord b : builds.withStatus(BuildStatus.QUEUED)) {
            if (jobs.find(b.job()).isEmpty()) {
                report.accept("store check: queued build " + b.job() + " #" + b.number() + " belongs to no job; it ended ABORTED");
                complete(builds, b, report);
                continue;
            }
            queued.add(b);
        }
        return new Outcome(resume, queued);
    }

    private static boolean neverBegan(BuildLogs logs, BuildRecord b) {
        try {
            return logs.size(b.job(), b.number()) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Ends a build that cannot resume: the reason in its log (cut back to the journal's mark) and ABORTED. */
    private static void abort(BuildRepository builds, BuildLogs logs, BuildRecord b, FileStepJournal.LogMark mark, String why, Consumer<String> report) {
        String line = "Not resumed after the controller restarted: " + why + ".";
        report.accept("store check: " + b.job() + " #" + b.number() + " was running when the controller stopped and cannot resume: " + why
                + "; it ended ABORTED");
        try {
            if (mark != null) {
                logs.truncate(b.job(), b.number(), mark.logBytes(), mark.indexBytes());
            }
            try (BuildLog log = logs.open(b.job(), b.number())) {
                log.line(line);
                log.line("Finished: ABORTED");
            }
        } catch (IOException | RuntimeException e) {
            report.accept("store check: cannot write the log of " + b.job() + " #" + b.number() + ": " + e.getMessage());
        }
        complete(builds, b, report);
    }

    private static void complete(BuildRepository builds, BuildRecord b, Consumer<String> report) {
        try {
            long duration = b.startedAt() == null ? 0 : java.time.Duration.between(b.startedAt(), java.time.Instant.now()).toMillis();
            builds.complete(b.job(), b.number(), Result.ABORTED.name(), duration, b.stages(), b.tests(), b.artifacts());
        } catch (RuntimeException e) {
            report.accept("store check: cannot end " + b.job() + " #" + b.number() + ": " + e.getMessage());
        }
    }
}
