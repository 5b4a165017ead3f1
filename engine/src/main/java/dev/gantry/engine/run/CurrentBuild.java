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
