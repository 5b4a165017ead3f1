package dev.gantry.engine.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What linting one file found: its kind and every problem, sorted by line and then column
 * (problems at the same place keep the order they were found in).
 *
 * @param kind the kind of pipeline; for a file that does not parse, a guess from its text
 * @param problems every problem found; empty when the file is valid
 */
public record LintResult(PipelineKind kind, List<Problem> problems) {

    public LintResult {
        Objects.requireNonNull(kind, "kind");
        List<Problem> sorted = new ArrayList<>(problems);
        Collections.sort(sorted);
        problems = List.copyOf(sorted);
    }

    /** True when there is no problem. */
    public boolean ok() {
        return problems.isEmpty();
    }
}
