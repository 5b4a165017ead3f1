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
     * A step call starts running (not called for calls answered from the journal). The default
     * ignores it; the controller's log index records it.
     *
     * @param source the call's log source ({@link LogSource#stepId()} not null)
     * @param stepName the step's function name ({@code sh}, {@code dir})
     */
    default void stepStarted(LogSource source, String stepName) {
    }

    /**
     * A step call ended.
     *
     * @param status SUCCESS, FAILURE, ABORTED or another {@link dev.gantry.api.Result} name
     */
    default void stepFinished(LogSource source, String status) {
    }

    /** A stage starts; {@code parentId} is the enclosing stage's id or null. The default ignores it. */
    default void stageStarted(String stageId, String name, String parentId) {
    }

    /** A stage ended with {@code status} (a {@link StageRecord.Status} name) after {@code durationMillis}. */
    default void stageFinished(String stageId, String status, long durationMillis) {
    }

    /**
     * Who wrote a piece of the console log.
     *
     * @param stage the innermost stage, or null
     * @param stepId the step call's id, or null for the engine's own lines
     * @param branch the parallel branch path shown as a prefix ("Tests/Unit"), or null
     * @param timestamps whether lines get a time prefix
     * @param stageId the innermost stage's id within the build ({@link StageRecord#id()}), or null
     */
    record LogSource(String stage, String stepId, String branch, boolean timestamps, String stageId) {
        public LogSource(String stage, String stepId, String branch, boolean timestamps) {
            this(stage, stepId, branch, timestamps, null);
        }
    }
}
