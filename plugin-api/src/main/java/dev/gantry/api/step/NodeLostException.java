package dev.gantry.api.step;

import org.apiguardian.api.API;

/**
 * The node a step ran on went away (its agent stopped heartbeating past its lease). The step
 * failed; {@code retry(conditions: [agent()])} retries exactly this.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public class NodeLostException extends StepFailedException {
    private static final long serialVersionUID = 1L;

    public NodeLostException(String nodeName) {
        super("agent " + nodeName + " went offline during this step");
    }
}
