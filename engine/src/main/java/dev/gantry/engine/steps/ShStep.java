package dev.gantry.engine.steps;

import dev.gantry.api.Result;
import dev.gantry.api.step.FlowInterruptedException;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.workspace.ProcessSpec;
import dev.gantry.api.workspace.RunningProcess;
import dev.gantry.api.workspace.Workspace;
import dev.gantry.engine.workspace.ScriptHost;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code sh}: runs a shell script in the current directory, as Jenkins does: the script goes to
 * {@code <root>@tmp/durable-<random>/script.sh} and runs as {@code sh -xe script.sh}, or directly
 * when it starts with {@code #!}. Output streams to the console; the exit code fails the step
 * unless {@code returnStatus} asks for it. Stateless.
 */
public final class ShStep implements Step {
    /** Scripts up to this many characters are passed to sh -c instead of through a file. */
    static final int INLINE_LIMIT = 32 * 1024;

    private static final StepDescriptor DESCRIPTOR = StepDescriptor.builder("sh")
            .help("Runs a Bourne shell script on the node, in the current directory, with the build's environment. "
                    + "Fails the build when the script exits with a non-zero code, unless returnStatus is set.")
            .required("script", ParamType.STRING, "The script to run, with sh -xe (print each command, stop at the "
                    + "first failure); a script starting with #! runs with that interpreter instead.")
            .optional("returnStdout", ParamType.BOOLEAN, false, "Return the standard output as a string instead of "
                    + "printing it (standard error still goes to the log); it keeps its trailing newline, use .trim().")
            .optional("returnStatus", ParamType.BOOLEAN, false, "Return the exit code instead of failing on a non-zero "
                    + "one; takes precedence over returnStdout.")
            .optional("label", ParamType.STRING, null, "A label shown for this step in the log and the stage view.")
            .optional("encoding", ParamType.STRING, "UTF-8", "The character set of the output returned by returnStdout.")
            .positional("script")
            .needsWorkspace()
            .build();

    @Override
    public StepDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Object run(StepContext context, StepArguments arguments) throws Exception {
        String script = arguments.string("script");
        boolean returnStdout = arguments.bool("returnStdout");
        boolean returnStatus = arguments.bool("returnStatus");
        String label = arguments.string("label");
        Charset charset = FileStepSupport.charset("sh", arguments.string("encoding"));
        Workspace ws = context.workspace();
        if (!(ws instanceof ScriptHost host)) {
            throw new StepFailedException("sh: the workspace " + ws.path() + " on node " + ws.nodeName()
                    + " cannot hold temporary scripts, so sh cannot run there");
        }
        if (label != null && !label.isBlank()) {
            context.console().println("[" + label + "]");
        }
        boolean shebang = script.startsWith("#!");
        // A plain script runs as `sh -xe -c SCRIPT`: the same shell, options and trace as a script
        // file, without writing and deleting a file for every step. Scripts with an interpreter
        // line, and large ones (argument lists are limited), go through a temporary file.
        boolean inline = !shebang && script.length() <= INLINE_LIMIT && script.indexOf('\0') < 0;
        String file = null;
        if (!inline) {
            try {
                file = host.writeTempScript("script.sh", script.getBytes(StandardCharsets.UTF_8), shebang);
            } catch (IOException e) {
                throw FileStepSupport.failed("sh", e);
            }
        }
        List<String> command = inline ? List.of("sh", "-xe", "-c", script) : shebang ? List.of(file) : List.of("sh", "-xe", file);
        ByteArrayOutputStream captured = returnStdout && !returnStatus ? new ByteArrayOutputStream() : null;
        int code;
        try (OutputStream console = context.console().stream()) {
            ProcessSpec spec = captured != null
                    ? new ProcessSpec(command, context.environment(), captured, console)
                    : new ProcessSpec(command, context.environment(), console, null);
            RunningProcess process;
            try {
                process = ws.launch(spec);
            } catch (IOException e) {
                throw FileStepSupport.failed("sh", e);
            }
            try {
                code = process.waitFor();
            } catch (InterruptedException e) {
                // waitFor killed the process tree already.
                context.checkInterrupted();
                throw new FlowInterruptedException(Result.ABORTED, "interrupted");
            }
        } finally {
            if (file != null) {
                try {
                    host.deleteTempScript(file);
                } catch (IOException e) {
                    context.console().warn("sh: could not delete the temporary script " + file + ": " + e.getMessage());
                }
            }
        }
        if (returnStatus) {
            return code;
        }
        if (code != 0) {
            throw new StepFailedException("script returned exit code " + code);
        }
        return captured == null ? null : captured.toString(charset);
    }
}
