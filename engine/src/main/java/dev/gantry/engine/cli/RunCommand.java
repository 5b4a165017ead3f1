package dev.gantry.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gantry.engine.pipeline.LintResult;
import dev.gantry.engine.pipeline.PipelineLinter;
import dev.gantry.engine.pipeline.Problem;
import dev.gantry.engine.local.LocalRun;
import dev.gantry.engine.run.InvalidPipelineException;
import dev.gantry.engine.steps.StepLibrary;
import dev.gantry.engine.workspace.LocalProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry run FILE}: lints the pipeline, then runs it on this machine, streaming the console
 * log to standard output; writes a JSON report on request; exits with the build's result.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a pipeline on this machine, without a controller.",
                "Exit codes: 0 SUCCESS, 1 FAILURE, 2 invalid pipeline or usage, 3 UNSTABLE, 4 ABORTED."})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The pipeline file (a Jenkinsfile).")
    Path file;

    @Option(names = "--workspace", paramLabel = "DIR", description = "The workspace directory (default: the current directory). Created if missing.")
    Path workspace;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A build parameter; repeatable.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--input", paramLabel = "ID=VALUE", description = {"Answers an input step: ID (proceed), ID=abort, ID=VALUE for its single parameter,",
            "ID.PARAM=VALUE for one of several; repeatable. Unanswered inputs are asked on the terminal, else the build is aborted."})
    List<String> inputs = new java.util.ArrayList<>();

    @Option(names = "--report", paramLabel = "FILE", description = "Writes a JSON report of the run (result, stages, tests, artifacts).")
    Path report;

    @Option(names = "--artifacts", paramLabel = "DIR", description = "Where archived artifacts go (default: WORKSPACE@artifacts beside the workspace).")
    Path artifacts;

    @Option(names = "--log-json", paramLabel = "FILE", description = "Also writes the console log as JSON lines, each with its stage, step and parallel branch.")
    Path logJson;

    @Option(names = "--credentials", paramLabel = "FILE", description = {"Credentials for withCredentials and credentials('id'): a YAML or JSON",
            "file with a list 'credentials' of entries with id, type and fields (see docs/credentials.md)."})
    Path credentialsFile;

    @Option(names = "--job", paramLabel = "NAME", description = "The job name the build sees (default: the file's name).")
    String job;

    @Option(names = "--number", paramLabel = "N", description = "The build number the build sees (default: 1).")
    int number = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        StepLibrary steps = LocalPlugins.steps(err);
        String fileName = file.toString();
        if (!Files.isRegularFile(file)) {
            err.println("gantry run: " + fileName + ": no such file");
            return Main.USAGE;
        }
        byte[] content = Files.readAllBytes(file);
        if (mentionsSh(content)) {
            // The process launcher loads while the pipeline is linted and compiled.
            LocalProcess.prepare();
        }
        LintResult lint = new PipelineLinter(steps).lint(fileName, content);
        if (!lint.ok()) {
            for (Problem p : lint.problems()) {
                err.println(p.format(fileName));
            }
            err.println("gantry run: " + fileName + " is not a valid pipeline (" + lint.problems().size() + " problem"
                    + (lint.problems().size() == 1 ? "" : "s") + "); nothing was run");
            err.flush();
            return Main.USAGE;
        }
        String source = PipelineLinter.text(content).orElseThrow();
        Path ws = (workspace == null ? Path.of("") : workspace).toAbsolutePath().normalize();
        LocalRun local = new LocalRun(steps, ws).job(job != null ? job : defaultJobName(file)).number(number)
                .parameters(params).interactive(System.console() != null)
                .onStart(run -> Interrupts.onCtrlC(() -> run.abort("Aborted by user (Ctrl-C)")));
        inputs.forEach(local::input);
        // Plugin tasks (work a plugin does on the node) run in this process, on the workspace.
        local.service(dev.gantry.api.agent.NodeTasks.class, new dev.gantry.engine.local.LocalNodeTasks(LocalPlugins::taskHandlers));
        if (artifacts != null) {
            local.artifacts(artifacts);
        }
        if (logJson != null) {
            local.jsonLog(logJson.toAbsolutePath());
        }
        if (credentialsFile != null) {
            try {
                local.service(dev.gantry.api.credentials.CredentialLookup.class, dev.gantry.engine.secrets.CredentialsFile.read(credentialsFile));
            } catch (java.io.IOException e) {
                err.println("gantry run: " + e.getMessage());
                err.flush();
                return Main.USAGE;
            }
        }
        LocalRun.Outcome outcome;
        try {
            outcome = local.run(fileName, source, System.out);
        } catch (InvalidPipelineException e) {
            for (Problem p : e.problems()) {
                err.println(p.format(fileName));
            }
            err.println("gantry run: " + fileName + " is not a valid pipeline; nothing was run");
            err.flush();
            return Main.USAGE;
        }
        if (report != null) {
            writeReport(outcome.report());
        }
        return switch (outcome.result()) {
            case SUCCESS -> 0;
            case UNSTABLE -> 3;
            case ABORTED, NOT_BUILT -> 4;
            case FAILURE -> 1;
        };
    }

    /** Whether {@code sh} occurs as a word: the pipeline probably launches processes. */
    static boolean mentionsSh(byte[] content) {
        for (int i = 0; i + 1 < content.length; i++) {
            if (content[i] == 's' && content[i + 1] == 'h' && (i == 0 || !isWordByte(content[i - 1]))
                    && (i + 2 == content.length || !isWordByte(content[i + 2]))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWordByte(byte b) {
        return b == '_' || b == '$' || b < 0 || Character.isLetterOrDigit(b);
    }

    private static String defaultJobName(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path name = abs.getFileName();
        String n = name == null ? "pipeline" : name.toString();
        if (n.equals("Jenkinsfile") && abs.getParent() != null && abs.getParent().getFileName() != null) {
            n = abs.getParent().getFileName().toString();
        }
        return n.endsWith(".groovy") ? n.substring(0, n.length() - ".groovy".length()) : n;
    }

    private void writeReport(Map<String, Object> r) throws IOException {
        Path parent = report.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), r);
    }

}
