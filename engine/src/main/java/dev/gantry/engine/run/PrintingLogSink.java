package dev.gantry.engine.run;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * Writes the console log to a stream as a person reads it: parallel branch lines prefixed with
 * {@code [branch] }, time-stamped lines with {@code [HH:mm:ss.SSS] }, bytes otherwise untouched
 * (ANSI colours and text that is not UTF-8 pass through). Buffered; flushed by
 * {@link #flush()} and whenever output has waited 100 ms.
 */
public final class PrintingLogSink implements LogSink, AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private final OutputStream out;
    private final Thread flusher;
    private volatile boolean dirty;
    private volatile boolean closed;
    private long position;

    public PrintingLogSink(OutputStream out) {
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.flusher = Thread.ofVirtual().name("log-flusher").start(this::flushPeriodically);
    }

    private void flushPeriodically() {
        while (!closed) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            if (dirty) {
                flush();
            }
        }
    }

    @Override
    public synchronized void chunk(LogSource source, byte[] bytes, int offset, int length, boolean startsLine, boolean endsLine) {
        try {
            if (startsLine) {
                if (source.timestamps()) {
                    write(('[' + LocalTime.now().format(TIME) + "] ").getBytes(StandardCharsets.US_ASCII));
                }
                if (source.branch() != null) {
                    write(('[' + source.branch() + "] ").getBytes(StandardCharsets.UTF_8));
                }
            }
            out.write(bytes, offset, length);
            position += length;
            if (endsLine) {
                out.write('\n');
                position++;
            }
            dirty = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the console log: " + e.getMessage(), e);
        }
    }

    private void write(byte[] b) throws IOException {
        out.write(b);
        position += b.length;
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
            out.flush();
            dirty = false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the console log: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        flusher.interrupt();
        flush();
    }
}
