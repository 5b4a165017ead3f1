package dev.gantry.engine.steps;

import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepDescriptor;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The steps a pipeline may call, by name: the built-in ones (registered through
 * {@code META-INF/services/dev.gantry.api.step.Step}) and, once plugins load, theirs.
 * Immutable and thread-safe; the linter and the runtime read the same library.
 */
public final class StepLibrary {
    private final Map<String, Step> steps;

    private StepLibrary(Map<String, Step> steps) {
        this.steps = Collections.unmodifiableMap(steps);
    }

    /** The steps found through {@link ServiceLoader} on the engine's class path. */
    public static StepLibrary builtins() {
        return of(ServiceLoader.load(Step.class, StepLibrary.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList());
    }

    /**
     * A library of exactly these steps.
     *
     * @throws IllegalArgumentException when two steps share a name
     */
    public static StepLibrary of(Collection<? extends Step> list) {
        Map<String, Step> byName = new TreeMap<>();
        for (Step s : list) {
            Step previous = byName.putIfAbsent(s.descriptor().name(), s);
            if (previous != null) {
                throw new IllegalArgumentException("two steps are named " + s.descriptor().name() + ": "
                        + previous.getClass().getName() + " and " + s.getClass().getName());
            }
        }
        return new StepLibrary(byName);
    }

    public Optional<Step> find(String name) {
        return Optional.ofNullable(steps.get(name));
    }

    public Optional<StepDescriptor> descriptor(String name) {
        return find(name).map(Step::descriptor);
    }

    /** Every step name, sorted. */
    public Collection<String> names() {
        return steps.keySet();
    }

    /** Every step, sorted by name. */
    public Collection<Step> all() {
        return steps.values();
    }
}
