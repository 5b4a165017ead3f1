package dev.gantry.engine.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Build logs: append-only files under the home, not rows in the database, so a 50 MB log does
 * not bloat it. Readers may read while the writer appends (live logs); offsets are byte offsets.
 * Thread-safe.
 */
public interface LogStore {

    /** Opens the build's log for appending (creating it); one writer per build at a time. */
    OutputStream append(String job, int number) throws IOException;

    /** Bytes written so far; 0 when there is no log. */
    long size(String job, int number) throws IOException;

    /** Reads from {@code offset} to the current end. */
    InputStream read(String job, int number, long offset) throws IOException;

    /**
     * Opens the build's log index ({@link LogIndex}, the file {@code log.index} beside the log)
     * for appending, creating it; one writer per build at a time, like {@link #append}. Write
     * failures name the file.
     *
     * @throws java.util.NoSuchElementException when the build does not exist
     */
    OutputStream appendIndex(String job, int number) throws IOException;

    /** The build's log index as written so far; {@link LogIndex#empty()} when there is none. */
    LogIndex index(String job, int number) throws IOException;

    /**
     * Reads {@code ranges} of the log (ascending, as {@link LogIndex#ranges} gives them) one after
     * the other, seeking over everything else: the cost is the ranges' size, not the log's. Ranges
     * are cut at the log's current end.
     */
    InputStream read(String job, int number, java.util.List<LogIndex.Range> ranges) throws IOException;

    /** Bytes of the build's log index so far; 0 when there is none. */
    long indexSize(String job, int number) throws IOException;

    /**
     * Cuts the build's log and log index back to {@code logBytes} and {@code indexBytes} (a resumed
     * build writes on from where its journal says the log stood). Lengths beyond a file's end leave
     * it as it is. Not while a writer is open.
     *
     * @throws IOException naming the file when it cannot be cut
     */
    void truncate(String job, int number, long logBytes, long indexBytes) throws IOException;
}
