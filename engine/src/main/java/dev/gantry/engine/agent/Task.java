package dev.gantry.engine.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One unit of work sent to an agent, as plain JSON: an id unique on the controller, a type
 * ({@code process}, {@code read}, {@code archive}, ... or {@code handler} for a plugin's), and
 * arguments. Every task runs in a workspace directory: {@code root} (absolute, or relative to the
 * agent's work directory) and {@code dir} below it.
 */
record Task(String id, String type, Map<String, Object> args) {

    Task {
        args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    /** The task as the wire carries it. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", type);
        m.put("args", args);
        return m;
    }

    @SuppressWarnings("unchecked")
    static Task fromJson(Map<String, Object> m) {
        Object args = m.get("args");
        return new Task((String) m.get("id"), (String) m.get("type"), args instanceof Map<?, ?> a ? (Map<String, Object>) a : Map.of());
    }

    String string(String name) {
        Object v = args.get(name);
        return v == null ? null : v.toString();
    }

    boolean bool(String name) {
        return Boolean.TRUE.equals(args.get(name));
    }

    @SuppressWarnings("unchecked")
    List<String> strings(String name) {
        Object v = args.get(name);
        return v instanceof List<?> l ? (List<String>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    Map<String, String> stringMap(String name) {
        Object v = args.get(name);
        return v instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
    }

    @Override
    public String toString() {
        return "task " + id + " (" + type + ")";
    }
}
