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
     * own, creating {@code <root>@tmp} when missing.
     *
     * @param fileName a plain file name (no {@code /})
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
}
