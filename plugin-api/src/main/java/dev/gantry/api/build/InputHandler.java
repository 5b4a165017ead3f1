package dev.gantry.api.build;

import java.util.Map;
import org.apiguardian.api.API;

/**
 * Answers {@code input} requests: the controller's UI and API, or the terminal and
 * {@code --input} options of a local run.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface InputHandler {

    /**
     * Waits for an answer.
     *
     * @return the answer; {@link Answer#proceed()} false means the build is to be aborted
     * @throws InterruptedException when the build is aborted while waiting
     */
    Answer await(InputRequest request) throws InterruptedException;

    /**
     * An answer to an input.
     *
     * @param proceed whether to go on (false: abort)
     * @param values the parameter values given, by name
     * @param submitter who answered, or null
     * @param reason for an abort: why, or null
     */
    record Answer(boolean proceed, Map<String, Object> values, String submitter, String reason) {
    }
}
