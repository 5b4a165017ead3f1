package dev.gantry.api.step;

import dev.gantry.api.Result;
import org.apiguardian.api.API;

/**
 * The build, or a part of it, was interrupted: aborted by a user, a {@code timeout} expired, a
 * failing branch of a {@code failFast} parallel stopped its siblings. Carries the result the
 * interrupted part ends with (usually ABORTED) and why.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public class FlowInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Result result;

    public FlowInterruptedException(Result result, String reason) {
        super(reason, null, false, false);
        this.result = result;
    }

    /** The result of what was interrupted; never null. */
    public Result result() {
        return result;
    }
}
