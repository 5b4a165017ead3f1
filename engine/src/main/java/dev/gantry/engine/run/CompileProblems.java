package dev.gantry.engine.run;

import dev.gantry.engine.pipeline.Problem;
import java.util.ArrayList;
import java.util.List;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SimpleMessage;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

/** Compiler failures as problems with line and column, in words a pipeline author can act on. */
final class CompileProblems {
    private CompileProblems() {
    }

    static Problem tooLarge() {
        return new Problem(1, 1, "the pipeline is too large to compile: the JVM allows at most 65,535 constants per class and"
                + " 64 KB of code per method; move code into files run with load, or split the pipeline");
    }

    static List<Problem> of(CompilationFailedException e) {
        List<Problem> out = new ArrayList<>();
        if (e instanceof MultipleCompilationErrorsException m) {
            for (Message msg : m.getErrorCollector().getErrors()) {
                if (msg instanceof SyntaxErrorMessage sem) {
                    SyntaxException se = sem.getCause();
                    out.add(new Problem(Math.max(1, se.getLine()), Math.max(1, se.getStartColumn()), clean(se.getOriginalMessage())));
                } else if (msg instanceof ExceptionMessage em) {
                    Exception cause = em.getCause();
                    String name = cause == null ? "" : cause.getClass().getName();
                    out.add(name.endsWith("TooLargeException") ? tooLarge()
                            : new Problem(1, 1, clean(cause == null ? "compilation failed" : String.valueOf(cause.getMessage()))));
                } else if (msg instanceof SimpleMessage sm) {
                    out.add(new Problem(1, 1, clean(sm.getMessage())));
                }
            }
        }
        if (out.isEmpty()) {
            out.add(new Problem(1, 1, clean(e.getMessage())));
        }
        return out;
    }

    private static String clean(String m) {
        if (m == null) {
            return "compilation failed";
        }
        return m.replace("startup failed:", "").replaceAll("\\s+", " ").trim();
    }
}
