package dev.gantry.engine.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Logs as plain files at {@code builds/<job id>/<number>/log}, appended in place. */
final class FileLogStore implements LogStore {
    /** Small: the build's log sink buffers (up to 64 KB) before it writes here. */
    private static final int BUFFER = 8 * 1024;
    static final String INDEX = "log.index";
    private final Store store;
    private final Set<Path> writing = ConcurrentHashMap.newKeySet();

    FileLogStore(Store store) {
        this.store = store;
    }

    @Override
    public OutputStream append(String job, int number) throws IOException {
        Path log = store.buildDirectory(job, number).resolve("log");
        if (!writing.add(log)) {
            throw new IllegalStateException("build " + job + " #" + number + " already has an open log writer; close it before appending again");
        }
        try {
            Files.createDirectories(log.getParent());
            // java.io, not an NIO channel: a build thread interrupted by an abort while it writes a
            // line must not close the log for the rest of the build (post actions still write).
            OutputStream file = new java.io.FileOutputStream(log.toFile(), true);
            return new Writer(new BufferedOutputStream(file, BUFFER), log);
        } catch (IOException | RuntimeException e) {
            writing.remove(log);
            throw e;
        }
    }

    @Override
    public OutputStream appendIndex(String job, int number) throws IOException {
        Path index = store.buildDirectory(job, number).resolve(INDEX);
        if (!writing.add(index)) {
            throw new IllegalStateException("build " + job + " #" + number + " already has an open log index writer; close it before appending again");
        }
        try {
            Files.createDirectories(index.getParent());
            OutputStream file = new java.io.FileOutputStream(index.toFile(), true);
            return new Writer(new BufferedOutputStream(file, 8 * 1024), index);
        } catch (IOException | RuntimeException e) {
            writing.remove(index);
            throw e;
        }
    }

    @Override
    public LogIndex index(String job, int number) throws IOException {
        Path log = logIfKnown(job, number);
        if (log == null) {
            return LogIndex.empty();
        }
        try (InputStream in = Files.newInputStream(log.resolveSibling(INDEX))) {
            return LogIndex.read(in);
        } catch (NoSuchFileException e) {
            return LogIndex.empty();
        }
    }

    @Override
    public InputStream read(String job, int number, java.util.List<LogIndex.Range> ranges) throws IOException {
        Path log = logIfKnown(job, number);
        if (log == null || ranges.isEmpty()) {
            return InputStream.nullInputStream();
        }
        java.nio.channels.FileChannel channel;
        try {
            channel = java.nio.channels.FileChannel.open(log, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return InputStream.nullInputStream();
        }
        return new RangesStream(channel, java.util.List.copyOf(ranges), channel.size());
    }

    @Override
    public long indexSize(String job, int number) throws IOException {
        Path log = logIfKnown(job, number);
        if (log == null) {
            return 0;
        }
        try {
            return Files.size(log.resolveSibling(INDEX));
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    @Override
    public void truncate(String job, int number, long logBytes, long indexBytes) throws IOException {
        Path log = logIfKnown(job, number);
        if (log == null) {
            return;
        }
        cut(log, logBytes);
        cut(log.resolveSibling(INDEX), indexBytes);
    }

    private static void cut(Path file, long length) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (ch.size() > length) {
                ch.truncate(length);
            }
        } catch (NoSuchFileException e) {
            // nothing written yet: nothing to cut
        } catch (IOException e) {
            throw new IOException("cannot cut " + file + " back to " + length + " bytes: " + e.getMessage(), e);
        }
    }

    @Override
    public long size(String job, int number) throws IOException {
        Path log = logIfKnown(job, number);
        if (log == null) {
            return 0;
        }
        try {
            return Files.size(log);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    @Override
    public InputStream read(String job, int number, long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("log offset of build " + job + " #" + number + " must not be negative, was " + offset);
        }
        Path log = logIfKnown(job, number);
        if (log == null) {
            return InputStream.nullInputStream();
        }
        InputStream in;
        long end;
        try {
            in = Files.newInputStream(log);
            end = Files.size(log);
        } catch (NoSuchFileException e) {
            return InputStream.nullInputStream();
        }
        if (offset >= end) {
            in.close();
            return InputStream.nullInputStream();
        }
        try {
            // The file channel's skip seeks: no bytes before the offset are read.
            in.skipNBytes(offset);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        return new Bounded(in, end - offset);
    }

    private Path logIfKnown(String job, int number) {
        return store.jobIdIfAny(job).stream().mapToObj(id -> store.buildDirectory(id, number).resolve("log")).findFirst().orElse(null);
    }

    /** Buffers appends; the bytes reach the file on flush and close, where readers see them. */
    private final class Writer extends OutputStream {
        private final OutputStream out;
        private final Path log;
        private final AtomicBoolean closed = new AtomicBoolean();

        Writer(OutputStream out, Path log) {
            this.out = out;
            this.log = log;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw named(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw named(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw named(e);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed.compareAndSet(false, true)) {
                try {
                    out.close();
                } catch (IOException e) {
                    throw named(e);
                } finally {
                    writing.remove(log);
                }
            }
        }

        /** The OS says "No space left on device" without saying where; users need the file. */
        private IOException named(IOException e) {
            return new IOException(e.getMessage() + " (" + log + ")", e);
        }
    }

    /** Stops at the end the log had when reading began; a live reader asks again from its new offset for more. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long remaining;

        Bounded(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return len == 0 ? 0 : -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The bytes of some ranges of a file, read by position: nothing between them is read. */
    private static final class RangesStream extends InputStream {
        private final java.nio.channels.FileChannel channel;
        private final java.util.List<LogIndex.Range> ranges;
        private final long size;
        private int next;
        private long position;
        private long end;

        RangesStream(java.nio.channels.FileChannel channel, java.util.List<LogIndex.Range> ranges, long size) {
            this.channel = channel;
            this.ranges = ranges;
            this.size = size;
        }

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
            while (position >= end) {
                if (next >= ranges.size()) {
                    return -1;
                }
                LogIndex.Range r = ranges.get(next++);
                position = Math.min(r.start(), size);
                end = Math.min(r.end(), size);
            }
            int n = channel.read(java.nio.ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n < 0) {
                end = position;
                return read(b, off, len);
            }
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
