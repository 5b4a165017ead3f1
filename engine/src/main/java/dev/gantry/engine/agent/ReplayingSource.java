package dev.gantry.engine.agent;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stream sent over the network that can be sent again from an offset after the connection
 * dropped: it keeps the last bytes it read from its source (up to a capacity, the most a dropped
 * connection can have lost in flight), and each {@link #from(long)} gives a new reader that
 * replays from that offset before reading on. A new reader supersedes the older ones, which fail
 * from then on. Thread-safe.
 */
final class ReplayingSource {
    /** What a transfer keeps for resuming: more than socket and proxy buffers hold in flight. */
    static final int DEFAULT_CAPACITY = 8 * 1024 * 1024;

    private final InputStream source;
    private final int capacity;
    private byte[] ring = new byte[0];
    private long consumed;
    private boolean eof;
    private int generation;

    ReplayingSource(InputStream source, int capacity) {
        this.source = source;
        this.capacity = capacity;
    }

    /** How many bytes were read from the source so far. */
    synchronized long consumed() {
        return consumed;
    }

    /** The lowest offset a reader can still start at. */
    synchronized long oldest() {
        return Math.max(0, consumed - ring.length);
    }

    /** Whether a reader can start at {@code offset}: between {@link #oldest()} and {@link #consumed()}. */
    synchronized boolean canStartAt(long offset) {
        return offset >= oldest() && offset <= consumed;
    }

    /**
     * A reader of the stream from {@code offset}; older readers fail from now on.
     *
     * @throws IOException when the bytes from {@code offset} are no longer kept, or not read yet
     */
    synchronized InputStream from(long offset) throws IOException {
        if (!canStartAt(offset)) {
            throw new IOException("cannot resume at byte " + offset + ": only bytes " + oldest() + " to " + consumed
                    + " are kept for resuming");
        }
        int gen = ++generation;
        return new InputStream() {
            private long pos = offset;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int n = readAt(gen, pos, b, off, len);
                if (n > 0) {
                    pos += n;
                }
                return n;
            }
        };
    }

    /** Closes the source. */
    void close() throws IOException {
        source.close();
    }

    private synchronized int readAt(int gen, long pos, byte[] b, int off, int len) throws IOException {
        if (gen != generation) {
            throw new IOException("this transfer was superseded by a resumed one");
        }
        if (pos < consumed) {
            int at = (int) (pos % ring.length);
            int n = (int) Math.min(len, Math.min(consumed - pos, ring.length - at));
            System.arraycopy(ring, at, b, off, n);
            return n;
        }
        if (eof) {
            return -1;
        }
        int n = source.read(b, off, len);
        if (n < 0) {
            eof = true;
            return -1;
        }
        keep(b, off, n);
        return n;
    }

    private void keep(byte[] b, int off, int n) {
        if (capacity <= 0) {
            consumed += n;
            return;
        }
        if (consumed + n > ring.length && ring.length < capacity) {
            // Grown only before the ring wraps, so byte p still sits at index p.
            byte[] bigger = new byte[(int) Math.min(capacity, Math.max(consumed + n, Math.max(64 * 1024, 2L * ring.length)))];
            System.arraycopy(ring, 0, bigger, 0, (int) consumed);
            ring = bigger;
        }
        int from = off;
        int left = n;
        if (left > ring.length) {
            from += left - ring.length;
            consumed += left - ring.length;
            left = ring.length;
        }
        while (left > 0) {
            int at = (int) (consumed % ring.length);
            int chunk = Math.min(left, ring.length - at);
            System.arraycopy(b, from, ring, at, chunk);
            from += chunk;
            left -= chunk;
            consumed += chunk;
        }
    }
}
