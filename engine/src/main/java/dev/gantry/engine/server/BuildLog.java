package dev.gantry.engine.server;

import dev.gantry.engine.run.LogSink;
import dev.gantry.engine.run.PrintingLogSink;
import dev.gantry.engine.store.LogIndex;
import dev.gantry.engine.store.LogStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The log of one running build on the controller: the console text (as {@link PrintingLogSink}
 * writes it) in the log file, and beside it the {@link LogIndex} of which stage or step wrote
 * which bytes. Every flush writes the log first, then the index, then tells the followers.
 *
 * <p>When the log cannot be written (a full disk), the first failure is reported once with a
 * message naming the build and the file, and from then on output is dropped instead of thrown at
 * the steps: the build is stopped by whoever listens ({@link #onFailure}), and nothing else of
 * the controller is disturbed. Thread-safe.
 */
final class BuildLog implements LogSink, AutoCloseable {
    private final String job;
    private final int number;
    private final long base;
    private final Guard logFile;
    private final Guard indexFile;
    private final PrintingLogSink printer;
    /** Where the printer stood before and after the current chunk (used under this object's lock). */
    private final long[] span = new long[2];
    private final LogIndex.Writer index;
    private final Runnable onCommit;
    private final Consumer<String> recordFailure;
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong indexBytes = new java.util.concurrent.atomic.AtomicLong();
    private volatile String failure;
    private volatile Consumer<String> onFailure;

    private BuildLog(String job, int number, long base, OutputStream log, OutputStream idx, LogIndex existing,
                     Runnable onCommit, Consumer<String> recordFailure) {
        this.job = job;
        this.number = number;
        this.base = base;
        this.onCommit = onCommit;
        this.recordFailure = recordFailure;
        this.indexFile = new Guard(new java.io.FilterOutputStream(idx) {
            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                out.write(b, off, len);
                indexBytes.addAndGet(len);
            }

            @Override
            public void write(int b) throws java.io.IOException {
                out.write(b);
                indexBytes.incrementAndGet();
            }
        }, false);
        this.index = new LogIndex.Writer(indexFile, existing);
        this.logFile = new Guard(log, true);
        this.printer = new PrintingLogSink(logFile);
    }

    static BuildLog open(LogStore store, String job, int number, Runnable onCommit, Consumer<String> recordFailure) throws IOException {
        long base = store.size(job, number);
        LogIndex existing = store.index(job, number);
        OutputStream log = store.append(job, number);
        OutputStream idx;
        try {
            idx = store.appendIndex(job, number);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        BuildLog opened = new BuildLog(job, number, base, log, idx, existing, onCommit, recordFailure);
        opened.indexBytes.set(store.indexSize(job, number));
        return opened;
    }

    /**
     * Flushes the log and its index to their files and returns their lengths then: {log bytes,
     * index bytes}. What a journal record marks, so that a resumed build can cut both back to it.
     */
    synchronized long[] flushed() {
        printer.flush();
        return new long[] {base + printer.position(), indexBytes.get()};
    }

    /**
     * Sets who is told (once, on a new thread) when the log cannot be written; told at once when
     * it already failed.
     */
    void onFailure(Consumer<String> listener) {
        this.onFailure = listener;
        String f = failure;
        if (f != null) {
            Thread.ofVirtual().name("log-failure").start(() -> listener.accept(f));
        }
    }

    /** Why the log could not be written, or null. */
    String failure() {
        return failure;
    }

    /** Writes one line of the controller's own (not attributed to a stage or step). */
    void line(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        chunk(new LogSource(null, null, null, false), b, 0, b.length, true, true);
    }

    @Override
    public synchronized void chunk(LogSource source, byte[] bytes, int offset, int length, boolean startsLine, boolean endsLine) {
        if (failure != null) {
            return;
        }
        printer.chunk(source, bytes, offset, length, startsLine, endsLine, span);
        String owner = source.stepId() != null ? source.stepId() : source.stageId();
        if (owner != null) {
            index.range(owner, base + span[0], base + span[1]);
        }
    }

    @Override
    public void flush() {
        printer.flush();
    }

    @Override
    public void stepStarted(LogSource source, String stepName) {
        started.put(source.stepId(), System.nanoTime());
        index.step(source.stepId(), stepName, source.stageId(), System.currentTimeMillis());
    }

    @Override
    public void stepFinished(LogSource source, String status) {
        Long t = started.remove(source.stepId());
        index.end(source.stepId(), status, t == null ? 0 : (System.nanoTime() - t) / 1_000_000);
    }

    @Override
    public void stageStarted(String stageId, String name, String parentId) {
        index.stage(stageId, name, parentId, System.currentTimeMillis());
    }

    @Override
    public void stageFinished(String stageId, String status, long durationMillis) {
        index.end(stageId, status, durationMillis);
    }

    /** Flushes and closes both files; failures were already reported. */
    @Override
    public void close() {
        printer.close();
        logFile.closeQuietly();
        indexFile.closeQuietly();
        onCommit.run();
    }

    private void fail(IOException e) {
        // Its own lock: the flusher reaches here holding the printer, a chunk holding this.
        synchronized (started) {
            if (failure != null) {
                return;
            }
            failure = "the log of " + job + " #" + number + " cannot be written: " + e.getMessage();
        }
        String message = failure;
        recordFailure.accept(message);
        System.getLogger(BuildLog.class.getName()).log(System.Logger.Level.ERROR, message);
        Consumer<String> l = onFailure;
        if (l != null) {
            // Not on this thread: it may be a build thread inside a step, or the flusher holding the printer.
            Thread.ofVirtual().name("log-failure").start(() -> l.accept(message));
        }
    }

    /**
     * A file stream that never throws at the writer: the first failure is reported, later
     * output is dropped. The log's flush commits the index and tells the followers.
     */
    private final class Guard extends OutputStream {
        private final OutputStream out;
        private final boolean isLog;

        Guard(OutputStream out, boolean isLog) {
            this.out = out;
            this.isLog = isLog;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (failure != null) {
                return;
            }
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                fail(e);
            }
        }

        @Override
        public void flush() {
            if (failure != null) {
                return;
            }
            try {
                out.flush();
                if (isLog) {
                    index.commit();
                }
            } catch (IOException e) {
                fail(e);
                return;
            }
            if (isLog) {
                onCommit.run();
            }
        }

        void closeQuietly() {
            try {
                if (failure == null) {
                    out.close();
                    return;
                }
            } catch (IOException e) {
                fail(e);
            }
            try {
                out.close();
            } catch (IOException e) {
                // already reported: the first failure is the one users need
            }
        }
    }
}
