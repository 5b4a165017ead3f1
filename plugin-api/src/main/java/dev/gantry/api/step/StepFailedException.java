package dev.gantry.api.step;

import org.apiguardian.api.API;

/**
 * Fails the step with a message meant for the user and no stack trace in the log, like Jenkins'
 * {@code AbortException}. The build result becomes FAILURE unless something catches it.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public class StepFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StepFailedException(String message) {
        super(message, null, false, false);
    }

    public StepFailedException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
