package dev.gantry.engine.steps;

import dev.gantry.api.PipelineSafe;
import dev.gantry.api.Result;
import dev.gantry.api.build.BuildTrigger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the {@code build} step returns: the downstream build as Jenkins' {@code RunWrapper} shows
 * it ({@code getResult()}, {@code result}, {@code number}, {@code absoluteUrl},
 * {@code getBuildVariables()}, ...). It is a map of those properties, so that the step's journal
 * can keep it as plain data: after a replay the properties read the same ({@code r.result}), the
 * getter methods are those of the live object only.
 */
@PipelineSafe
public final class DownstreamRun extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;

    DownstreamRun(BuildTrigger.Outcome o) {
        String job = o.job();
        put("number", o.number());
        put("id", String.valueOf(o.number()));
        put("result", o.result() == null ? null : o.result().name());
        put("currentResult", o.result() == null ? Result.SUCCESS.name() : o.result().name());
        put("displayName", o.displayName());
        put("fullDisplayName", job.replace("/", " » ") + " " + o.displayName());
        put("description", o.description());
        put("projectName", job.contains("/") ? job.substring(job.lastIndexOf('/') + 1) : job);
        put("fullProjectName", job);
        put("absoluteUrl", o.url());
        put("startTimeInMillis", o.startTimeMillis());
        put("timeInMillis", o.startTimeMillis());
        put("duration", o.durationMillis());
        put("buildVariables", new LinkedHashMap<>(o.variables()));
    }

    /** The result's name, or null when the build had not completed (waitForStart). */
    public String getResult() {
        return (String) get("result");
    }

    public String getCurrentResult() {
        return (String) get("currentResult");
    }

    public int getNumber() {
        return (Integer) get("number");
    }

    public String getId() {
        return (String) get("id");
    }

    public String getDisplayName() {
        return (String) get("displayName");
    }

    public String getFullDisplayName() {
        return (String) get("fullDisplayName");
    }

    public String getDescription() {
        return (String) get("description");
    }

    public String getProjectName() {
        return (String) get("projectName");
    }

    public String getFullProjectName() {
        return (String) get("fullProjectName");
    }

    /** The build's REST resource on the controller, or null when the controller's address is not known. */
    public String getAbsoluteUrl() {
        return (String) get("absoluteUrl");
    }

    public long getStartTimeInMillis() {
        return (Long) get("startTimeInMillis");
    }

    public long getTimeInMillis() {
        return (Long) get("timeInMillis");
    }

    public long getDuration() {
        return (Long) get("duration");
    }

    /** The variables the downstream pipeline set ({@code env.X = ...}) and its parameters. */
    @SuppressWarnings("unchecked")
    public Map<String, String> getBuildVariables() {
        return (Map<String, String>) get("buildVariables");
    }

    public boolean resultIsBetterOrEqualTo(String other) {
        return !Result.parse(getCurrentResult()).isWorseThan(Result.parse(other));
    }

    public boolean resultIsWorseOrEqualTo(String other) {
        return Result.parse(getCurrentResult()).isWorseOrEqualTo(Result.parse(other));
    }
}
