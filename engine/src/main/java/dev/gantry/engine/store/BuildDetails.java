package dev.gantry.engine.store;

import java.util.Map;

/**
 * What a pipeline left on its build besides the result: read by the builds after it
 * ({@code currentBuild.previousBuild}) and by a build that waited for it ({@code build} step).
 *
 * @param displayName the display name the pipeline set, or null for the default {@code #N}
 * @param description the description the pipeline set, or null
 * @param variables the variables the pipeline set ({@code env.X = ...}) and its parameters, as strings
 */
public record BuildDetails(String displayName, String description, Map<String, String> variables) {
    public BuildDetails {
        variables = variables == null ? Map.of() : Map.copyOf(variables);
    }
}
