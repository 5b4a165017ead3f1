package dev.gantry.api.step;

import org.apiguardian.api.API;

/**
 * The type of a step parameter. Arguments are checked against it before the step runs: by the
 * linter where the argument is a literal, at the call otherwise.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum ParamType {
    /** Text; GStrings are converted. Numbers and booleans are not accepted. */
    STRING("a string"),
    /** {@code true} or {@code false}. */
    BOOLEAN("a boolean"),
    /** A whole number (delivered as {@link Long}). */
    INTEGER("a whole number"),
    /** A list of strings; a single string is accepted as a list of one. */
    STRING_LIST("a list of strings"),
    /** A map with string keys. */
    MAP("a map"),
    /** A list of anything. */
    LIST("a list"),
    /** A closure, delivered as a {@link Body}. */
    BODY("a closure"),
    /** A map of names to closures, delivered as {@code Map<String, Body>}. */
    BODY_MAP("a map of closures"),
    /** Anything; the step converts it itself. */
    ANY("any value");

    private final String description;

    ParamType(String description) {
        this.description = description;
    }

    /** How messages name this type: "a boolean", "a list of strings". */
    public String description() {
        return description;
    }
}
