package dev.gantry.engine.run;

import dev.gantry.api.PipelineSafe;
import dev.gantry.api.Result;
import java.util.List;

/** {@code currentBuild}: the running build as Jenkins' RunWrapper shows it. */
@PipelineSafe
public final class CurrentBuild {
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

    public String getDurationString() {
        long ms = run.durationMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + " sec";
        }
        return (s / 60) + " min " + (s % 60) + " sec";
    }

    /** The previous build, or null when there is none (always null in a local run). */
    public Object getPreviousBuild() {
        return null;
    }

    public List<Object> getBuildCauses() {
        return List.of();
    }

    @Override
    public String toString() {
        return run.displayName();
    }
}
