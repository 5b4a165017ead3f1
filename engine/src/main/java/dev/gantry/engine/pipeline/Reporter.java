package dev.gantry.engine.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.codehaus.groovy.ast.ASTNode;

/** Collects the problems of one lint run; one instance per run, so not shared between threads. */
final class Reporter {
    private final List<Problem> problems = new ArrayList<>();

    void at(ASTNode node, String message) {
        problems.add(new Problem(node == null ? 1 : node.getLineNumber(), node == null ? 1 : node.getColumnNumber(),
                message));
    }

    void at(int line, int column, String message) {
        problems.add(new Problem(line, column, message));
    }

    List<Problem> problems() {
        return problems;
    }
}
