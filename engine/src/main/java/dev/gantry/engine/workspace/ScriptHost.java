package dev.gantry.engine.workspace;

import java.io.IOException;

/**
 * A workspace that can hold temporary script files outside the workspace itself, in the sibling
 * directory {@code <root>@tmp} as Jenkins does, so scripts never show up among the build's files.
 * The {@code sh} step needs this; the local workspace and the agent's workspace implement it.
 */
public interface ScriptHost {

    /**
     * Writes {@code content} to {@code <root>@tmp/durable-<random>/<fileName>}, a directory of its
     * own (mode 700), creating {@code <root>@tmp} when missing. The file is its owner's alone
     * (mode 600, 700 when executable): credentials bound as files are written this way too.
     *
     * @param fileName a plain file name (no {@code /}, not {@code .} or {@code ..})
     * @param executable whether to make the file executable by its owner
     * @return the file's absolute path on the node
     * @throws IOException when it cannot be written; the message names the path and the cause
     */
    String writeTempScript(String fileName, byte[] content, boolean executable) throws IOException;

    /**
     * Deletes a file made by {@link #writeTempScript} with its {@code durable-} directory. Missing
     * is not an error.
     *
     * @throws IOException when {@code path} is not such a file, or it cannot be deleted
     */
    void deleteTempScript(String path) throws IOException;

    /**
     * The directory of a file made by {@link #writeTempScript}, on the same node, as a workspace of
     * its own: where a plugin's credential binding writes its files, outside the build's
     * workspace. {@link #deleteTempScript} of that file deletes the directory with everything in it.
     *
     * @param tempScriptPath a path {@link #writeTempScript} returned
     * @throws IOException when {@code tempScriptPath} is not such a file
     */
    dev.gantry.api.workspace.Workspace tempDirectoryOf(String tempScriptPath) throws IOException;
}
