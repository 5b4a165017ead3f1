package dev.gantry.engine.workspace;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Lets a stream written on top of a caller's stream (a tar archive, a copy) finish and close
 * without closing the caller's stream, which stays the caller's to close.
 */
public final class NonClosingOutputStream extends FilterOutputStream {
    /** Wraps {@code out}, which must not be null. */
    public NonClosingOutputStream(OutputStream out) {
        super(out);
    }

    /** Writes straight through (FilterOutputStream would write byte by byte). */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    /** Flushes the wrapped stream and leaves it open. */
    @Override
    public void close() throws IOException {
        out.flush();
    }
}
