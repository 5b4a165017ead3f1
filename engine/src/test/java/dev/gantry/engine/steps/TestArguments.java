package dev.gantry.engine.steps;

import dev.gantry.api.step.ParameterSpec;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepDescriptor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Arguments bound the way the interpreter binds them, for tests: named values checked against
 * the descriptor, defaults for the rest, required parameters enforced.
 */
final class TestArguments implements StepArguments {
    private final StepDescriptor descriptor;
    private final Map<String, Object> given;

    private TestArguments(StepDescriptor descriptor, Map<String, Object> given) {
        this.descriptor = descriptor;
        this.given = given;
    }

    /** Binds {@code name, value, name, value, ...}. */
    static TestArguments of(StepDescriptor descriptor, Object... namesAndValues) {
        Map<String, Object> given = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = (String) namesAndValues[i];
            if (!descriptor.parameters().containsKey(name)) {
                throw new IllegalArgumentException(descriptor + " has no parameter " + name);
            }
            given.put(name, namesAndValues[i + 1]);
        }
        for (ParameterSpec p : descriptor.parameters().values()) {
            if (p.required() && !given.containsKey(p.name())) {
                throw new IllegalArgumentException(descriptor + " requires " + p.name());
            }
        }
        return new TestArguments(descriptor, given);
    }

    @Override
    public boolean isSet(String name) {
        check(name);
        return given.containsKey(name);
    }

    @Override
    public Object get(String name) {
        check(name);
        return given.containsKey(name) ? given.get(name) : descriptor.parameters().get(name).defaultValue();
    }

    @Override
    public Map<String, Object> asMap() {
        Map<String, Object> all = new LinkedHashMap<>();
        for (String name : descriptor.parameters().keySet()) {
            all.put(name, get(name));
        }
        return Collections.unmodifiableMap(all);
    }

    private void check(String name) {
        if (!descriptor.parameters().containsKey(name)) {
            throw new IllegalArgumentException(descriptor + " declares no parameter " + name);
        }
    }
}
