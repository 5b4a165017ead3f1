package dev.gantry.engine.steps;

import dev.gantry.api.build.StashStore;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.workspace.FileSelection;
import dev.gantry.api.workspace.Workspace;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code stash}: saves files of the current directory under a name for {@code unstash}, possibly
 * on another node, as a tar stream in the build's {@link StashStore}. Stateless.
 */
public final class StashStep implements Step {
    private static final StepDescriptor DESCRIPTOR = StepDescriptor.builder("stash")
            .help("Saves a set of files under a name so that unstash can restore them later in the same build, "
                    + "on any node. A later stash of the same name replaces it.")
            .required("name", ParamType.STRING, "The stash's name: letters, digits, '.', '_' and '-'.")
            .optional("includes", ParamType.STRING, "", "Ant-style patterns of the files to take, comma-separated; "
                    + "empty takes every file.")
            .optional("excludes", ParamType.STRING, "", "Ant-style patterns of files to leave out, comma-separated.")
            .optional("useDefaultExcludes", ParamType.BOOLEAN, true, "Leave out Ant's default excludes "
                    + "(.git, .svn, editor backups ...).")
            .optional("allowEmpty", ParamType.BOOLEAN, false, "Save an empty stash instead of failing when no file matches.")
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
                new StepFailedException("stash: this build has no stash storage, so '" + name + "' cannot be saved"));
        FileSelection selection = new FileSelection(arguments.string("includes"), arguments.string("excludes"),
                arguments.bool("useDefaultExcludes"));
        Workspace ws = context.workspace();
        int count;
        try {
            // Listing first keeps an earlier stash of that name intact when nothing matches.
            if (!arguments.bool("allowEmpty") && ws.list(selection).isEmpty()) {
                throw new StepFailedException("No files included in stash '" + name + "'");
            }
            try (OutputStream out = store.create(name)) {
                count = ws.archive(selection, out);
            }
        } catch (IllegalArgumentException e) {
            throw new StepFailedException("stash: " + e.getMessage());
        } catch (IOException e) {
            throw FileStepSupport.failed("stash", e);
        }
        context.console().println("Stashed " + count + " file(s)");
        return null;
    }
}
