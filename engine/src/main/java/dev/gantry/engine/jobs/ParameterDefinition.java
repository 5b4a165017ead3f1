package dev.gantry.engine.jobs;

import java.util.ArrayList;
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

    /**
     * The choices of a {@code choice} parameter as a pipeline or an input step gives them: a list
     * (each element as text) or one string with a choice per line (empty lines skipped); none for null.
     */
    public static List<String> choicesOf(Object c) {
        List<String> out = new ArrayList<>();
        if (c instanceof List<?> l) {
            l.forEach(o -> out.add(String.valueOf(o)));
        } else if (c != null) {
            for (String s : String.valueOf(c).split("\n")) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
