package dev.gantry.engine.run;

import java.io.OutputStream;

/**
 * Turns a byte stream (a process's output) into line chunks for a {@link LogSink}, holding at
 * most one bounded line in memory: a line longer than the bound is passed on in pieces. A
 * {@code \r\n} ending is kept as {@code \r} plus the sink's line break. Not thread-safe: one
 * writer per stream.
 */
final class LineSplittingStream extends OutputStream {
    static final int MAX_LINE = 64 * 1024;
    private final LogSink sink;
    private final LogSink.LogSource source;
    private final Runnable onActivity;
    /** Grows with the longest unfinished line (up to {@link #MAX_LINE}): most steps never need 64 KB. */
    private byte[] buf = new byte[0];
    private int len;
    private boolean atLineStart = true;
    private boolean closed;

    LineSplittingStream(LogSink sink, LogSink.LogSource source, Runnable onActivity) {
        this.sink = sink;
        this.source = source;
        this.onActivity = onActivity;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int n) {
        int end = off + n;
        int start = off;
        for (int i = off; i < end; i++) {
            if (b[i] == '\n') {
                emit(b, start, i - start, true);
                start = i + 1;
            }
        }
        if (start < end) {
            int rest = end - start;
            if (len + rest > MAX_LINE) {
                emit(b, start, rest, false);
            } else {
                hold(b, start, rest);
            }
        }
        if (n > 0) {
            onActivity.run();
        }
    }

    private void emit(byte[] b, int off, int n, boolean endsLine) {
        if (len > 0) {
            if (len + n <= MAX_LINE) {
                hold(b, off, n);
                sink.chunk(source, buf, 0, len, atLineStart, endsLine);
                len = 0;
                atLineStart = endsLine;
                return;
            }
            sink.chunk(source, buf, 0, len, atLineStart, false);
            len = 0;
            atLineStart = false;
        }
        sink.chunk(source, b, off, n, atLineStart, endsLine);
        atLineStart = endsLine;
    }

    private void hold(byte[] b, int off, int n) {
        if (len + n > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.min(MAX_LINE, Math.max(Math.max(256, 2 * buf.length), len + n)));
        }
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    @Override
    public void flush() {
        sink.flush();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (len > 0 || !atLineStart) {
            sink.chunk(source, buf, 0, len, atLineStart, true);
            len = 0;
        }
        atLineStart = true;
    }
}
