package dev.gantry.engine.run;

import dev.gantry.api.PipelineSafe;
import dev.gantry.api.Result;
import java.util.List;
import java.util.Map;

/**
 * An earlier build of the job as a pipeline sees it through {@code currentBuild.previousBuild}
 * and its relatives: Jenkins' {@code RunWrapper} for a build that is not the current one, so
 * read-only ({@code setResult} and friends are not offered, as Jenkins refuses them).
 */
@PipelineSafe
public final class PastBuildView {
    private final BuildHistory.PastBuild build;
    private final BuildHistory history;

    PastBuildView(BuildHistory.PastBuild build, BuildHistory history) {
        this.build = build;
        this.history = history;
    }

    static PastBuildView of(BuildHistory history, int before, BuildHistory.Which which) {
        if (history == null) {
            return null;
        }
        BuildHistory.PastBuild b = history.before(before, which);
        return b == null ? null : new PastBuildView(b, history);
    }

    public int getNumber() {
        return build.number();
    }

    public String getId() {
        return String.valueOf(build.number());
    }

    /** The result's name; null while the build runs. */
    public String getResult() {
        return build.result() == null ? null : build.result().name();
    }

    /** The result's name; SUCCESS while the build runs and nothing made it worse, as in Jenkins. */
    public String getCurrentResult() {
        return build.result() == null ? Result.SUCCESS.name() : build.result().name();
    }

    public boolean resultIsBetterOrEqualTo(String other) {
        return !Result.parse(getCurrentResult()).isWorseThan(Result.parse(other));
    }

    public boolean resultIsWorseOrEqualTo(String other) {
        return Result.parse(getCurrentResult()).isWorseOrEqualTo(Result.parse(other));
    }

    public long getDuration() {
        return build.durationMillis();
    }

    public String getDurationString() {
        return CurrentBuild.timeSpan(build.durationMillis()) + (build.building() ? " and counting" : "");
    }

    public String getDisplayName() {
        return build.displayName();
    }

    public String getFullDisplayName() {
        return build.job().replace("/", " » ") + " " + build.displayName();
    }

    public String getDescription() {
        return build.description();
    }

    public long getStartTimeInMillis() {
        return build.startTimeMillis();
    }

    public long getTimeInMillis() {
        return build.startTimeMillis();
    }

    public String getProjectName() {
        String j = build.job();
        return j.contains("/") ? j.substring(j.lastIndexOf('/') + 1) : j;
    }

    public String getFullProjectName() {
        return build.job();
    }

    /** The build's absolute URL (its REST resource on the controller), or null when the address is unknown. */
    public String getAbsoluteUrl() {
        return build.url();
    }

    public boolean isBuilding() {
        return build.building();
    }

    /** The causes as Jenkins' {@code getBuildCauses()} lists them: maps with {@code _class} and {@code shortDescription}. */
    public List<Map<String, Object>> getBuildCauses() {
        return CurrentBuild.copyCauses(build.causes(), null);
    }

    /** The causes whose class is {@code className} or a class nested in it. */
    public List<Map<String, Object>> getBuildCauses(String className) {
        return CurrentBuild.copyCauses(build.causes(), className);
    }

    public Map<String, String> getBuildVariables() {
        return build.variables();
    }

    public PastBuildView getPreviousBuild() {
        return of(history, build.number(), BuildHistory.Which.ANY);
    }

    public PastBuildView getPreviousCompletedBuild() {
        return of(history, build.number(), BuildHistory.Which.COMPLETED);
    }

    public PastBuildView getPreviousSuccessfulBuild() {
        return of(history, build.number(), BuildHistory.Which.SUCCESSFUL);
    }

    public PastBuildView getPreviousFailedBuild() {
        return of(history, build.number(), BuildHistory.Which.FAILED);
    }

    public PastBuildView getPreviousNotFailedBuild() {
        return of(history, build.number(), BuildHistory.Which.NOT_FAILED);
    }

    public PastBuildView getPreviousBuildInProgress() {
        return of(history, build.number(), BuildHistory.Which.IN_PROGRESS);
    }

    public PastBuildView getPreviousBuiltBuild() {
        return of(history, build.number(), BuildHistory.Which.BUILT);
    }

    @Override
    public String toString() {
        return getFullDisplayName();
    }
}
