package dev.gantry.api.workspace;

import org.apiguardian.api.API;

/**
 * A process started by {@link Workspace#launch}. Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface RunningProcess {

    /**
     * Waits for the process to exit and for its output to be written out.
     *
     * @return the exit status
     * @throws InterruptedException if the waiting thread was interrupted; the process is then
     *     killed (with its whole process tree) before this returns
     */
    int waitFor() throws InterruptedException;

    /** Kills the process and every process it started: SIGTERM, then SIGKILL after a short grace. */
    void kill();
}
