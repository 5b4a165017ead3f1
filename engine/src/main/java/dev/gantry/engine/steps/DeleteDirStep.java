package dev.gantry.engine.steps;

import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import java.io.IOException;

/** {@code deleteDir}: deletes the current directory recursively, as in Jenkins. Stateless. */
public final class DeleteDirStep implements Step {
    private static final StepDescriptor DESCRIPTOR = StepDescriptor.builder("deleteDir")
            .help("Deletes the current directory and everything in it (the whole workspace unless inside dir). "
                    + "Symbolic links are removed, never followed.")
            .needsWorkspace()
            .build();

    @Override
    public StepDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Object run(StepContext context, StepArguments arguments) {
        try {
            context.workspace().delete("");
        } catch (IOException e) {
            throw FileStepSupport.failed("deleteDir", e);
        }
        return null;
    }
}
