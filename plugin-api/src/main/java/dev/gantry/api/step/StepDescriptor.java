package dev.gantry.api.step;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What a step declares about itself: its DSL name, typed parameters with defaults, whether it
 * takes a body, whether it needs a workspace, and its help text. The linter, the argument binder
 * and the steps reference are all driven by this; nothing about a step is special-cased elsewhere.
 *
 * <p>Argument binding, as in Jenkins: a single unnamed argument ({@code echo 'hi'}) binds to the
 * {@linkplain Builder#positional(String) positional parameter}; named arguments bind by name; a
 * trailing closure is the body. A step with a {@linkplain Builder#rest(String) rest parameter}
 * receives every unknown named argument in that parameter (how {@code parallel a: {..}, b: {..}}
 * works) instead of rejecting it.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class StepDescriptor {
    private final String name;
    private final String help;
    private final Map<String, ParameterSpec> parameters;
    private final String positional;
    private final String rest;
    private final BodyKind body;
    private final boolean needsWorkspace;
    private final boolean advanced;
    private final boolean journaled;

    private StepDescriptor(Builder b) {
        this.name = b.name;
        this.help = b.help;
        this.parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.parameters));
        this.positional = b.positional;
        this.rest = b.rest;
        this.body = b.body;
        this.needsWorkspace = b.needsWorkspace;
        this.advanced = b.advanced;
        this.journaled = b.journaled && b.body == BodyKind.NONE;
    }

    /** Starts a descriptor for the step called {@code name} (a Groovy identifier). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The name pipelines call the step by. */
    public String name() { return name; }

    /** Help text for the steps reference: what it does, in one or two sentences. */
    public String help() { return help; }

    /** The parameters in declaration order, by name. */
    public Map<String, ParameterSpec> parameters() { return parameters; }

    /** The parameter an unnamed single argument binds to, or null when there is none. */
    public String positional() { return positional; }

    /** The parameter that collects unknown named arguments, or null when those are errors. */
    public String rest() { return rest; }

    /** Whether the step takes a closure body. */
    public BodyKind body() { return body; }

    /** Whether the step needs a workspace (runs inside {@code node} or a declarative agent). */
    public boolean needsWorkspace() { return needsWorkspace; }

    /** Whether the step is structural or internal and left out of short listings. */
    public boolean advanced() { return advanced; }

    /**
     * Whether the call's outcome is journaled and replayed after a restart instead of running the
     * step again. True for steps without a body unless {@link Builder#notJournaled()} was called
     * (steps whose result is not journal-friendly and that are safe to run again, like {@code load}).
     */
    public boolean journaled() { return journaled; }

    @Override
    public String toString() {
        return "step " + name;
    }

    /** Builds a {@link StepDescriptor}. Not thread-safe; use once. */
    public static final class Builder {
        private final String name;
        private String help = "";
        private final Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
        private String positional;
        private String rest;
        private BodyKind body = BodyKind.NONE;
        private boolean needsWorkspace;
        private boolean advanced;
        private boolean journaled = true;

        private Builder(String name) {
            if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("a step name must be a Groovy identifier: " + name);
            }
            this.name = name;
        }

        public Builder help(String text) { this.help = Objects.requireNonNull(text); return this; }

        /** An optional parameter with a default (null for none). */
        public Builder optional(String param, ParamType type, Object defaultValue, String help) {
            return add(new ParameterSpec(param, type, false, defaultValue, List.of(), help));
        }

        /** A required parameter. */
        public Builder required(String param, ParamType type, String help) {
            return add(new ParameterSpec(param, type, true, null, List.of(), help));
        }

        /** A string parameter restricted to {@code choices} (compared ignoring case). */
        public Builder choice(String param, boolean required, String defaultValue, List<String> choices, String help) {
            return add(new ParameterSpec(param, ParamType.STRING, required, defaultValue, new ArrayList<>(choices), help));
        }

        public Builder add(ParameterSpec spec) {
            if (parameters.putIfAbsent(spec.name(), spec) != null) {
                throw new IllegalArgumentException("parameter " + spec.name() + " declared twice on step " + name);
            }
            return this;
        }

        /** The parameter a single unnamed argument binds to; it must be declared already. */
        public Builder positional(String param) { this.positional = declared(param); return this; }

        /** The parameter that receives unknown named arguments as a map; it must be declared already. */
        public Builder rest(String param) { this.rest = declared(param); return this; }

        public Builder body(BodyKind kind) { this.body = Objects.requireNonNull(kind); return this; }

        public Builder needsWorkspace() { this.needsWorkspace = true; return this; }

        public Builder advanced() { this.advanced = true; return this; }

        /** The step runs again on replay instead of returning a journaled outcome. */
        public Builder notJournaled() { this.journaled = false; return this; }

        private String declared(String param) {
            if (!parameters.containsKey(param)) {
                throw new IllegalArgumentException("declare parameter " + param + " of step " + name + " first");
            }
            return param;
        }

        public StepDescriptor build() { return new StepDescriptor(this); }
    }
}
