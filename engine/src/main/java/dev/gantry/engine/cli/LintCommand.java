package dev.gantry.engine.cli;

import dev.gantry.engine.pipeline.LintResult;
import dev.gantry.engine.pipeline.PipelineLinter;
import dev.gantry.engine.pipeline.Problem;
import dev.gantry.engine.steps.StepLibrary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gantry lint FILE...}: every problem as FILE:LINE:COLUMN: message, before anything runs. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {"Checks pipeline files without running them.",
                "Prints each problem as FILE:LINE:COLUMN: message; exits 0 when every file is valid, 2 otherwise."})
final class LintCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Pipeline files (Jenkinsfile, *.groovy).")
    List<String> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PipelineLinter linter = new PipelineLinter(LocalPlugins.steps(spec.commandLine().getErr()));
        boolean ok = true;
        for (String f : files) {
            List<Problem> problems;
            try {
                problems = lint(linter, f).problems();
            } catch (IOException e) {
                out.println(f + ":1:1: cannot read the file: " + e.getMessage());
                ok = false;
                continue;
            }
            for (Problem p : problems) {
                out.println(p.format(f));
            }
            ok &= problems.isEmpty();
        }
        out.flush();
        return ok ? 0 : Main.USAGE;
    }

    /** Reads and lints one file; a file that is not UTF-8 text is one problem, not an exception. */
    static LintResult lint(PipelineLinter linter, String file) throws IOException {
        return linter.lint(file, Files.readAllBytes(Path.of(file)));
    }
}
