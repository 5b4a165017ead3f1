package dev.gantry.engine.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded in-memory pipe between two threads of any kind (the JDK's piped streams tie
 * themselves to the threads that used them, which pooled and virtual threads break). The
 * writer blocks while the buffer is full; closing the reader makes the writer fail, closing the
 * writer ends the reader's stream, and {@link #fail} hands the reader an error instead.
 */
final class Pipe {
    private final byte[] buffer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int head;
    private int size;
    private boolean writerClosed;
    private boolean readerClosed;
    private IOException failure;

    Pipe(int capacity) {
        this.buffer = new byte[capacity];
    }

    /** Ends the reader's stream with {@code e} (after the bytes already written). */
    void fail(IOException e) {
        lock.lock();
        try {
            failure = e;
            writerClosed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the reading end: a writer blocked on a full buffer fails instead of waiting. */
    void closeReader() {
        lock.lock();
        try {
            readerClosed = true;
            size = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    final OutputStream sink = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            lock.lock();
            try {
                while (len > 0) {
                    while (size == buffer.length && !readerClosed) {
                        changed.awaitUninterruptibly();
                    }
                    if (readerClosed) {
                        throw new IOException("the reader of the pipe stopped reading");
                    }
                    int tail = (head + size) % buffer.length;
                    int n = Math.min(len, Math.min(buffer.length - size, buffer.length - tail));
                    System.arraycopy(b, off, buffer, tail, n);
                    size += n;
                    off += n;
                    len -= n;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                writerClosed = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    };

    final InputStream source = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            lock.lock();
            try {
                while (size == 0 && !writerClosed) {
                    try {
                        changed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted while reading from the agent");
                    }
                }
                if (size == 0) {
                    if (failure != null) {
                        throw new IOException(failure.getMessage(), failure);
                    }
                    return -1;
                }
                int n = Math.min(len, Math.min(size, buffer.length - head));
                System.arraycopy(buffer, head, b, off, n);
                head = (head + n) % buffer.length;
                size -= n;
                changed.signalAll();
                return n;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            closeReader();
        }
    };
}
