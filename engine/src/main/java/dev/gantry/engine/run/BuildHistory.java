package dev.gantry.engine.run;

import dev.gantry.api.Result;
import java.util.List;
import java.util.Map;

/**
 * The other builds of a job, as {@code currentBuild.previousBuild} and its relatives see them.
 * The controller implements it over its store; a local run has none. Implementations are
 * thread-safe and may be called from any thread of the build.
 */
public interface BuildHistory {

    /** Which earlier build to find, named as Jenkins' {@code Run} getters are. */
    enum Which {
        /** {@code previousBuild}: the one just before, whatever its state. */
        ANY,
        /** {@code previousCompletedBuild}: the newest that is not running any more. */
        COMPLETED,
        /** {@code previousSuccessfulBuild}: the newest with result SUCCESS. */
        SUCCESSFUL,
        /** {@code previousFailedBuild}: the newest with result FAILURE. */
        FAILED,
        /** {@code previousNotFailedBuild}: the newest with result SUCCESS or UNSTABLE. */
        NOT_FAILED,
        /** {@code previousBuildInProgress}: the newest still queued or running. */
        IN_PROGRESS,
        /** {@code previousBuiltBuild}: the newest completed with a result other than NOT_BUILT. */
        BUILT;

        /** Whether a build with this state qualifies; {@code result} is null while it runs. */
        public boolean accepts(boolean building, Result result) {
            return switch (this) {
                case ANY -> true;
                case COMPLETED -> !building;
                case SUCCESSFUL -> !building && result == Result.SUCCESS;
                case FAILED -> !building && result == Result.FAILURE;
                case NOT_FAILED -> !building && (result == Result.SUCCESS || result == Result.UNSTABLE);
                case IN_PROGRESS -> building;
                case BUILT -> !building && result != Result.NOT_BUILT;
            };
        }
    }

    /**
     * The newest build numbered below {@code number} that {@code which} accepts.
     *
     * @return the build, or null when there is none
     */
    PastBuild before(int number, Which which);

    /**
     * Another build of the job, as it was when looked up.
     *
     * @param job the job's full name
     * @param number its number
     * @param building whether it is queued or running
     * @param result its result, or null while building
     * @param startTimeMillis when it started (when it was queued, if it has not started)
     * @param durationMillis how long it ran; 0 while building
     * @param displayName the display name ({@code #N} unless the pipeline set one)
     * @param description the description, or null
     * @param causes its causes as {@code getBuildCauses()} shows them ({@code _class}, {@code shortDescription}, ...)
     * @param variables the variables its pipeline set and its parameters
     * @param url its absolute URL, or null when the controller's address is not known
     */
    record PastBuild(String job, int number, boolean building, Result result, long startTimeMillis, long durationMillis,
                     String displayName, String description, List<Map<String, Object>> causes,
                     Map<String, String> variables, String url) {
    }
}
