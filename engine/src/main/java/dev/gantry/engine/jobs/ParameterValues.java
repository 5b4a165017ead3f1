package dev.gantry.engine.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parameters a build is queued with: the values given, checked against the job's declared
 * parameters and converted to their types ({@code "true"} for a booleanParam becomes true), with
 * the declared defaults for what was not given. Values of undeclared names are passed through
 * unchanged, as they always were for jobs that declare nothing.
 */
public final class ParameterValues {
    private ParameterValues() {
    }

    /**
     * @param declared the job's parameters (its settings)
     * @param given the values given with the trigger; may be null
     * @return the build's parameters, declared ones first in declaration order
     * @throws IllegalArgumentException naming the parameter when a value does not fit its type
     */
    public static Map<String, Object> resolve(List<ParameterDefinition> declared, Map<String, Object> given) {
        Map<String, Object> in = given == null ? Map.of() : given;
        Map<String, Object> out = new LinkedHashMap<>();
        for (ParameterDefinition p : declared) {
            Object v = in.get(p.name());
            switch (p.type()) {
                case "booleanParam" -> {
                    if (v == null) {
                        if (p.defaultValue() != null) {
                            out.put(p.name(), p.defaultValue());
                        }
                    } else if (v instanceof Boolean b) {
                        out.put(p.name(), b);
                    } else if (v instanceof String s && (s.strip().equalsIgnoreCase("true") || s.strip().equalsIgnoreCase("false"))) {
                        out.put(p.name(), Boolean.parseBoolean(s.strip().toLowerCase(Locale.ROOT)));
                    } else {
                        throw new IllegalArgumentException("parameter " + p.name() + " is a booleanParam: give true or false, not '" + v + "'");
                    }
                }
                case "choice" -> {
                    if (v == null) {
                        if (!p.choices().isEmpty()) {
                            out.put(p.name(), p.choices().get(0));
                        }
                    } else if (p.choices().isEmpty() || p.choices().contains(String.valueOf(v))) {
                        out.put(p.name(), String.valueOf(v));
                    } else {
                        throw new IllegalArgumentException("parameter " + p.name() + " must be one of " + p.choices() + ", not '" + v + "'");
                    }
                }
                default -> {
                    if (v == null) {
                        if (p.defaultValue() != null) {
                            out.put(p.name(), p.defaultValue());
                        }
                    } else if (v instanceof Map<?, ?> || v instanceof List<?>) {
                        throw new IllegalArgumentException("parameter " + p.name() + " is a " + p.type() + " parameter: give a string, not " + (v instanceof Map ? "an object" : "a list"));
                    } else {
                        String s = String.valueOf(v);
                        out.put(p.name(), p.trim() ? s.strip() : s);
                    }
                }
            }
        }
        in.forEach(out::putIfAbsent);
        return out;
    }
}
