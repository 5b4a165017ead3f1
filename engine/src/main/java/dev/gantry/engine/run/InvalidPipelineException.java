package dev.gantry.engine.run;

import dev.gantry.engine.pipeline.Problem;
import java.util.List;

/** The pipeline cannot be compiled; nothing ran. Carries the problems with their positions. */
public final class InvalidPipelineException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    InvalidPipelineException(List<Problem> problems) {
        super(problems.isEmpty() ? "invalid pipeline" : problems.get(0).message());
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
