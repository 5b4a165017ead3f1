package dev.gantry.engine.run;

/**
 * The destination of a build's console log. Output arrives as chunks of one line each: a chunk
 * may start a line (then the sink may prefix it) and may end it (then the sink adds the line
 * break). Lines longer than the splitter's bound arrive as several chunks. Implementations are
 * thread-safe; chunks of one line are never interleaved with other output from the same stream.
 */
public interface LogSink {

    /**
     * Writes part of a line.
     *
     * @param source who wrote it (stage, step, parallel branch, timestamps on or off)
     * @param startsLine whether the chunk is the beginning of a line
     * @param endsLine whether the line ends after the chunk
     */
    void chunk(LogSource source, byte[] bytes, int offset, int length, boolean startsLine, boolean endsLine);

    /** Pushes buffered output to its destination. */
    void flush();

    /**
     * Who wrote a piece of the console log.
     *
     * @param stage the innermost stage, or null
     * @param stepId the step call's id, or null for the engine's own lines
     * @param branch the parallel branch path shown as a prefix ("Tests/Unit"), or null
     * @param timestamps whether lines get a time prefix
     */
    record LogSource(String stage, String stepId, String branch, boolean timestamps) {
    }
}
