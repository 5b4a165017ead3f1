package dev.gantry.api;

import org.apiguardian.api.API;

/**
 * The outcome of a build or a stage, ordered from best to worst as in Jenkins.
 * A result only ever gets worse while a build runs: see {@link #combine(Result)}.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum Result {
    SUCCESS, UNSTABLE, FAILURE, NOT_BUILT, ABORTED;

    /** The worse of this and {@code other}; {@code other} may be null (meaning no change). */
    public Result combine(Result other) {
        return other == null || other.ordinal() <= ordinal() ? this : other;
    }

    /** True when this is strictly worse than {@code other}. */
    public boolean isWorseThan(Result other) {
        return ordinal() > other.ordinal();
    }

    /** True when this is {@code other} or worse. */
    public boolean isWorseOrEqualTo(Result other) {
        return ordinal() >= other.ordinal();
    }

    /**
     * Parses a result name as pipelines write it ({@code 'UNSTABLE'}, case-insensitive).
     *
     * @throws IllegalArgumentException naming the valid values when {@code name} is not one
     */
    public static Result parse(String name) {
        for (Result r : values()) {
            if (r.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a result; use one of SUCCESS, UNSTABLE, FAILURE, NOT_BUILT, ABORTED");
    }
}
