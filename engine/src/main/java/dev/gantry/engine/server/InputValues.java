package dev.gantry.engine.server;

import dev.gantry.api.build.InputRequest;
import dev.gantry.engine.jobs.ParameterDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the parameter values an answer to an {@code input} gives against the parameters it asks
 * for: known names only, a JSON boolean for {@code booleanParam}, a string for the others, one of
 * the choices for {@code choice}; parameters not given take their defaults, as in Jenkins' form.
 */
final class InputValues {
    private InputValues() {
    }

    /**
     * @return every parameter's value, by name, in declaration order
     * @throws IllegalArgumentException naming every wrong value and what it must be
     */
    static Map<String, Object> check(InputRequest request, Map<String, Object> given) {
        Map<String, Map<String, Object>> declared = new LinkedHashMap<>();
        for (Map<String, Object> p : request.parameters()) {
            declared.put(String.valueOf(p.get("name")), p);
        }
        List<String> problems = new ArrayList<>();
        for (String name : given.keySet()) {
            if (!declared.containsKey(name)) {
                problems.add("input '" + request.id() + "' has no parameter '" + name + "'"
                        + (declared.isEmpty() ? " (it asks for none)" : "; its parameters: " + String.join(", ", declared.keySet())));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> e : declared.entrySet()) {
            String name = e.getKey();
            Map<String, Object> p = e.getValue();
            String type = String.valueOf(p.get("type"));
            Object v = given.get(name);
            if (v == null) {
                out.put(name, defaultOf(type, p));
            } else if (type.equals("booleanParam")) {
                if (v instanceof Boolean b) {
                    out.put(name, b);
                } else {
                    problems.add("parameter '" + name + "' is a booleanParam: give true or false (a JSON boolean), not " + describe(v));
                }
            } else if (!(v instanceof String s)) {
                problems.add("parameter '" + name + "' is a " + type + " parameter: give a string, not " + describe(v));
            } else if (type.equals("choice") && !choices(p).contains(s)) {
                problems.add("parameter '" + name + "' must be one of " + choices(p) + ", not '" + s + "'");
            } else {
                out.put(name, s);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return out;
    }

    private static String describe(Object v) {
        if (v instanceof Number n) {
            return "the number " + n;
        }
        if (v instanceof String s) {
            return "the string '" + s + "'";
        }
        return v instanceof Map ? "an object" : v instanceof List ? "an array" : String.valueOf(v);
    }

    private static Object defaultOf(String type, Map<String, Object> p) {
        Object d = p.get("defaultValue");
        return switch (type) {
            case "booleanParam" -> d instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(d));
            case "choice" -> choices(p).isEmpty() ? "" : choices(p).get(0);
            default -> d == null ? "" : String.valueOf(d);
        };
    }

    static List<String> choices(Map<String, Object> p) {
        return ParameterDefinition.choicesOf(p.get("choices"));
    }
}
