package dev.gantry.engine.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copying a stream of a size known up front (a log's announced length, a file entering a backup),
 * shared by the store and the REST API so that both copy in the same bounded way.
 */
public final class Streams {
    private Streams() {
    }

    /**
     * Copies at most {@code length} bytes from {@code in} to {@code out} in 64 KiB chunks, stopping
     * early if {@code in} ends first; neither stream is closed.
     *
     * @throws IOException if reading or writing fails
     */
    public static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }
}
