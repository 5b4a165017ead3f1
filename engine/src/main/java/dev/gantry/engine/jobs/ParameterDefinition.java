package dev.gantry.engine.jobs;

import java.util.List;
import java.util.Objects;

/**
 * One build parameter a job declares, as Jenkins' {@code parameters { }} does.
 *
 * @param type {@code string}, {@code text}, {@code booleanParam}, {@code choice} or {@code password}
 *     (the last only from a pipeline's own {@code parameters { }})
 * @param name the parameter's name
 * @param defaultValue a String for string, text and password, a Boolean for booleanParam, null for
 *     choice (its first choice is the default) or when the pipeline computes it
 * @param description shown to users; may be null
 * @param choices the choices of a choice parameter, else empty
 * @param trim whether a string parameter's value is trimmed
 */
public record ParameterDefinition(String type, String name, Object defaultValue, String description,
                                  List<String> choices, boolean trim) {
    public ParameterDefinition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        choices = choices == null ? List.of() : List.copyOf(choices);
    }
}
