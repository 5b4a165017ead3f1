package dev.gantry.engine.steps;

import dev.gantry.api.step.BodyKind;
import dev.gantry.api.step.ContextChange;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.workspace.Workspace;
import java.io.IOException;

/** {@code dir}: runs its body in a subdirectory of the current directory. Stateless. */
public final class DirStep implements Step {
    private static final StepDescriptor DESCRIPTOR = StepDescriptor.builder("dir")
            .help("Runs the block with a subdirectory as the current directory; it is created when something "
                    + "writes to it. The path must stay inside the workspace.")
            .required("path", ParamType.STRING, "The directory, relative to the current one.")
            .positional("path")
            .body(BodyKind.REQUIRED)
            .needsWorkspace()
            .build();

    @Override
    public StepDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Object run(StepContext context, StepArguments arguments) {
        Workspace ws = context.workspace();
        String path = arguments.string("path");
        Workspace child;
        try {
            child = ws.child(FileStepSupport.relative(ws, path));
        } catch (IOException e) {
            throw FileStepSupport.failed("dir", e);
        }
        context.console().println("Running in " + child.path());
        return context.body().run(ContextChange.builder().workspace(child).build());
    }
}
