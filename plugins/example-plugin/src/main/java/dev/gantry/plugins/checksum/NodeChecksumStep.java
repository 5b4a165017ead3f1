package dev.gantry.plugins.checksum;

import dev.gantry.api.agent.NodeTasks;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.support.SimpleStep;
import java.io.OutputStream;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code nodeChecksum 'app.jar'}: the SHA-256 of a workspace file, computed by {@link Sha256Task}
 * on the node that holds the workspace; returns the digest. The example of a plugin step whose
 * work runs on the agent.
 */
@Extension
public class NodeChecksumStep extends SimpleStep {

    public NodeChecksumStep() {
        super("nodeChecksum", "Computes the SHA-256 of a workspace file on the node that holds it (the file never leaves the node) and returns it.",
                d -> d.required("file", STRING, "The file, relative to the current directory.")
                        .positional("file")
                        .needsWorkspace());
    }

    @Override
    public Object run(StepContext context, StepArguments args) throws Exception {
        NodeTasks tasks = context.service(NodeTasks.class).orElseThrow(() -> new StepFailedException(
                "nodeChecksum: this engine cannot send tasks to nodes (no NodeTasks service); run it on a Gantry controller"));
        Object result;
        try (OutputStream log = context.console().stream()) {
            result = tasks.run(context.workspace(), Sha256Task.TYPE, Map.of("file", args.string("file")), log);
        }
        if (!(result instanceof Map<?, ?> m) || !(m.get("sha256") instanceof String hex)) {
            throw new StepFailedException("nodeChecksum: the node answered " + result + " instead of a checksum");
        }
        return hex;
    }
}
