package dev.gantry.engine.steps;

import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;

/** {@code isUnix}: whether the current node runs a Unix-like system. Stateless. */
public final class IsUnixStep implements Step {
    private static final StepDescriptor DESCRIPTOR = StepDescriptor.builder("isUnix")
            .help("Returns true when the current node runs a Unix-like system (Linux, macOS), false on Windows.")
            .needsWorkspace()
            .build();

    @Override
    public StepDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Object run(StepContext context, StepArguments arguments) {
        return context.workspace().isUnix();
    }
}
