package dev.gantry.engine.run;

import dev.gantry.api.PipelineSafe;
import dev.gantry.api.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code currentBuild}: the running build as Jenkins' RunWrapper shows it. */
@PipelineSafe
public final class CurrentBuild {
    private static final String UPSTREAM_CAUSE = "hudson.model.Cause$UpstreamCause";
    private static final String BUILD_UPSTREAM_CAUSE = "org.jenkinsci.plugins.workflow.support.steps.build.BuildUpstreamCause";
    private final BuildRun run;

    CurrentBuild(BuildRun run) {
        this.run = run;
    }

    /** Null while the build is successful so far, as in Jenkins; else the result's name. */
    public String getResult() {
        Result r = run.result();
        return r == Result.SUCCESS ? null : r.name();
    }

    /** Makes the result worse (never better), as Jenkins does. */
    public void setResult(String result) {
        run.worsen(Result.parse(result));
    }

    public String getCurrentResult() {
        return run.result().name();
    }

    public boolean resultIsBetterOrEqualTo(String other) {
        return !run.result().isWorseThan(Result.parse(other));
    }

    public boolean resultIsWorseOrEqualTo(String other) {
        return run.result().isWorseOrEqualTo(Result.parse(other));
    }

    public int getNumber() {
        return run.number();
    }

    public String getId() {
        return String.valueOf(run.number());
    }

    public String getDisplayName() {
        return run.displayName();
    }

    public void setDisplayName(String name) {
        run.setDisplayName(name);
    }

    public String getDescription() {
        return run.description();
    }

    public void setDescription(String d) {
        run.setDescription(d);
    }

    public String getProjectName() {
        String j = run.jobName();
        return j.contains("/") ? j.substring(j.lastIndexOf('/') + 1) : j;
    }

    public String getFullProjectName() {
        return run.jobName();
    }

    public long getStartTimeInMillis() {
        return run.startMillis();
    }

    public long getTimeInMillis() {
        return run.startMillis();
    }

    public long getDuration() {
        return run.durationMillis();
    }

    /** The time so far as Jenkins words it while a build runs: "0.12 sec and counting", "1 min 5 sec and counting". */
    public String getDurationString() {
        return timeSpan(run.durationMillis()) + " and counting";
    }

    /** Jenkins' {@code Util.getTimeSpanString}: two units above a minute, tenths or hundredths of a second below ten seconds. */
    static String timeSpan(long ms) {
        long days = ms / 86_400_000L;
        long hours = ms / 3_600_000L % 24;
        long minutes = ms / 60_000L % 60;
        long seconds = ms / 1000 % 60;
        long millis = ms % 1000;
        if (days > 0) {
            return days + (days == 1 ? " day" : " days") + (days < 10 ? " " + hours + " hr" : "");
        }
        if (hours > 0) {
            return hours + " hr" + (hours < 10 ? " " + minutes + " min" : "");
        }
        if (minutes > 0) {
            return minutes + " min" + (minutes < 10 ? " " + seconds + " sec" : "");
        }
        if (seconds >= 10) {
            return seconds + " sec";
        }
        if (seconds >= 1) {
            return trim(seconds + (millis / 100) / 10.0) + " sec";
        }
        if (millis >= 100) {
            return trim((millis / 10) / 100.0) + " sec";
        }
        return millis + " ms";
    }

    private static String trim(double d) {
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** The build just before this one, whatever its state, or null (always null in a local run). */
    public PastBuildView getPreviousBuild() {
        return previous(BuildHistory.Which.ANY);
    }

    /** The newest earlier build that is not running any more, or null. */
    public PastBuildView getPreviousCompletedBuild() {
        return previous(BuildHistory.Which.COMPLETED);
    }

    /** The newest earlier build with result SUCCESS, or null. */
    public PastBuildView getPreviousSuccessfulBuild() {
        return previous(BuildHistory.Which.SUCCESSFUL);
    }

    /** The newest earlier build with result FAILURE, or null. */
    public PastBuildView getPreviousFailedBuild() {
        return previous(BuildHistory.Which.FAILED);
    }

    /** The newest earlier build with result SUCCESS or UNSTABLE, or null. */
    public PastBuildView getPreviousNotFailedBuild() {
        return previous(BuildHistory.Which.NOT_FAILED);
    }

    /** The newest earlier build still queued or running, or null. */
    public PastBuildView getPreviousBuildInProgress() {
        return previous(BuildHistory.Which.IN_PROGRESS);
    }

    /** The newest earlier completed build whose result is not NOT_BUILT, or null. */
    public PastBuildView getPreviousBuiltBuild() {
        return previous(BuildHistory.Which.BUILT);
    }

    private PastBuildView previous(BuildHistory.Which which) {
        return PastBuildView.of(run.history(), run.number(), which);
    }

    /** The next build is never known while this one runs. */
    public Object getNextBuild() {
        return null;
    }

    /**
     * Why this build started, as Jenkins' {@code getBuildCauses()} lists it: a new list of maps,
     * each with {@code _class} (the Jenkins cause class, such as
     * {@code hudson.triggers.TimerTrigger$TimerTriggerCause}), {@code shortDescription} and the
     * cause's own fields ({@code userId}, {@code upstreamProject}, {@code upstreamBuild}, ...).
     */
    public List<Map<String, Object>> getBuildCauses() {
        return copyCauses(run.causes(), null);
    }

    /** The causes whose class is {@code className} or a class nested in it ({@code hudson.model.Cause$UserIdCause}). */
    public List<Map<String, Object>> getBuildCauses(String className) {
        return copyCauses(run.causes(), className);
    }

    /** The variables the pipeline set ({@code env.X = ...}) and the parameters, as strings. */
    public Map<String, String> getBuildVariables() {
        return run.buildVariables();
    }

    /** The build's absolute URL (its REST resource on the controller), or null in a local run. */
    public String getAbsoluteUrl() {
        return run.url();
    }

    public String getFullDisplayName() {
        return run.jobName().replace("/", " » ") + " " + run.displayName();
    }

    /** True: the build runs while its pipeline can ask. */
    public boolean isBuilding() {
        return true;
    }

    static List<Map<String, Object>> copyCauses(List<Map<String, Object>> causes, String className) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> c : causes) {
            Object type = c.get("_class");
            // The build step's cause is a subclass of UpstreamCause in Jenkins, and found by its name too.
            if (className == null || className.equals(type) || String.valueOf(type).startsWith(className + "$")
                    || className.equals(UPSTREAM_CAUSE) && BUILD_UPSTREAM_CAUSE.equals(type)) {
                out.add(new LinkedHashMap<>(c));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return run.displayName();
    }
}
