package dev.gantry.api.notify;

import dev.gantry.api.Result;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A build that ended, as notifiers see it.
 *
 * @param job the job's full name
 * @param number the build number
 * @param result the build's result
 * @param previousResult the result of the job's previous completed build, or null for a first build
 * @param durationMillis how long the build ran
 * @param url the build's page on the controller, or null when the controller has no public URL
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record BuildEvent(String job, int number, Result result, Result previousResult, long durationMillis, String url) {
    public BuildEvent {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(result, "result");
    }

    /** Failed or unstable now, successful before ({@code regression}). */
    public boolean isRegression() {
        return result.isWorseThan(Result.SUCCESS) && previousResult == Result.SUCCESS;
    }

    /** Successful now, failed or unstable before ({@code fixed}). */
    public boolean isFixed() {
        return result == Result.SUCCESS && previousResult != null && previousResult.isWorseThan(Result.SUCCESS);
    }
}
