package dev.gantry.engine.server;

import dev.gantry.api.build.InputRequest;
import dev.gantry.engine.store.BuildRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * What the controller does with existing builds beyond running and stopping them: replay with an
 * edited script, restart a declarative build from a stage, answer pending {@code input}s, and take
 * an online backup. Thread-safe. Refusals are unchecked: {@link java.util.NoSuchElementException}
 * for an unknown job, build or input; {@link IllegalArgumentException} for a request that can
 * never succeed (an unknown stage, a wrongly typed input value); {@link IllegalStateException} for
 * one that cannot succeed now (a build still running, an input already answered).
 */
public interface BuildControl {

    /**
     * Queues a new build of the job that runs {@code script} (the original build's script when
     * null) with the original build's parameters; its cause is "Replayed #N". The job's own
     * script is not changed.
     *
     * @throws Controller.InvalidJobException when the script is not a valid pipeline
     */
    BuildRecord replay(String job, int number, String script) throws Controller.InvalidJobException;

    /**
     * Queues a new build that runs the completed build's script and parameters from the
     * top-level stage {@code stage} on; the stages before it are skipped, and the stashes the
     * original build preserved ({@code preserveStashes}) are available to {@code unstash}.
     */
    BuildRecord restart(String job, int number, String stage);

    /** The inputs build {@code job #number} waits for now, oldest first; empty when none. */
    List<InputRequest> inputs(String job, int number);

    /**
     * Answers a pending input with proceed.
     *
     * @param values parameter values by name, typed as JSON gives them (string, boolean); missing
     *     ones take their defaults
     * @param submitter who answers: the signed-in user's name (never a name the client claims), or
     *     null for "anonymous"
     * @throws InputForbiddenException when the input names submitters and {@code submitter} is not one
     */
    void proceedInput(String job, int number, String inputId, Map<String, Object> values, String submitter);

    /**
     * Answers a pending input with abort: the build ends ABORTED, its log says who rejected it.
     *
     * @param submitter who answers, as for {@link #proceedInput}
     * @throws InputForbiddenException when the input names submitters and {@code submitter} is not one
     */
    void abortInput(String job, int number, String inputId, String submitter);

    /**
     * Writes an online backup of the whole home (database snapshot, logs, artifacts, preserved
     * stashes) as a zip to {@code out}, which is left open.
     */
    void backup(OutputStream out) throws IOException;

    /**
     * Whether {@code user} may answer an input whose {@code submitter} setting is
     * {@code submitters}: a comma-separated list of user names (any case), or null or blank for
     * anyone.
     */
    static boolean maySubmit(String submitters, String user) {
        if (submitters == null || submitters.isBlank()) {
            return true;
        }
        for (String s : submitters.split(",")) {
            if (!s.isBlank() && user != null && s.trim().equalsIgnoreCase(user.trim())) {
                return true;
            }
        }
        return false;
    }

    /** The input may only be answered by the submitters it names. */
    final class InputForbiddenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InputForbiddenException(String message) {
            super(message);
        }
    }
}
