package dev.gantry.engine.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The I/O of one task as the side that runs it sees it, whatever carries it: HTTP for a remote
 * agent, direct calls for the built-in one. Log output is ordered and never duplicated; the
 * input and the output are single streams read or written once.
 */
interface TaskIo {

    /** The task's log stream {@code out} or {@code err}; thread-safe; closing it does nothing. */
    OutputStream log(String stream);

    /** Opens the data the controller sends with the task (a file, a tar stream). */
    InputStream input() throws IOException;

    /**
     * Opens the stream for the data the task sends back (a file, a tar stream). Opening it tells
     * the controller that the task found what it was asked for; the caller closes it.
     */
    OutputStream output() throws IOException;
}
