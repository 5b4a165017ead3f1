package dev.gantry.engine.steps;

import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.workspace.Workspace;
import java.io.IOException;

/** {@code fileExists}: whether a file or directory exists in the workspace. Stateless. */
public final class FileExistsStep implements Step {
    private static final StepDescriptor DESCRIPTOR = StepDescriptor.builder("fileExists")
            .help("Returns true when the file or directory exists, relative to the current directory.")
            .required("file", ParamType.STRING, "The path to check, relative to the current directory; "
                    + "an empty string checks the current directory itself.")
            .positional("file")
            .needsWorkspace()
            .build();

    @Override
    public StepDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Object run(StepContext context, StepArguments arguments) {
        Workspace ws = context.workspace();
        try {
            return ws.exists(FileStepSupport.relative(ws, arguments.string("file")));
        } catch (IOException e) {
            throw FileStepSupport.failed("fileExists", e);
        }
    }
}
