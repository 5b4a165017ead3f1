package dev.gantry.engine.steps;

import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.workspace.FileSelection;
import dev.gantry.api.workspace.Workspace;
import dev.gantry.engine.workspace.WorkspaceRoot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code cleanWs}: the Workspace Cleanup plugin's step. Without patterns it deletes the whole
 * workspace (also from inside {@code dir}); with {@code patterns: [[pattern: '...', type:
 * 'INCLUDE'|'EXCLUDE']]} only the files they select, and with {@code deleteDirs: true} the
 * directories those files leave empty. Stateless.
 */
public final class CleanWsStep implements Step {
    private static final StepDescriptor DESCRIPTOR = StepDescriptor.builder("cleanWs")
            .help("Deletes the workspace (the whole of it, also inside dir), or with patterns only the files they select."
                    + " Works on every node; use it in post { always { } } or at the start of a build.")
            .optional("patterns", ParamType.LIST, null, "[[pattern: 'build/**', type: 'INCLUDE'], [pattern: '**/*.keep', type: 'EXCLUDE']]:"
                    + " Ant-style patterns; with only EXCLUDE patterns everything else is deleted.")
            .optional("deleteDirs", ParamType.BOOLEAN, false, "With patterns: also delete the directories the deleted files leave empty.")
            .optional("notFailBuild", ParamType.BOOLEAN, false, "A failure to delete is a warning in the log, not a failed step.")
            .optional("disableDeferredWipeout", ParamType.BOOLEAN, false, "Accepted for Jenkins compatibility: deletion is never deferred here.")
            .optional("cleanWhenSuccess", ParamType.BOOLEAN, true, "Accepted for Jenkins compatibility; the step cleans whenever it runs.")
            .optional("cleanWhenUnstable", ParamType.BOOLEAN, true, "Accepted for Jenkins compatibility; the step cleans whenever it runs.")
            .optional("cleanWhenFailure", ParamType.BOOLEAN, true, "Accepted for Jenkins compatibility; the step cleans whenever it runs.")
            .optional("cleanWhenAborted", ParamType.BOOLEAN, true, "Accepted for Jenkins compatibility; the step cleans whenever it runs.")
            .optional("cleanWhenNotBuilt", ParamType.BOOLEAN, true, "Accepted for Jenkins compatibility; the step cleans whenever it runs.")
            .optional("cleanWhenUnsuccessful", ParamType.BOOLEAN, true, "Accepted for Jenkins compatibility; the step cleans whenever it runs.")
            .needsWorkspace()
            .build();

    @Override
    public StepDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Object run(StepContext context, StepArguments arguments) {
        Workspace ws = context.workspace() instanceof WorkspaceRoot r ? r.rootWorkspace() : context.workspace();
        List<String> includes = new ArrayList<>();
        List<String> excludes = new ArrayList<>();
        Object patterns = arguments.get("patterns");
        if (patterns instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> m) || !(m.get("pattern") instanceof CharSequence pattern)) {
                    throw new StepFailedException("cleanWs: each of patterns is [pattern: '...', type: 'INCLUDE' or 'EXCLUDE'], got " + o);
                }
                String type = m.get("type") == null ? "INCLUDE" : String.valueOf(m.get("type"));
                switch (type) {
                    case "INCLUDE" -> includes.add(pattern.toString());
                    case "EXCLUDE" -> excludes.add(pattern.toString());
                    default -> throw new StepFailedException("cleanWs: the type of pattern '" + pattern + "' is '" + type
                            + "'; use INCLUDE or EXCLUDE");
                }
            }
        }
        try {
            if (includes.isEmpty() && excludes.isEmpty()) {
                context.console().println("[WS-CLEANUP] Deleting project workspace " + ws.path());
                ws.delete("");
                return null;
            }
            FileSelection selection = new FileSelection(includes.isEmpty() ? "**" : String.join(",", includes),
                    excludes.isEmpty() ? null : String.join(",", excludes), false);
            List<String> files = ws.list(selection);
            context.console().println("[WS-CLEANUP] Deleting " + files.size() + " file(s) matching the patterns in " + ws.path());
            TreeSet<String> parents = new TreeSet<>(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
            for (String f : files) {
                ws.delete(f);
                for (int slash = f.lastIndexOf('/'); slash > 0; slash = f.lastIndexOf('/', slash - 1)) {
                    parents.add(f.substring(0, slash));
                }
            }
            if (arguments.bool("deleteDirs")) {
                for (String dir : parents) {
                    if (ws.isDirectory(dir) && ws.child(dir).list(new FileSelection("**", null, false)).isEmpty()) {
                        ws.delete(dir);
                    }
                }
            }
        } catch (IOException e) {
            if (arguments.bool("notFailBuild")) {
                context.console().warn("cleanWs: " + e.getMessage());
                return null;
            }
            throw FileStepSupport.failed("cleanWs", e);
        }
        return null;
    }
}
