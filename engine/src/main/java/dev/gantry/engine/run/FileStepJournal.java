package dev.gantry.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The journal of a build on the controller: an append-only file ({@code journal} in the build's
 * directory), one JSON record per line, written with one {@code write(2)} before the script sees
 * the outcome. A file and not a database row: a record costs one system call (no transaction, no
 * lock shared with other builds), and it lives and is deleted with the build's log.
 *
 * <p>A {@code kill -9} of the controller cannot lose a written record (it is in the operating
 * system's cache); a power cut can, unless the journal syncs every record ({@code fsync}), which
 * costs a disk flush per step (see docs/reliability.md). Each step record also carries the
 * {@link LogMark} at that moment, so that a resumed build cuts its log back to the last record and
 * writes on without a gap or a repeated line. A last line cut short by a crash is ignored and cut
 * off when the journal is opened. Records:
 *
 * <pre>
 * {"k":"step","id":"3","step":"sh","v":...,"ft":...,"fm":...,"ir":...,"log":1234,"idx":567,"lines":{...}}
 * {"k":"start","id":"4","t":1700000000000}      the step call first started (sleep and timeout count from it)
 * {"k":"noresume"}                              options { disableResume() }
 * {"k":"result","id":"5","r":"UNSTABLE","stage":false}   the step call made the build's (stage's) result worse
 * {"k":"mark","log":120,"idx":40}                where the log stood when the script started
 * {"k":"node","id":"0","node":"linux-1","ws":"workspace/app@2"}   where a node block ran (re-attaching after a restart)
 * {"k":"launch","task":"s-0a1b..","node":"linux-1","inst":"..."}   a step's process task was handed to that agent process
 * </pre>
 *
 * Thread-safe.
 */
public final class FileStepJournal implements StepJournal, AutoCloseable {
    /** The file name of the journal in a build's directory. */
    public static final String FILE = "journal";

    private final Path file;
    private final boolean fsync;
    private final Map<String, StepOutcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Long> starts = new ConcurrentHashMap<>();
    private final Map<String, java.util.List<ResultChange>> results = new ConcurrentHashMap<>();
    private final Map<String, NodeProvider.Placement> placements = new ConcurrentHashMap<>();
    private final Map<String, Launch> launches = new ConcurrentHashMap<>();
    private final FileOutputStream out;
    private volatile boolean resumeDisabled;
    private volatile LogMark lastMark;
    private volatile Checkpoint checkpoint;
    private volatile boolean sealed;
    private int records;
    /** Records of deferrable calls not written yet: they go out with the next record that is written. */
    private final StringBuilder pending = new StringBuilder();
    private int pendingRecords;
    private static final int PENDING_LIMIT = 64 * 1024;

    /**
     * Where the log stood when a step was recorded: the bytes of the log and of its index then,
     * and how many lines each writer had written ({@link ResumableLogSink}).
     */
    public record LogMark(long logBytes, long indexBytes, Map<String, Long> lines) {
    }

    /** Takes the log's {@link LogMark} as records are written (flushing the log first). */
    public interface Checkpoint {
        /** The log's mark now, everything written so far flushed to the files. */
        LogMark mark();

        /** The step call {@code recordedId} is recorded: it writes no more lines, its count is not needed. */
        void forget(String recordedId);
    }

