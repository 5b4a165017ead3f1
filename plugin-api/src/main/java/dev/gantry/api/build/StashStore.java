package dev.gantry.api.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apiguardian.api.API;

/**
 * Named stashes of one build: tar streams saved by {@code stash}, read by {@code unstash},
 * possibly on another node. A later stash with the same name replaces the earlier. Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface StashStore {

    /** Opens a stream for a new stash; it becomes visible when the stream is closed. */
    OutputStream create(String name) throws IOException;

    /**
     * Opens a stash for reading.
     *
     * @throws java.io.FileNotFoundException naming the stash when there is none by that name
     */
    InputStream open(String name) throws IOException;
}
