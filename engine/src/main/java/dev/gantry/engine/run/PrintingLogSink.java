package dev.gantry.engine.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes the console log to a stream as a person reads it: parallel branch lines prefixed with
 * {@code [branch] }, time-stamped lines with {@code [HH:mm:ss.SSS] }, bytes otherwise untouched
 * (ANSI colours and text that is not UTF-8 pass through). Buffered; flushed by
 * {@link #flush()} and whenever output has waited 100 ms.
 */
public final class PrintingLogSink implements LogSink, AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final int FIRST_BUFFER = 512;
    private static final int MAX_BUFFER = 1 << 16;
    /**
     * One thread for the delayed flushes of every sink: a controller running a thousand builds
     * would otherwise keep a thousand threads waking up ten times a second to look for output.
     */
    private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("gantry-log-flusher").unstarted(r));
    private final OutputStream out;
    /** Grows as output comes (up to {@link #MAX_BUFFER}): a quiet build's log holds a few hundred bytes, not 64 KB. */
    private byte[] buf = new byte[FIRST_BUFFER];
    private int count;
    private boolean flushScheduled;
    private volatile boolean dirty;
    private volatile boolean closed;
    private long position;

    public PrintingLogSink(OutputStream out) {
        this.out = out;
    }

    private void flushLater() {
        if (!flushScheduled && !closed) {
            flushScheduled = true;
            FLUSHER.schedule(this::delayedFlush, 100, TimeUnit.MILLISECONDS);
        }
    }

    private void delayedFlush() {
        synchronized (this) {
            flushScheduled = false;
        }
        if (dirty && !closed) {
            try {
                flush();
            } catch (RuntimeException e) {
                // The writer sees the failure at its next write or flush; this thread serves every build.
            }
        }
    }

    @Override
    public synchronized void chunk(LogSource source, byte[] bytes, int offset, int length, boolean startsLine, boolean endsLine) {
        append(source, bytes, offset, length, startsLine, endsLine);
    }

    /**
     * As {@link #chunk}, and puts the {@link #position()} before and after it into {@code span}:
     * one lock for what would take three calls (a log indexed by byte range, six million lines in W5).
     */
    public synchronized void chunk(LogSource source, byte[] bytes, int offset, int length, boolean startsLine, boolean endsLine, long[] span) {
        span[0] = position;
        append(source, bytes, offset, length, startsLine, endsLine);
        span[1] = position;
    }

    private void append(LogSource source, byte[] bytes, int offset, int length, boolean startsLine, boolean endsLine) {
        try {
            if (startsLine) {
                if (source.timestamps()) {
                    write(('[' + LocalTime.now().format(TIME) + "] ").getBytes(StandardCharsets.US_ASCII));
                }
                if (source.branch() != null) {
                    write(('[' + source.branch() + "] ").getBytes(StandardCharsets.UTF_8));
                }
            }
            put(bytes, offset, length);
            position += length;
            if (endsLine) {
                put(NEWLINE, 0, 1);
                position++;
            }
            if (!dirty) {
                dirty = true; // a volatile write per line would cost a fence per line
            }
            flushLater();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the console log: " + e.getMessage(), e);
        }
    }

    private static final byte[] NEWLINE = {'\n'};

    private void write(byte[] b) throws IOException {
        put(b, 0, b.length);
        position += b.length;
    }

    private void put(byte[] b, int off, int len) throws IOException {
        if (len >= MAX_BUFFER) {
            drain();
            out.write(b, off, len);
            return;
        }
        if (count + len > buf.length) {
            if (count + len > MAX_BUFFER) {
                drain();
            }
            if (count + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.min(MAX_BUFFER, Math.max(2 * buf.length, count + len)));
            }
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    private void drain() throws IOException {
        if (count > 0) {
            out.write(buf, 0, count);
            count = 0;
        }
    }

    /**
     * Bytes written to this sink so far (buffered ones included): the offset, relative to where
     * the stream stood when the sink was made, at which the next chunk's bytes will start.
     */
    public synchronized long position() {
        return position;
    }

    @Override
    public synchronized void flush() {
        try {
            drain();
            out.flush();
            dirty = false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the console log: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        flush();
    }
}
