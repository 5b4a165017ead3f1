package dev.gantry.api.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apiguardian.api.API;

/**
 * A directory on a node (the controller's built-in agent or a remote agent), and what can be done
 * in it. Steps never touch the file system directly: the same step works wherever its node is.
 *
 * <p>Paths are relative to this directory and use {@code /}; {@code ""} is the directory itself.
 * A path that would leave the workspace root ({@code ..}, absolute paths, symbolic links pointing
 * outside) is rejected with an {@link IOException} that names it. Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Workspace {

    /** The absolute path of this directory on its node. */
    String path();

    /** The name of the node this workspace is on. */
    String nodeName();

    /** Whether the node runs a Unix-like system. */
    boolean isUnix();

    /** The directory {@code relativePath} below this one (not created until used). */
    Workspace child(String relativePath) throws IOException;

    boolean exists(String relativePath) throws IOException;

    boolean isDirectory(String relativePath) throws IOException;

    /** Opens a file for reading; the caller closes the stream. */
    InputStream read(String relativePath) throws IOException;

    /** Writes a file, creating parent directories, replacing what was there. */
    void write(String relativePath, InputStream content) throws IOException;

    /** Creates a directory and its parents. */
    void mkdirs(String relativePath) throws IOException;

    /** Deletes a file or a directory tree; {@code ""} deletes this directory. Missing is not an error. */
    void delete(String relativePath) throws IOException;

    /** Relative paths of the files (not directories) selected, sorted. */
    List<String> list(FileSelection selection) throws IOException;

    /**
     * Writes the selected files as an uncompressed POSIX tar stream, paths relative to this
     * directory, without following symbolic links out of the workspace.
     *
     * @return the number of files written
     */
    int archive(FileSelection selection, OutputStream tar) throws IOException;

    /**
     * Extracts a tar stream into this directory. Entries whose path would land outside it
     * (absolute, {@code ..}, through a link) are rejected before anything is written.
     *
     * @return the number of files written
     */
    int extract(InputStream tar) throws IOException;

    /** Free bytes on the file system holding this directory. */
    long freeSpace() throws IOException;

    /** Starts a process with this directory as its working directory. */
    RunningProcess launch(ProcessSpec spec) throws IOException;
}
