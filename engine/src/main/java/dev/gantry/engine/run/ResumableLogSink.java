package dev.gantry.engine.run;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The log of a build that can resume: counts the lines each writer wrote (the engine's lines per
 * parallel branch, each step call's own output), and on a resumed build drops the lines already in
 * the log. A resumed script runs again from its start: its engine lines come again in the same
 * order per branch, steps answered from the journal write nothing, a step that was running when
 * the controller stopped runs again and writes its output again. Counting per writer therefore
 * tells exactly which lines are already there (up to the {@link FileStepJournal.LogMark} the log
 * was cut back to), whatever the interleaving of parallel branches was.
 *
 * <p>Index events of stages and steps already indexed are dropped too, so that the log index keeps
 * one node per id. Thread-safe.
 */
public final class ResumableLogSink implements LogSink {
    /** The key of lines the controller writes for an {@code input} (its answer link). */
    static final String INPUT_KEY = "i:";

    private final LogSink out;
    private final Positions positions;
    private final Map<String, Long> already;
    private final Predicate<String> indexed;
    /** Lines written per writer (a one-element array, counted in place). */
    private final Map<String, long[]> written = new HashMap<>();
    private final Map<String, Boolean> dropping = new HashMap<>();
    /**
     * The last writer and its count: a process's output comes from one {@link LogSource} instance
     * line after line, so most lines skip building the key and looking it up (W5: six million).
     */
    private LogSource lastSource;
    private String lastKey;
    private long[] lastCount;
    private final java.util.Set<String> done = new java.util.HashSet<>();
    private volatile boolean sealed;

    /** Where the log and its index end, after a flush. */
    public interface Positions {
        /** @return {bytes of the log, bytes of the index}, everything written so far flushed to the files */
        long[] flushed();
    }

    /**
     * @param already lines per writer already in the log (from the journal's last mark); empty for a new build
     * @param indexed whether a stage or step id is already in the log index
     */
    public ResumableLogSink(LogSink out, Positions positions, Map<String, Long> already, Predicate<String> indexed) {
        this.out = out;
        this.positions = positions;
        this.already = Map.copyOf(already);
        this.indexed = indexed;
    }

    private static String key(LogSource s) {
        return s.stepId() != null ? "s:" + s.stepId() : "b:" + (s.branch() == null ? "" : s.branch());
    }

    @Override
    public synchronized void chunk(LogSource source, byte[] bytes, int offset, int length, boolean startsLine, boolean endsLine) {
        if (sealed) {
            return;
        }
        if (source != lastSource) {
            lastKey = key(source);
            lastCount = written.computeIfAbsent(lastKey, k -> new long[1]);
            lastSource = source;
        }
        write(lastKey, lastCount, source, bytes, offset, length, startsLine, endsLine);
    }

    private void write(String key, long[] count, LogSource source, byte[] bytes, int offset, int length, boolean startsLine, boolean endsLine) {
        if (already.isEmpty()) {
            // A new build: nothing to drop, only counted.
            if (endsLine) {
                count[0]++;
            }
            out.chunk(source, bytes, offset, length, startsLine, endsLine);
            return;
        }
        boolean drop;
        if (startsLine || !dropping.containsKey(key)) {
            drop = count[0] < already.getOrDefault(key, 0L);
            dropping.put(key, drop);
        } else {
            drop = dropping.get(key);
        }
        if (endsLine) {
            count[0]++;
        }
        if (!drop) {
            out.chunk(source, bytes, offset, length, startsLine, endsLine);
        }
    }

    /** Writes a line of the controller's about an {@code input} (dropped when already in the log), and flushes. */
    public void inputLine(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            if (sealed) {
                return;
            }
            write(INPUT_KEY, written.computeIfAbsent(INPUT_KEY, k -> new long[1]), new LogSource(null, null, null, false), b, 0, b.length, true, true);
        }
        out.flush();
    }

    /** A journaled call never runs again, so its line count is not needed any more. */
    public synchronized void forget(String recordedId) {
        String key = "s:" + recordedId;
        written.remove(key);
        if (key.equals(lastKey)) {
            lastSource = null; // its count is gone: a later line of it would start a new one
        }
        if (already.containsKey(key)) {
            done.add(key);
        }
    }

    /** Takes the mark a journal record carries (see {@link FileStepJournal.Checkpoint}). */
    public synchronized FileStepJournal.LogMark mark() {
        long[] p = positions.flushed();
        // Lines already in the log count even where the replay has not come to them again.
        Map<String, Long> lines = new HashMap<>(already);
        written.forEach((k, v) -> {
            if (v[0] > 0) {
                lines.merge(k, v[0], Math::max);
            }
        });
        lines.keySet().removeAll(done);
        return new FileStepJournal.LogMark(p[0], p[1], lines);
    }

    /** Drops everything written from now on (the controller is shutting down; the build resumes later). */
    public void seal() {
        sealed = true;
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void stepStarted(LogSource source, String stepName) {
        if (!sealed && !indexed.test(source.stepId())) {
            out.stepStarted(source, stepName);
        }
    }

    @Override
    public void stepFinished(LogSource source, String status) {
        if (!sealed) {
            out.stepFinished(source, status);
        }
    }

    @Override
    public void stageStarted(String stageId, String name, String parentId) {
        if (!sealed && !indexed.test(stageId)) {
            out.stageStarted(stageId, name, parentId);
        }
    }

    @Override
    public void stageFinished(String stageId, String status, long durationMillis) {
        if (!sealed) {
            out.stageFinished(stageId, status, durationMillis);
        }
    }
}
