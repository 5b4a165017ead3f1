package dev.gantry.engine.jobs;

import java.util.Objects;

/**
 * One thing wrong with a job definition: where (file, 1-based line and column when known, the
 * field's path such as {@code parameters[1].type}), which job, and what to do.
 *
 * @param file the definition file's name, or null for a REST body
 * @param line 0 when not known
 * @param column 0 when not known
 * @param job the job's name when known, else null
 * @param field the field's path, or null for the whole definition
 * @param message for a user
 */
public record DefinitionProblem(String file, int line, int column, String job, String field, String message)
        implements Comparable<DefinitionProblem> {

    public DefinitionProblem {
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line:column: message}, leaving out what is not known. */
    public String format() {
        StringBuilder b = new StringBuilder();
        if (file != null) {
            b.append(file).append(':');
        }
        if (line > 0) {
            b.append(line).append(':').append(column).append(':');
        }
        if (!b.isEmpty()) {
            b.append(' ');
        }
        if (line <= 0 && field != null) {
            b.append(field).append(": ");
        }
        return b.append(message).toString();
    }

    @Override
    public int compareTo(DefinitionProblem o) {
        int c = Integer.compare(line, o.line);
        return c != 0 ? c : Integer.compare(column, o.column);
    }
}
