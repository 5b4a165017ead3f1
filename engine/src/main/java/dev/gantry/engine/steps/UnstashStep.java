package dev.gantry.engine.steps;

import dev.gantry.api.build.StashStore;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.step.StepFailedException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/** {@code unstash}: restores the files of a named stash into the current directory. Stateless. */
public final class UnstashStep implements Step {
    private static final StepDescriptor DESCRIPTOR = StepDescriptor.builder("unstash")
            .help("Restores the files saved by stash under that name into the current directory, replacing "
                    + "files of the same path.")
            .required("name", ParamType.STRING, "The name given to stash.")
            .positional("name")
            .needsWorkspace()
            .build();

    @Override
    public StepDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Object run(StepContext context, StepArguments arguments) {
        String name = arguments.string("name");
        StashStore store = context.service(StashStore.class).orElseThrow(() ->
                new StepFailedException("unstash: this build has no stash storage, so '" + name + "' cannot be restored"));
        try (InputStream in = store.open(name)) {
            context.workspace().extract(in);
        } catch (FileNotFoundException e) {
            // The store may explain more (a restarted build whose original kept no stashes).
            String why = e.getMessage();
            throw new StepFailedException(why != null && why.startsWith("No such saved stash") ? why : "No such saved stash '" + name + "'");
        } catch (IllegalArgumentException e) {
            throw new StepFailedException("unstash: " + e.getMessage());
        } catch (IOException e) {
            throw FileStepSupport.failed("unstash", e);
        }
        return null;
    }
}
