package dev.gantry.api.build;

import dev.gantry.api.Result;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The run (build) a step belongs to, as steps see it. Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface RunControl {

    /** The job's full name ({@code team-a/api}); for a local run, the pipeline file's name. */
    String jobName();

    /** The build number; 1 for a local run unless told otherwise. */
    int number();

    /** The build result so far: SUCCESS until something made it worse. */
    Result result();

    /** Makes the build result worse ({@code Result.combine}); never better. */
    void setResult(Result result);

    /** Makes the result of the innermost enclosing stage worse; ignored outside any stage. */
    void setStageResult(Result result);

    /** The name of the innermost enclosing stage, or null. */
    String currentStage();

    /** The build's parameters after defaults were applied, by name; immutable. */
    Map<String, Object> parameters();
}
