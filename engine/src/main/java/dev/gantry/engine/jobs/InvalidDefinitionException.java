package dev.gantry.engine.jobs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A job definition (or a file of them) that cannot be applied, with every problem found. */
public final class InvalidDefinitionException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<DefinitionProblem> problems;

    public InvalidDefinitionException(List<DefinitionProblem> problems) {
        super(summary(problems));
        List<DefinitionProblem> sorted = new ArrayList<>(problems);
        Collections.sort(sorted);
        this.problems = List.copyOf(sorted);
    }

    private static String summary(List<DefinitionProblem> problems) {
        if (problems.isEmpty()) {
            return "invalid job definition";
        }
        DefinitionProblem first = problems.stream().sorted().findFirst().orElseThrow();
        return first.format() + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "");
    }

    /** Every problem, by line and column; never empty. */
    public List<DefinitionProblem> problems() {
        return problems;
    }
}
