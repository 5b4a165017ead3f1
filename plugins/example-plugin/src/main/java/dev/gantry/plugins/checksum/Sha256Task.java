package dev.gantry.plugins.checksum;

import dev.gantry.api.step.Console;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.task.TaskHandlerExtension;
import dev.gantry.api.workspace.Workspace;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The agent half of {@link NodeChecksumStep}: runs on the node that holds the workspace (a
 * remote agent fetches this plugin's jar from the controller for it) and digests the file there,
 * so that its bytes never cross the network.
 */
@Extension
public class Sha256Task implements TaskHandlerExtension {
    /** The task type the step sends. */
    public static final String TYPE = "checksum:sha256";

    @Override
    public String taskType() {
        return TYPE;
    }

    @Override
    public Object run(Workspace workspace, Map<String, Object> arguments, Console console) throws Exception {
        String file = String.valueOf(arguments.get("file"));
        if (!workspace.exists(file) || workspace.isDirectory(file)) {
            throw new StepFailedException("nodeChecksum: there is no file '" + file + "' in " + workspace.path() + " on " + workspace.nodeName());
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long size;
        try (InputStream in = new DigestInputStream(workspace.read(file), sha)) {
            size = in.transferTo(OutputStream.nullOutputStream());
        }
        String hex = HexFormat.of().formatHex(sha.digest());
        console.println("SHA-256 of " + file + " computed on " + workspace.nodeName() + " in " + workspace.path() + ": " + hex);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("sha256", hex);
        result.put("size", size);
        return result;
    }
}
