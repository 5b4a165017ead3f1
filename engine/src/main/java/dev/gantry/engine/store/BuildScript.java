package dev.gantry.engine.store;

import java.util.Objects;

/**
 * What a build runs: the exact script text, and for a replay or a restart the build it came from.
 *
 * @param script the pipeline text; never null
 * @param originNumber the build this one replays or restarts, or null for an ordinary build
 * @param restartStage the top-level stage a restart begins at, or null when the build runs all stages
 */
public record BuildScript(String script, Integer originNumber, String restartStage) {
    public BuildScript {
        Objects.requireNonNull(script, "script");
        if (restartStage != null && originNumber == null) {
            throw new IllegalArgumentException("a restart from stage '" + restartStage + "' needs the number of the build it restarts");
        }
    }

    /** An ordinary build's script. */
    public static BuildScript of(String script) {
        return new BuildScript(script, null, null);
    }
}
