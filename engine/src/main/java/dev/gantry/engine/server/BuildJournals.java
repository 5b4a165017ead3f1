package dev.gantry.engine.server;

import dev.gantry.engine.run.FileStepJournal;
import dev.gantry.engine.run.InMemoryStepJournal;
import dev.gantry.engine.run.LogSink;
import dev.gantry.engine.run.ResumableLogSink;
import dev.gantry.engine.run.StepJournal;
import dev.gantry.engine.store.LogIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The journals of the controller's builds ({@link FileStepJournal} in each build's directory) and
 * what a build needs to resume by replay: its log cut back to the journal's last mark and a
 * {@link ResumableLogSink} that drops the lines already there.
 *
 * <p>The system property {@code gantry.journal} chooses: {@code on} (the default: one write per
 * record, safe against a crash of the controller's process), {@code fsync} (also synced to the
 * disk, safe against a power cut, at the cost of a disk flush per step), {@code off} (nothing
 * outlives the process; builds cannot resume; for the journal's benchmark only).
 */
final class BuildJournals {
    enum Mode { ON, FSYNC, OFF }

    private final BuildLogs logs;
    private final Mode mode;

    BuildJournals(BuildLogs logs) {
        this.logs = logs;
        this.mode = switch (System.getProperty("gantry.journal", "on").toLowerCase(java.util.Locale.ROOT)) {
            case "off" -> Mode.OFF;
            case "fsync" -> Mode.FSYNC;
            default -> Mode.ON;
        };
    }

    Mode mode() {
        return mode;
    }

    static Path file(Path buildDir) {
        return buildDir.resolve(FileStepJournal.FILE);
    }

    /** Whether the build has a journal to resume from. */
    static boolean exists(Path buildDir) {
        return Files.isRegularFile(file(buildDir));
    }

    /**
     * Opens the journal of a build about to run (or, with {@code resume}, to resume: its log is cut
     * back to the last mark first). Close the returned session after the log.
     */
    Session open(String job, int number, Path buildDir, boolean resume) throws IOException {
        if (mode == Mode.OFF) {
            return new Session(null, new InMemoryStepJournal(false), Map.of(), id -> false);
        }
        FileStepJournal journal = FileStepJournal.open(file(buildDir), mode == Mode.FSYNC);
        Map<String, Long> already = Map.of();
        java.util.function.Predicate<String> indexed = id -> false;
        if (resume) {
            FileStepJournal.LogMark mark = journal.lastMark();
            if (mark != null) {
                try {
                    logs.truncate(job, number, mark.logBytes(), mark.indexBytes());
                } catch (IOException | RuntimeException e) {
                    journal.close();
                    throw e;
                }
                already = mark.lines();
            }
            LogIndex index = logs.index(job, number);
            indexed = id -> id != null && index.node(id).isPresent();
        }
        return new Session(journal, journal, already, indexed);
    }

    /** One build's journal and the log wrapped for it. */
    static final class Session implements AutoCloseable {
        private final FileStepJournal file;
        private final StepJournal journal;
        private final Map<String, Long> already;
        private final java.util.function.Predicate<String> indexed;
        private volatile ResumableLogSink sink;

        private Session(FileStepJournal file, StepJournal journal, Map<String, Long> already, java.util.function.Predicate<String> indexed) {
            this.file = file;
            this.journal = journal;
            this.already = already;
            this.indexed = indexed;
        }

        StepJournal journal() {
            return journal;
        }

        /** The journal file's records, or null when journaling is off. */
        FileStepJournal file() {
            return file;
        }

        /**
         * The sink the script writes to: {@code log} itself when journaling is off, else a
         * {@link ResumableLogSink} whose mark each journal record carries. Marks the journal's
         * start on a new build.
         */
        LogSink wrap(BuildLog log, boolean resume) {
            if (file == null) {
                return log;
            }
            ResumableLogSink s = new ResumableLogSink(log, log::flushed, already, indexed);
            file.checkpoint(new FileStepJournal.Checkpoint() {
                @Override
                public FileStepJournal.LogMark mark() {
                    return s.mark();
                }

                @Override
                public void forget(String recordedId) {
                    s.forget(recordedId);
                }
            });
            if (!resume || file.lastMark() == null) {
                long[] p = log.flushed();
                file.begin(new FileStepJournal.LogMark(p[0], p[1], Map.of()));
            }
            sink = s;
            return s;
        }

        /** Prints a line of the controller's for an {@code input} through the resumable sink, flushed. */
        Consumer<String> inputLines(BuildLog log) {
            return line -> {
                ResumableLogSink s = sink;
                if (s != null) {
                    s.inputLine(line);
                } else {
                    log.line(line);
                    log.flush();
                }
            };
        }

        /** Stops recording and writing: the build is left RUNNING to resume at the next start. */
        void seal() {
            if (file != null) {
                file.seal();
            }
            ResumableLogSink s = sink;
            if (s != null) {
                s.seal();
            }
        }

        boolean sealed() {
            return file != null && file.sealed();
        }

        @Override
        public void close() {
            if (file != null) {
                file.close();
            }
        }
    }
}