    private FileStepJournal(Path file, boolean fsync) throws IOException {
        this.file = file;
        this.fsync = fsync;
        long good = load();
        if (good >= 0) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                if (ch.size() > good) {
                    ch.truncate(good);
                }
            }
        }
        // java.io, not an NIO channel: an abort interrupting a build thread while it records
        // must not close the journal for the rest of the build.
        this.out = new FileOutputStream(file.toFile(), true);
    }

    /**
     * Opens (creating) the journal file {@code file}, reading what it holds.
     *
     * @param fsync whether every record is also synced to the disk
     * @throws IOException when it cannot be read or created; the message names the file
     */
    public static FileStepJournal open(Path file, boolean fsync) throws IOException {
        Files.createDirectories(file.getParent());
        try {
            return new FileStepJournal(file, fsync);
        } catch (IOException e) {
            throw new IOException("the journal " + file + " cannot be opened: " + e.getMessage(), e);
        }
    }

    /** Reads the records; returns the length of the well-formed part, or -1 when there is no file. */
    private long load() throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return -1;
        }
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] != '\n') {
                continue;
            }
            String line = new String(all, start, i - start, StandardCharsets.UTF_8);
            try {
                apply(JournalValues.MAPPER.readTree(line));
            } catch (IOException | RuntimeException e) {
                return start; // a record garbled by a crash: it and what follows do not count
            }
            start = i + 1;
        }
        return start;
    }

    private void apply(JsonNode n) {
        records++;
        switch (n.path("k").asText()) {
            case "step" -> {
                String id = n.get("id").asText();
                outcomes.putIfAbsent(id, new StepOutcome(n.path("step").asText(), JournalValues.decode(n.get("v")),
                        text(n, "ft"), text(n, "fm"), text(n, "ir")));
                if (n.has("log")) {
                    Map<String, Long> lines = new LinkedHashMap<>();
                    n.path("lines").fields().forEachRemaining(e -> lines.put(e.getKey(), e.getValue().asLong()));
                    lastMark = new LogMark(n.get("log").asLong(), n.path("idx").asLong(), Map.copyOf(lines));
                }
            }
            case "mark" -> {
                Map<String, Long> lines = new LinkedHashMap<>();
                n.path("lines").fields().forEachRemaining(e -> lines.put(e.getKey(), e.getValue().asLong()));
                lastMark = new LogMark(n.get("log").asLong(), n.path("idx").asLong(), Map.copyOf(lines));
            }
            case "start" -> starts.putIfAbsent(n.get("id").asText(), n.get("t").asLong());
            case "noresume" -> resumeDisabled = true;
            case "launch" -> launches.put(n.get("task").asText(), new Launch(n.path("node").asText(), text(n, "inst")));
            case "node" -> placements.put(n.get("id").asText(), new NodeProvider.Placement(n.path("node").asText(), n.path("ws").asText()));
            case "result" -> results.computeIfAbsent(n.get("id").asText(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                    .add(new ResultChange(n.get("r").asText(), n.path("stage").asBoolean()));
            default -> { } // a later format's record: skipped
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The file this journal is kept in. */
    public Path file() {
        return file;
    }

    /** Sets what takes the log's mark at each step record; null: records carry none. */
    public void checkpoint(Checkpoint c) {
        this.checkpoint = c;
    }

    /** The log's mark at the newest step record read or written, or null when there is none. */
    public LogMark lastMark() {
        return lastMark;
    }

    /** Whether the pipeline disabled resuming ({@code disableResume()}). */
    public boolean resumeDisabled() {
        return resumeDisabled;
    }

    /** How many records the journal holds (read and written). */
    public synchronized int size() {
        return records;
    }

    /**
     * Stops recording: later records are dropped (not written, not remembered). The controller
     * seals a build's journal before it interrupts it for a shutdown, so that the interruption is
     * not journaled as the steps' outcome and the next start resumes them.
     */
    public synchronized void seal() {
        sync();
        sealed = true;
    }

    /** Whether {@link #seal()} was called. */
    @Override
    public boolean sealed() {
        return sealed;
    }

    @Override
    public Optional<StepOutcome> lookup(String id) {
        return Optional.ofNullable(outcomes.get(id));
    }

    @Override
    public void record(String id, StepOutcome outcome) {
        record(id, outcome, false);
    }

    /**
     * Group commit: the record of a deferrable call (a step whose only effect is on the build's
     * log, {@code echo}) is kept in memory and written with the next record that is written, in
     * one system call; the record of any other call is written before this returns, with the log's
     * mark. A crash that loses deferred records also loses their log lines (they are after the last
     * mark): the calls run again on resume, which changes nothing outside the build.
     */
    @Override
    public void record(String id, StepOutcome outcome, boolean deferrable) {
        JsonNode value = outcome.failed() || outcome.value() == null ? null : JournalValues.encode(outcome.stepName(), outcome.value());
        synchronized (this) {
            if (sealed || outcomes.containsKey(id)) {
                return;
            }
            Checkpoint cp = checkpoint;
            if (deferrable && value == null && !outcome.failed() && pending.length() < PENDING_LIMIT) {
                // The common case (an echo), without a JSON tree: {"k":"step","id":"..","step":"..","v":null}
                if (cp != null) {
                    cp.forget(id);
                }
                outcomes.put(id, outcome);
                pending.append("{\"k\":\"step\",\"id\":");
                quote(pending, id);
                pending.append(",\"step\":");
                quote(pending, outcome.stepName());
                pending.append(",\"v\":null}\n");
                pendingRecords++;
                return;
            }
            ObjectNode n = JournalValues.MAPPER.createObjectNode();
            n.put("k", "step");
            n.put("id", id);
            n.put("step", outcome.stepName());
            if (outcome.failed()) {
                n.put("ft", outcome.failureType());
                n.put("fm", outcome.failureMessage());
                n.put("ir", outcome.interruptResult());
            } else {
                n.set("v", value == null ? JournalValues.MAPPER.nullNode() : value);
            }
            Checkpoint c = checkpoint;
            if (c != null) {
                c.forget(id);
            }
            outcomes.put(id, outcome);
            if (deferrable && pending.length() < PENDING_LIMIT) {
                defer(n);
                return;
            }
            LogMark mark = c == null ? null : c.mark();
            if (mark != null) {
                putMark(n, mark);
            }
            write(n);
            if (mark != null) {
                lastMark = mark;
            }
        }
    }

    /** Appends {@code s} as a JSON string. */
    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\\') {
                b.append('\\').append(ch);
            } else if (ch < 0x20) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        b.append('"');
    }

        private static void putMark(ObjectNode n, LogMark mark) {
        n.put("log", mark.logBytes());
        n.put("idx", mark.indexBytes());
        ObjectNode lines = n.putObject("lines");
        mark.lines().forEach(lines::put);
    }

    private void defer(ObjectNode n) {
        try {
            pending.append(JournalValues.MAPPER.writeValueAsString(n)).append('\n');
            pendingRecords++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the deferred records now, with the log's mark (the build ends, or is suspended).
     * Does nothing when none are waiting.
     */
    public synchronized void sync() {
        if (pending.isEmpty() || sealed) {
            return;
        }
        ObjectNode n = JournalValues.MAPPER.createObjectNode();
        n.put("k", "mark");
        Checkpoint c = checkpoint;
        LogMark mark = c == null ? null : c.mark();
        if (mark == null) {
            write(null);
            return;
        }
        putMark(n, mark);
        write(n);
        lastMark = mark;
    }

    @Override
    public long firstStartMillis(String id) {
        Long known = starts.get(id);
        if (known != null) {
            return known;
        }
        synchronized (this) {
            known = starts.get(id);
            if (known != null) {
                return known;
            }
            long now = System.currentTimeMillis();
            if (!sealed) {
                ObjectNode n = JournalValues.MAPPER.createObjectNode();
                n.put("k", "start");
                n.put("id", id);
                n.put("t", now);
                write(n);
            }
            starts.put(id, now);
            return now;
        }
    }

    @Override
    public Optional<NodeProvider.Placement> placement(String key) {
        return Optional.ofNullable(placements.get(key));
    }

    /**
     * Written at once (with the deferred records, behind a mark of the log): the block's steps
     * send work to the node only after this, so a resumed build knows where to look for it.
     */
    @Override
    public synchronized void recordPlacement(String key, NodeProvider.Placement placement) {
        if (sealed || placement.equals(placements.get(key))) {
            return;
        }
        sync();
        ObjectNode n = JournalValues.MAPPER.createObjectNode();
        n.put("k", "node");
        n.put("id", key);
        n.put("node", placement.node());
        n.put("ws", placement.workspace());
        write(n);
        placements.put(key, placement);
    }

    /**
     * Written at once and alone (one small {@code write(2)}, no log mark, the deferred records stay
     * deferred): it is called as the task is handed to the agent, possibly on the agent's poll
     * thread, and the order of launch records among the others does not matter.
     */
    @Override
    public void recordLaunch(String taskId, Launch launch) {
        StringBuilder b = new StringBuilder(128).append("{\"k\":\"launch\",\"task\":");
        quote(b, taskId);
        b.append(",\"node\":");
        quote(b, launch.node());
        if (launch.instance() != null) {
            b.append(",\"inst\":");
            quote(b, launch.instance());
        }
        byte[] line = b.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            if (sealed || launch.equals(launches.get(taskId))) {
                return;
            }
            append(line, 1);
            launches.put(taskId, launch);
        }
    }

    @Override
    public Optional<Launch> launch(String taskId) {
        return Optional.ofNullable(launches.get(taskId));
    }

    @Override
    public synchronized void recordResult(String id, String result, boolean stage) {
        if (sealed || outcomes.containsKey(id)) {
            return;
        }
        ObjectNode n = JournalValues.MAPPER.createObjectNode();
        n.put("k", "result");
        n.put("id", id);
        n.put("r", result);
        n.put("stage", stage);
        defer(n);
        results.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(new ResultChange(result, stage));
    }

    @Override
    public java.util.List<ResultChange> results(String id) {
        return results.getOrDefault(id, java.util.List.of());
    }

    /** Records where the log stands before the script starts (what a resume cuts back to when no step was recorded). */
    public synchronized void begin(LogMark mark) {
        if (sealed) {
            return;
        }
        ObjectNode n = JournalValues.MAPPER.createObjectNode();
        n.put("k", "mark");
        putMark(n, mark);
        write(n);
        lastMark = mark;
    }

    @Override
    public synchronized void disableResume() {
        if (resumeDisabled || sealed) {
            resumeDisabled = true;
            return;
        }
        ObjectNode n = JournalValues.MAPPER.createObjectNode();
        n.put("k", "noresume");
        // Written at once: the pipeline may wait (input) without another record for hours.
        write(n);
        resumeDisabled = true;
    }

    /** Writes the deferred records and then {@code n} (null: none) in one system call. */
    private void write(ObjectNode n) {
        byte[] line;
        try {
            if (n != null) {
                pending.append(JournalValues.MAPPER.writeValueAsString(n)).append('\n');
            }
            line = pending.toString().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int count = pendingRecords + (n == null ? 0 : 1);
        pending.setLength(0);
        pendingRecords = 0;
        append(line, count);
    }

    /** Writes {@code line} (holding {@code count} records) to the file, synced when {@code fsync} asks; caller holds the lock. */
    private void append(byte[] line, int count) {
        try {
            out.write(line);
            if (fsync) {
                out.getFD().sync();
            }
            records += count;
        } catch (IOException e) {
            throw new dev.gantry.api.step.StepFailedException("the journal " + file + " cannot be written: " + e.getMessage()
                    + " (free disk space, then restart the build)", e);
        }
    }

    @Override
    public void close() {
        sync();
        try {
            out.close();
        } catch (IOException e) {
            // nothing was lost: every record was written when it was made
        }
    }
}
