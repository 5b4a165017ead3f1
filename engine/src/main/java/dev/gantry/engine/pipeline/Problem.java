package dev.gantry.engine.pipeline;

import java.util.Objects;

/**
 * One thing wrong with a pipeline file, at a 1-based line and column, as {@code gantry lint}
 * prints it and as the runtime reports an invalid pipeline.
 *
 * @param line the 1-based line
 * @param column the 1-based column
 * @param message what is wrong and what to do, for a user
 */
public record Problem(int line, int column, String message) implements Comparable<Problem> {

    public Problem {
        Objects.requireNonNull(message, "message");
        line = Math.max(1, line);
        column = Math.max(1, column);
    }

    /** The problem as {@code file:line:column: message}; {@code file} is printed as given. */
    public String format(String file) {
        return file + ":" + line + ":" + column + ": " + message;
    }

    @Override
    public int compareTo(Problem o) {
        int c = Integer.compare(line, o.line);
        return c != 0 ? c : Integer.compare(column, o.column);
    }
}
