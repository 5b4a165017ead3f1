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
    private static final int BUFFER = 64 * 1024;
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
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed.compareAndSet(false, true)) {
                try {
                    out.close();
                } finally {
                    writing.remove(log);
                }
            }
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
}
