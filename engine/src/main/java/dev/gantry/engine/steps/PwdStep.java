package dev.gantry.engine.steps;

import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;

/** {@code pwd}: the absolute path of the current directory, or of its {@code @tmp} sibling. Stateless. */
public final class PwdStep implements Step {
    private static final StepDescriptor DESCRIPTOR = StepDescriptor.builder("pwd")
            .help("Returns the absolute path of the current directory on the node.")
            .optional("tmp", ParamType.BOOLEAN, false, "Return the path of a temporary directory for this "
                    + "directory instead (<dir>@tmp, outside the workspace; not created).")
            .needsWorkspace()
            .build();

    @Override
    public StepDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Object run(StepContext context, StepArguments arguments) {
        String path = context.workspace().path();
        return arguments.bool("tmp") ? path + "@tmp" : path;
    }
}
