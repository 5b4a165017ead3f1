package dev.gantry.api.step;

import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The arguments of one step call, bound to the descriptor's parameters and converted to their
 * declared types: STRING as {@link String}, BOOLEAN as {@link Boolean}, INTEGER as {@link Long},
 * STRING_LIST as {@code List<String>}, MAP as {@code Map<String, Object>}, LIST as {@code List<?>},
 * BODY as {@link Body}, BODY_MAP as {@code Map<String, Body>}. Parameters not supplied hold their
 * default. Getters throw {@link IllegalArgumentException} for a name the step did not declare.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface StepArguments {

    /** Whether the call supplied {@code name} explicitly. */
    boolean isSet(String name);

    /** The value, or the default; may be null. */
    Object get(String name);

    default String string(String name) { return (String) get(name); }

    default boolean bool(String name) {
        Object v = get(name);
        return v != null && (Boolean) v;
    }

    default long integer(String name) {
        Object v = get(name);
        return v == null ? 0L : (Long) v;
    }

    @SuppressWarnings("unchecked")
    default List<String> strings(String name) {
        Object v = get(name);
        return v == null ? List.of() : (List<String>) v;
    }

    @SuppressWarnings("unchecked")
    default Map<String, Object> map(String name) {
        Object v = get(name);
        return v == null ? Map.of() : (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    default Map<String, Body> bodies(String name) {
        Object v = get(name);
        return v == null ? Map.of() : (Map<String, Body>) v;
    }

    /** Every parameter with its value (supplied or default), in declaration order. */
    Map<String, Object> asMap();
}
